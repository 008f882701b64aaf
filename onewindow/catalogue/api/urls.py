from django.urls import path

app_name = "catalogue-api"
urlpatterns: list = []
