from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiAuthConfig(AppConfig):
    name = "onewindow.apiauth"
    label = "apiauth"
    verbose_name = _("接口认证")

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI security schemes)
