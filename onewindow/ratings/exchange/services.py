"""Exporting rating records: batches of unexported ratings, each sent by the configured plugin, retried with
backoff (attempts, last_error, next_attempt_at), permanent failures kept for the admin to see and retry.

A batch is claimed (pending → sending) with one UPDATE so two workers never send it twice. Ratings are marked
`exported_at` when their batch is accepted; an amendment or appeal outcome later resets that mark, so the
changed record is sent again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import conf
from ..constants import ExportStatus
from ..models import ExportBatch, Rating
from .payload import batch_payload
from .plugins import ExchangeError, PermanentError, get_plugin

logger = logging.getLogger("onewindow.ratings.exchange")

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"


def retry_delay(attempts: int) -> dt.timedelta:
    s = conf.exchange()
    return dt.timedelta(seconds=min(s["backoff_max"], s["backoff"] * 2 ** max(attempts - 1, 0)))


@transaction.atomic
def batch_create(*, limit: int | None = None) -> ExportBatch | None:
    """One batch of ratings not yet in any batch (oldest first); None when there is nothing to send."""
    plugin = get_plugin()
    if plugin is None or not plugin.is_enabled():
        return None
    limit = limit or conf.exchange()["batch_size"]
    queued = set()
    for ids in ExportBatch.objects.filter(status__in=[ExportStatus.PENDING, ExportStatus.SENDING]).values_list(
            "rating_ids", flat=True):
        queued.update(ids)
    ratings = list(Rating.objects.filter(exported_at__isnull=True).exclude(pk__in=queued)
                   .select_related("case__item", "case__version__item_type", "case__department", "case__region",
                                   "applicant").order_by("pk")[:limit])
    if not ratings:
        return None
    s = conf.exchange()
    return ExportBatch.objects.create(plugin=plugin.name, rating_ids=[r.pk for r in ratings],
                                      payload=batch_payload(ratings, system_id=s["system_id"]),
                                      next_attempt_at=timezone.now())


def batch_attempt(*, batch_id: int) -> str:
    now = timezone.now()
    claimed = ExportBatch.objects.filter(pk=batch_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return SKIPPED
    batch = ExportBatch.objects.get(pk=batch_id)
    plugin = get_plugin(batch.plugin)
    try:
        if plugin is None:
            raise PermanentError("对接插件不存在。")
        receipt = plugin.send(batch.payload)
    except Exception as exc:
        error = str(exc) if isinstance(exc, ExchangeError) else f"{type(exc).__name__}: {exc}"
        batch.last_error = error[:500]
        retryable = getattr(exc, "retryable", True)
        if retryable and batch.attempts < conf.exchange()["max_attempts"]:
            batch.status, batch.next_attempt_at, outcome = ExportStatus.PENDING, now + retry_delay(batch.attempts), RETRY
            logger.warning("rating export %s failed (attempt %s): %s", batch.pk, batch.attempts, error)
        else:
            batch.status, batch.next_attempt_at, outcome = ExportStatus.FAILED, None, FAILED
            logger.error("rating export %s failed for good after %s attempt(s): %s", batch.pk, batch.attempts, error)
        batch.save(update_fields=["status", "next_attempt_at", "last_error"])
        return outcome
    with transaction.atomic():
        batch.status, batch.sent_at, batch.next_attempt_at = ExportStatus.SENT, timezone.now(), None
        batch.response = str(receipt)[:500]
        batch.save(update_fields=["status", "sent_at", "next_attempt_at", "response"])
        Rating.objects.filter(pk__in=batch.rating_ids).update(exported_at=batch.sent_at)
    return SENT


def batches_due(*, stuck_after: dt.timedelta = dt.timedelta(minutes=15)) -> list[int]:
    now = timezone.now()
    ExportBatch.objects.filter(status=ExportStatus.SENDING, claimed_at__lt=now - stuck_after).update(
        status=ExportStatus.PENDING, next_attempt_at=now)
    return list(ExportBatch.objects.filter(status=ExportStatus.PENDING)
                .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
                .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:100])


def batches_retry(*, batch_ids: list[int]) -> int:
    """Admin action: failed batches start over with a fresh attempt count."""
    return ExportBatch.objects.filter(pk__in=batch_ids, status=ExportStatus.FAILED).update(
        status=ExportStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
