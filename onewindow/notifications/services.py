"""Writing messages and sending their deliveries.

A message is created once per public case event (idempotent: the event is unique). Each enabled channel with
an address for the applicant gets one Delivery row (unique per message and channel), queued to Celery after
commit. Sending claims the row (pending → sending) with one UPDATE, so two workers never send it twice, and
records the outcome: sent, pending again with `next_attempt_at` (exponential backoff), or failed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from onewindow.cases.models import CaseEvent
from onewindow.core.errors import NotFound

from .channels import DeliveryError, PermanentError, enabled_channels, get_channel
from .constants import DeliveryStatus
from .masking import mask_text
from .models import Delivery, Message, StaffNotice
from .texts import text_for_event

__all__ = [
    "message_create_for_event",
    "message_mark_read",
    "message_send",
    "notify_users",
    "staff_notice_mark_read",
    "deliveries_enqueue",
    "delivery_attempt",
    "deliveries_retry_due",
    "deliveries_retry",
    "retry_delay",
    "SENT",
    "RETRY",
    "FAILED",
    "SKIPPED",
]

logger = logging.getLogger(__name__)

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait before the next attempt after `attempts` failed ones: backoff, 2×backoff, 4×… capped.

    The same formula as Celery's `retry_backoff` (factor × 2^retries), so the row's next_attempt_at and the
    worker's countdown agree.
    """
    factor = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 60))
    cap = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 3600))
    return dt.timedelta(seconds=min(cap, factor * 2 ** max(attempts - 1, 0)))


# ------------------------------------------------------------------ messages

def message_create_for_event(*, event: CaseEvent) -> Message | None:
    """The in-app message for a public event, and a delivery per enabled channel, queued after commit.

    Running it again for the same event creates nothing new (and queues nothing again), except deliveries for
    channels enabled since the first run.
    """
    if not event.public:
        return None
    text = text_for_event(event)
    if text is None:
        return None
    case = event.case
    applicant = case.applicant
    with transaction.atomic():
        message = Message.objects.filter(event=event).first()
        if message is None:
            try:
                with transaction.atomic():
                    message = Message.objects.create(
                        event=event, case=case, applicant=applicant, recipient=applicant.user,
                        template=text.template, params=text.params, title=text.title, body=text.body)
            except IntegrityError:  # the other run won
                message = Message.objects.get(event=event)
        new_ids = _deliveries_create(message)
        if new_ids:
            transaction.on_commit(lambda: deliveries_enqueue(new_ids))
    return message


def message_send(*, applicant, title: str, body: str, case=None, template: str = "", params: dict | None = None
                 ) -> Message:
    """A message that is not a case event (the department's reply to a bad rating): kept as 站内信 and sent over
    each enabled channel after commit. Call it once per thing to tell; it has no idempotency key of its own."""
    with transaction.atomic():
        message = Message.objects.create(case=case, applicant=applicant, recipient=applicant.user,
                                         template=template, params=params or {}, title=title[:200], body=body)
        new_ids = _deliveries_create(message)
        if new_ids:
            transaction.on_commit(lambda: deliveries_enqueue(new_ids))
    return message


def _deliveries_create(message: Message) -> list[int]:
    """One delivery per enabled channel that has an address for the message and none yet; their ids."""
    have = set(message.deliveries.values_list("channel", flat=True))
    new_ids = []
    for channel in enabled_channels():
        if channel.name in have:
            continue
        address = channel.address_for(message)
        if not address:
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(message=message, channel=channel.name, address=address,
                                                   next_attempt_at=timezone.now())
        except IntegrityError:
            continue
        new_ids.append(delivery.pk)
    return new_ids


def message_mark_read(*, user, message_id: int | None = None) -> int:
    """Mark one message (or, without an id, all of the user's messages) as read; returns how many changed."""
    from .selectors import messages_for_user

    qs = messages_for_user(user)
    if message_id is not None:
        qs = qs.filter(pk=message_id)
        if not qs.exists():
            raise NotFound("未找到该消息。")
    # Update by id: the visible set is an OR across a join, which UPDATE cannot always express.
    ids = list(qs.filter(read_at__isnull=True).values_list("pk", flat=True))
    return Message.objects.filter(pk__in=ids).update(read_at=timezone.now())


# ------------------------------------------------------------------ staff notices (工作提醒)

def notify_users(*, users, title: str, body: str = "", url: str = "", kind: str = "", key: str = "") -> int:
    """A 工作提醒 for each staff user; returns how many were new. With `key`, a second call for the same user and
    key creates nothing (alerts are retried by periodic jobs). The text must not carry ID numbers: callers
    pass case numbers and item names, and the body is masked once more here as a guard."""
    users = [u for u in dict.fromkeys(users) if u is not None]
    if not users:
        return 0
    title, body, url = title[:200], mask_text(body or ""), (url or "")[:300]
    rows = [StaffNotice(recipient=u, kind=kind[:20], key=key[:80], title=title, body=body, url=url) for u in users]
    if not key:
        StaffNotice.objects.bulk_create(rows)
        return len(rows)
    have = set(StaffNotice.objects.filter(key=key[:80], recipient__in=users).values_list("recipient_id", flat=True))
    new = [r for r in rows if r.recipient_id not in have]
    # A concurrent run may insert the same (recipient, key) between the read and the write: the unique
    # constraint turns that into a skipped row, not a duplicate or an error.
    StaffNotice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def staff_notice_mark_read(*, user, notice_id: int | None = None) -> int:
    """Mark one of the user's notices (or all of them) read; someone else's notice is not found."""
    qs = StaffNotice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_id is not None:
        if not StaffNotice.objects.filter(recipient=user, pk=notice_id).exists():
            raise NotFound("未找到该提醒。")
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now())


# ------------------------------------------------------------------ deliveries

def deliveries_enqueue(delivery_ids: list[int]) -> None:
    """Queue one Celery task per delivery. Never raises: a delivery that cannot be queued stays pending and
    `notifications_retry` (or the periodic task) sends it later."""
    from .tasks import send_delivery

    for delivery_id in delivery_ids:
        try:
            send_delivery.apply_async(args=[delivery_id])
        except Exception:
            logger.exception("Could not queue delivery %s; it stays pending for `notifications_retry`.",
                             delivery_id)


def delivery_attempt(*, delivery_id: int) -> str:
    """Try to send one delivery once. Returns SENT, RETRY (pending again, with next_attempt_at), FAILED,
    or SKIPPED (not pending: already sent, failed, or being sent by someone else)."""
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return SKIPPED
    delivery = Delivery.objects.select_related("message__applicant__user", "message__recipient").get(pk=delivery_id)
    channel = get_channel(delivery.channel)
    where = f"{delivery.channel} delivery {delivery.pk} to {delivery.address_masked}"
    try:
        if channel is None or not channel.is_enabled():
            raise PermanentError("该渠道未启用或已移除。")
        provider_id = channel.send(delivery) or ""
    except Exception as exc:  # any error of a channel is recorded; only a PermanentError is final at once
        error = mask_text(f"{type(exc).__name__}: {exc}" if not isinstance(exc, DeliveryError) else str(exc))
        delivery.last_error = error[:500]
        retryable = not isinstance(exc, PermanentError)
        if retryable and delivery.attempts < max_attempts():
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            outcome = RETRY
            logger.warning("%s failed (attempt %s), retry at %s: %s", where, delivery.attempts,
                           delivery.next_attempt_at.isoformat(), error)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            outcome = FAILED
            logger.error("%s failed for good after %s attempt(s): %s", where, delivery.attempts, error)
        delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        return outcome
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.provider_id = str(provider_id)[:100]
    delivery.save(update_fields=["status", "sent_at", "next_attempt_at", "provider_id"])
    logger.info("%s sent (attempt %s)", where, delivery.attempts)
    return SENT


def deliveries_retry_due(*, stuck_after: dt.timedelta = dt.timedelta(minutes=15)) -> list[int]:
    """Queue every pending delivery whose time has come. Deliveries stuck in "sending" (a worker died while
    sending) go back to pending first: they may then be sent twice, which beats never."""
    now = timezone.now()
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - stuck_after)
    for row in stuck.only("pk", "channel", "address"):
        logger.warning("%s delivery %s to %s was stuck while sending; it will be tried again.", row.channel,
                       row.pk, row.address_masked)
    stuck.update(status=DeliveryStatus.PENDING, next_attempt_at=now)
    due = list(Delivery.objects.filter(status=DeliveryStatus.PENDING)
               .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:1000])
    deliveries_enqueue(due)
    return due


def deliveries_retry(*, delivery_ids: list[int]) -> int:
    """Send these deliveries again now (admin action): failed ones start over with a fresh attempt count."""
    now = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now)
    ids = list(Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
               .values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
    deliveries_enqueue(ids)
    return len(ids)
