from django.urls import include, path

urlpatterns = [
    path("catalogue/", include("onewindow.catalogue.api.urls")),
]
