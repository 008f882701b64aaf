"""Helpers every transition shares: the row lock, the event row, the case number, the clock."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from onewindow.core.errors import ApplicationError, Conflict
from onewindow.workcalendar.clock import compute_deadline

from ..models import Case, CaseEvent, CaseNumberSequence
from ..signals import case_event_committed

logger = logging.getLogger("onewindow.cases")
MAX_EXTENSION_DAYS_DEFAULT = 10  # 《行政许可法》第四十二条: extension of at most ten days


def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return actor.get_full_name() or actor.get_username()


def _event(case: Case, *, actor, action: str, from_status: str, comment: str = "", data: dict | None = None,
           role: str = "", public: bool = True) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, actor=actor if getattr(actor, "is_authenticated", False) else None, actor_label=_label(actor),
        role=role, action=action, from_status=from_status, to_status=case.status, comment=comment,
        data=data or {}, public=public,
        clock={"due_at": case.due_at, "warn_at": case.warn_at, "provisional": case.deadline_provisional,
               "paused_at": case.paused_at, "extension_days": case.extension_days},
    )
    case_id, event_id = case.pk, event.pk
    # send_robust: a failing receiver (documents, notifications ...) never reaches the request or skips the others.
    transaction.on_commit(lambda: _notify(case_id, event_id, action))
    return event


def _notify(case_id: int, event_id: int, action: str) -> None:
    for receiver, result in case_event_committed.send_robust(sender=Case, case_id=case_id, event_id=event_id,
                                                             action=action):
        if isinstance(result, Exception):
            logger.error("case event receiver %s failed for case %s event %s", receiver, case_id, event_id,
                         exc_info=result)


def _lock(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    # of=("self",): lock the case row only. Locking the joined item, department or region rows would queue
    # every transition of a department behind every other (and deadlock with concurrent filings).
    return Case.objects.select_for_update(of=("self",)).select_related(
        "version__item_type", "department__region", "applicant", "item").get(pk=pk)


def _expect(case: Case, allowed: set[str] | tuple[str, ...], what: str) -> None:
    if case.status not in allowed:
        raise Conflict(f"办件当前状态为“{case.get_status_display()}”，不能{what}。", code="invalid_transition")


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", fields={field: message})
    return value


def _next_number(region_code: str, day: dt.date) -> str:
    try:
        with transaction.atomic():
            seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(region_code=region_code, day=day)
    except IntegrityError:  # created concurrently: the row exists now
        seq = CaseNumberSequence.objects.select_for_update().get(region_code=region_code, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{region_code}{day:%Y%m%d}{seq.last:05d}"


def case_clock_recompute(case: Case) -> None:
    """Store due/warn instants from the acceptance time, the pause ledger and approved extensions."""
    if case.accepted_at is None:
        case.due_at = case.warn_at = None
        case.deadline_provisional = False
        return
    version = case.version
    pauses = [(p.started_at, p.ended_at) for p in case.pauses.order_by("started_at")]
    deadline = compute_deadline(case.accepted_at, version.promised_days, version.promised_days_unit,
                                pauses=pauses, extensions=[case.extension_days] if case.extension_days else [])
    case.due_at, case.warn_at = deadline.due_at, deadline.warn_at
    case.deadline_provisional = deadline.provisional


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=list(fields))
