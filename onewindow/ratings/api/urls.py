from django.urls import path

from . import views

app_name = "ratings-api"
urlpatterns = [
    path("ratings", views.RatingListCreateView.as_view(), name="rating-list"),
    path("ratings/options", views.OptionsView.as_view(), name="options"),
    path("ratings/invitation", views.InvitationView.as_view(), name="invitation"),
    path("ratings/stats", views.StatsView.as_view(), name="stats"),
    path("ratings/stats.xlsx", views.StatsXlsxView.as_view(), name="stats-xlsx"),
    path("ratings/bad-cases", views.BadCaseListView.as_view(), name="bad-case-list"),
    path("ratings/bad-cases/<int:pk>", views.BadCaseDetailView.as_view(), name="bad-case-detail"),
    *[path(f"ratings/bad-cases/<int:pk>/{action}", view.as_view(), name=f"bad-case-{action}")
      for action, view in views.ACTION_VIEWS.items()],
    path("ratings/<int:pk>/amend", views.RatingAmendView.as_view(), name="rating-amend"),
]
