from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "onewindow.accounts"
    label = "accounts"
    verbose_name = _("账户")

    def ready(self):
        from . import sessions  # noqa: F401  (user_logged_in → session time stamps)
