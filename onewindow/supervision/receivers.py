"""After each case transition commits: bring that case's cards up to date (cases.signals)."""

from __future__ import annotations

import logging

logger = logging.getLogger("onewindow.supervision")


def on_case_event(sender, *, case_id: int, event_id: int, action: str, **kwargs) -> None:
    from .services import cards_sync_case

    try:
        cards_sync_case(case_id=case_id, event_id=event_id)
    except Exception:  # the transition is durable; the next scan catches up, so never break the caller
        logger.exception("supervision: cards of case %s after %s could not be updated", case_id, action)
