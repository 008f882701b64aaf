"""好差评 screens in the staff workbench (差评整改, 12345 entry, dashboard); included by workbench.urls under
ratings/ in the workbench namespace."""

from django.urls import path
from django.views.generic import RedirectView

from .views_workbench import bad_cases, dashboard, hotline

urlpatterns = [
    # /workbench/ratings/ (supervision's link to overdue rectifications) opens the inbox, query kept.
    path("", RedirectView.as_view(pattern_name="workbench:bad_ratings", query_string=True), name="ratings_home"),
    path("bad/", bad_cases.bad_rating_inbox, name="bad_ratings"),
    path("bad/<int:pk>/", bad_cases.bad_rating_detail, name="bad_rating"),
    path("bad/<int:pk>/<slug:action>/", bad_cases.bad_rating_action, name="bad_rating_action"),
    path("hotline/", hotline.hotline_rating, name="hotline_rating"),
    path("stats/", dashboard.rating_dashboard, name="rating_dashboard"),
    path("stats.xlsx", dashboard.rating_stats_xlsx, name="rating_stats_xlsx"),
]
