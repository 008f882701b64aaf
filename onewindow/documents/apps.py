from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "onewindow.documents"
    label = "documents"
    verbose_name = _("办件文书")

    def ready(self) -> None:
        from onewindow.cases.signals import case_event_committed

        from .receivers import issue_documents_for_event

        case_event_committed.connect(issue_documents_for_event, dispatch_uid="documents-issue-for-event")
