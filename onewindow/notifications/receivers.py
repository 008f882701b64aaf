"""Tell the applicant about each public step of their case, after the step commits."""

from __future__ import annotations

import logging

from onewindow.cases.models import CaseEvent

from .services import message_create_for_event

logger = logging.getLogger(__name__)


def notify_applicant(sender, *, case_id: int, event_id: int, action: str, **kwargs) -> None:
    """Never raises: the transition has committed and other receivers must still run."""
    try:
        event = CaseEvent.objects.select_related(
            "case__applicant__user", "case__version__item_type").get(pk=event_id)
        message_create_for_event(event=event)
    except Exception:
        logger.exception("Could not create the message for case %s event %s (%s).", case_id, event_id, action)
