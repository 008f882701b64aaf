from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "onewindow.workcalendar"
    label = "workcalendar"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (cache invalidation receivers)
        from .services import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="workcalendar-seed")
