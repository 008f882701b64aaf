from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    # <ref> is the document id, or its number (云溪市场监管受字〔2025〕第00001号, URL-encoded).
    path("<str:ref>/download", views.download, name="download"),
]
