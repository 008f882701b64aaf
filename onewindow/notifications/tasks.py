"""Celery tasks of notifications. They take ids, are idempotent, and never raise in eager mode.

In a worker, a failed attempt is retried by Celery (`autoretry_for` + `retry_backoff`, the same delays as the
row's next_attempt_at). In eager mode (the embedded default, no broker) a retry would run at once inside the
request, so the task leaves the row pending instead and `notifications_retry` / `notifications.retry_due`
picks it up when it is due.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import services
from .channels import RetryableError

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="notifications.send_delivery",
    autoretry_for=(RetryableError,),
    retry_backoff=int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 60)),
    retry_backoff_max=int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 3600)),
    retry_jitter=False,
    max_retries=int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)),
    acks_late=True,
)
def send_delivery(self, delivery_id: int) -> str:
    eager = bool(self.request.is_eager)
    try:
        outcome = services.delivery_attempt(delivery_id=delivery_id)
    except Exception:
        if eager:  # never into the request that committed the transition
            logger.exception("Delivery %s could not be attempted; it stays as it was for `notifications_retry`.",
                             delivery_id)
            return "error"
        raise
    if outcome == services.RETRY and not eager:
        raise RetryableError(f"delivery {delivery_id} failed; retrying")
    return outcome


@shared_task(name="notifications.retry_due")
def retry_due() -> int:
    """Periodic (celery beat, e.g. every 5 minutes): queue pending deliveries whose time has come."""
    return len(services.deliveries_retry_due())
