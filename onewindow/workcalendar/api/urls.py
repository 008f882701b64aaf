from django.urls import path

from .views import DeadlineView

app_name = "calendar-api"
urlpatterns = [
    path("deadline", DeadlineView.as_view(), name="deadline"),
]
