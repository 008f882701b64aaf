from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "onewindow.ratings"
    label = "ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from onewindow.cases.signals import case_event_committed

        from .receivers import on_case_event

        # Connected before notifications' receiver (INSTALLED_APPS order), so the link is in the message first.
        case_event_committed.connect(on_case_event, dispatch_uid="ratings-case-event")
