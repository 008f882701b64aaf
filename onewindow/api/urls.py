from django.urls import include, path, re_path

from .views import ApiNotFoundView, ApiRootView

urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("catalogue/", include("onewindow.catalogue.api.urls")),
    path("calendar/", include("onewindow.workcalendar.api.urls")),
    path("supervision/", include("onewindow.supervision.api.urls")),
    path("", include("onewindow.cases.api.urls")),  # /cases, /cases/{number}, /cases/{number}/<action>
    path("", include("onewindow.ratings.api.urls")),  # /ratings, /ratings/options, /ratings/bad-cases, /ratings/stats
    path("oauth/", include("onewindow.apiauth.urls")),
    # Keep last: unknown paths under /api/v1/ get the JSON error body.
    re_path(r"^.*$", ApiNotFoundView.as_view(), name="api-not-found"),
]
