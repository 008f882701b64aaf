from django.urls import path

from . import views

app_name = "supervision-api"
urlpatterns = [
    path("cards", views.CardListView.as_view(), name="card-list"),
    path("summary", views.SummaryView.as_view(), name="summary"),
    path("anomalies", views.AnomalyListView.as_view(), name="anomaly-list"),
    path("anomalies/<int:id>/review", views.AnomalyReviewView.as_view(), name="anomaly-review"),
]
