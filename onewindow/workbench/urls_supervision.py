"""Supervision dashboard (电子监察) for inspectors, hall managers and department heads; included by workbench.urls
under supervision/ in the workbench namespace."""

urlpatterns: list = []
