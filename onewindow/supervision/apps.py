from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "onewindow.supervision"
    label = "supervision"
    verbose_name = _("电子监察")

    def ready(self) -> None:
        from onewindow.cases.signals import case_event_committed

        from .receivers import on_case_event

        case_event_committed.connect(on_case_event, dispatch_uid="supervision-case-event")
