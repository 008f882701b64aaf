"""好差评 screens in the staff workbench (差评整改, 12345 entry, dashboard); included by workbench.urls under
ratings/ in the workbench namespace."""

urlpatterns: list = []
