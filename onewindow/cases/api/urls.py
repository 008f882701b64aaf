from django.urls import path

from . import views

app_name = "cases-api"
urlpatterns = [
    path("cases", views.CaseListCreateView.as_view(), name="case-list"),
    path("cases/progress", views.ProgressView.as_view(), name="progress"),
    path("cases/<str:number>", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:number>/materials/<int:material_id>", views.MaterialFileView.as_view(), name="case-material"),
    *[path(f"cases/<str:number>/{action}", view.as_view(), name=f"case-{action}")
      for action, view in views.ACTION_VIEWS.items()],
]
