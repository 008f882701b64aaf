"""After each case event commits: completed-case counts and rating invitations (cases.signals)."""

from __future__ import annotations

import logging

logger = logging.getLogger("onewindow.ratings")


def on_case_event(sender, *, case_id: int, event_id: int, action: str, **kwargs) -> None:
    from .services import invitation_for_case_event

    try:
        invitation_for_case_event(case_id=case_id, event_id=event_id, action=action)
    except Exception:  # the transition is durable; never break the other receivers
        logger.exception("ratings: invitation for case %s event %s (%s) failed", case_id, event_id, action)
