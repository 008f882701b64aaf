from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "onewindow.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from onewindow.cases.signals import case_event_committed

        from .channels import reset_registry
        from .receivers import notify_applicant

        case_event_committed.connect(notify_applicant, dispatch_uid="notifications-notify-applicant")
        setting_changed.connect(reset_registry, dispatch_uid="notifications-reset-channels")
