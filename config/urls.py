from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: the start-up script is a file (?script=), as the Content-Security-Policy forbids inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("onewindow.api.urls")),
    path("accounts/", include("onewindow.accounts.urls")),
    path("workbench/", include("onewindow.workbench.urls")),
    path("documents/", include("onewindow.documents.urls")),
    path("", include("onewindow.ratings.urls_public")),  # rate/<token>/, pad/
    path("", include("onewindow.portal.urls")),
]
if settings.SERVE_PUBLIC_MEDIA:
    # Public catalogue files only (blank forms, samples). Case materials never live under MEDIA_ROOT/catalogue.
    urlpatterns.insert(0, re_path(r"^media/(?P<path>catalogue/.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
