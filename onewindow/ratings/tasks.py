"""Periodic work of ratings (celery beat `ratings-periodic`) and the export sender. Tasks take ids and are
idempotent; in eager mode (no broker) a failed export stays pending for the next periodic run."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .exchange import services as exchange

logger = logging.getLogger("onewindow.ratings")


class ExportRetry(Exception):
    pass


@shared_task(bind=True, name="ratings.export_send", autoretry_for=(ExportRetry,), retry_backoff=60,
             retry_backoff_max=3600, retry_jitter=False, max_retries=5, acks_late=True)
def export_send(self, batch_id: int) -> str:
    outcome = exchange.batch_attempt(batch_id=batch_id)
    if outcome == exchange.RETRY and not self.request.is_eager:
        raise ExportRetry(f"rating export {batch_id} failed; retrying")
    return outcome


def _enqueue(batch_ids: list[int]) -> None:
    for batch_id in batch_ids:
        try:
            export_send.apply_async(args=[batch_id])
        except Exception:
            logger.exception("rating export %s could not be queued; it stays pending", batch_id)


@shared_task(name="ratings.periodic")
def ratings_periodic() -> dict:
    """Every 5 minutes: overdue rectification cards, expired invitations (默认好评 if configured), exports."""
    result = {"cards": services.overdue_scan(), "invitations": services.invitations_expire()}
    batches = 0
    while batches < 20:
        batch = exchange.batch_create()
        if batch is None:
            break
        batches += 1
    due = exchange.batches_due()
    _enqueue(due)
    result["export_batches"] = batches
    result["export_sent"] = len(due)
    return result
