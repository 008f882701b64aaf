from django.urls import path

from .views import TokenView

app_name = "oauth"
urlpatterns = [
    path("token", TokenView.as_view(), name="token"),
]
