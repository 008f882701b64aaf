"""Issue the legal document of each transition after it commits (`case_event_committed`)."""

from __future__ import annotations

import logging

from onewindow.cases.models import CaseEvent

from .constants import ISSUING_ACTIONS
from .services import documents_issue_for_event

logger = logging.getLogger(__name__)


def issue_documents_for_event(sender, *, case_id: int, event_id: int, action: str, **kwargs) -> None:
    """Never raises: the transition has already committed. A failure is logged and the document can be
    issued later with `manage.py documents_regenerate` (which finds every event lacking its document)."""
    if action not in ISSUING_ACTIONS:
        return
    try:
        event = CaseEvent.objects.select_related(
            "case__department__region", "case__applicant", "case__version__item_type", "case__hall",
            "case__window__hall").get(pk=event_id)
        documents_issue_for_event(event=event)
    except Exception:
        logger.exception("Could not issue the document of case %s event %s (%s); "
                         "run `manage.py documents_regenerate` once the cause is fixed.", case_id, event_id, action)
