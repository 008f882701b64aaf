"""Supervision dashboard (电子监察) for inspectors, hall managers and department heads; included by workbench.urls
under supervision/ in the workbench namespace."""

from django.urls import path

from .views import supervision

urlpatterns: list = [
    path("", supervision.dashboard, name="supervision"),
    path("cards/", supervision.card_list, name="supervision_cards"),
    path("cards/<int:pk>/", supervision.card_detail, name="supervision_card"),
    path("anomalies/", supervision.anomaly_list, name="supervision_anomalies"),
    path("anomalies/<int:pk>/", supervision.anomaly_detail, name="supervision_anomaly"),
]
