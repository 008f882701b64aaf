"""Reads of cases, always through the caller's data scope (DESIGN.md §3).

- Staff see the cases of the departments their roles cover (`permissions.staff_case_scope`: their
  department, or every department of their region for region-wide roles).
- Applicants see the cases of applicant records linked to their account, and cases they filed.
- Anything else is a 404 (`NotFound`), never a 403: whether a case exists is itself not disclosed.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.core.errors import NotFound
from onewindow.org.permissions import has_role

from . import permissions as perm
from .constants import OPEN_STATUSES, CaseStatus
from .models import Case, CaseEvent, CaseMaterial

__all__ = [
    "CASE_NOT_FOUND",
    "CLOCK_FILTERS",
    "PROGRESS_NOT_FOUND",
    "ClockState",
    "PublicProgress",
    "case_clock_state",
    "case_get_for_user",
    "case_list_for_user",
    "case_progress_public",
    "case_timeline",
    "is_case_staff",
]

CASE_NOT_FOUND = "未找到该办件。"
# One message for an unknown number and a wrong ID tail: the answer must not tell which was wrong.
PROGRESS_NOT_FOUND = "未找到该办件，请核对办件编号和证件号码后六位。"
MAX_NUMBER_LENGTH = 40


class ClockState(models.TextChoices):
    """Where an open case stands against its deadline (红黄牌 in supervision terms)."""

    OVERDUE = "overdue", _("已超期")  # past due_at: red
    WARNING = "warning", _("即将到期")  # past warn_at, not yet due: yellow
    NORMAL = "normal", _("正常")  # running, before warn_at
    PAUSED = "paused", _("暂停计时")  # correction during review or a special procedure
    NONE = "none", _("未计时")  # not started (not accepted), or finished


# The states a list can be filtered by.
CLOCK_FILTERS = (ClockState.OVERDUE, ClockState.WARNING, ClockState.NORMAL)


def is_case_staff(user) -> bool:
    """Holds a role that sees cases (in any department)."""
    return has_role(user, perm.VIEWERS)


def _scope(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    own = Q(applicant__user=user) | Q(created_by=user)
    if getattr(user, "is_superuser", False):
        return Q()
    if is_case_staff(user):
        scope = own | Q(department__in=perm.staff_case_scope(user))
        window_items = perm.window_items(user)
        return scope | Q(item_id__in=window_items) if window_items else scope
    return own


def _visible(user) -> QuerySet[Case]:
    return Case.objects.filter(_scope(user))


def case_clock_state(case: Case, *, now: dt.datetime | None = None) -> str:
    if case.status not in OPEN_STATUSES:
        return ClockState.NONE
    if case.paused_at is not None or case.status == CaseStatus.SUSPENDED:
        return ClockState.PAUSED
    if case.due_at is None:
        return ClockState.NONE
    now = now or timezone.now()
    if case.due_at < now:
        return ClockState.OVERDUE
    if case.warn_at is not None and case.warn_at <= now:
        return ClockState.WARNING
    return ClockState.NORMAL


def _clock_filter(state: str, now: dt.datetime) -> Q:
    open_running = Q(status__in=OPEN_STATUSES, paused_at__isnull=True, due_at__isnull=False)
    if state == ClockState.OVERDUE:
        return open_running & Q(due_at__lt=now)
    if state == ClockState.WARNING:
        return open_running & Q(due_at__gte=now, warn_at__lte=now)
    if state == ClockState.NORMAL:
        return open_running & Q(due_at__gte=now) & (Q(warn_at__gt=now) | Q(warn_at__isnull=True))
    raise ValueError(state)


def case_get_for_user(*, user, number: str, detail: bool = False) -> Case:
    """The case with this number if the user may see it, else NotFound.

    With `detail`, materials (with their slot), correction notices, extensions and pauses come prefetched.
    """
    number = (number or "").strip()
    if not number or len(number) > MAX_NUMBER_LENGTH:
        raise NotFound(CASE_NOT_FOUND)
    qs = _visible(user).select_related("item", "version", "department__region", "region", "applicant", "hall",
                                       "window")
    if detail:
        qs = qs.prefetch_related(
            Prefetch("materials", queryset=CaseMaterial.objects.select_related("spec")
                     .order_by("spec__sort", "spec_id", "uploaded_at")),
            Prefetch("version__materials"),
            "correction_notices", "extensions", "pauses",
        )
    case = qs.filter(number=number).first()
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    return case


def case_list_for_user(
    *,
    user,
    status: list[str] | None = None,
    department=None,
    item=None,
    clock: str | None = None,
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
    search: str = "",
    ordering: str | None = None,
) -> QuerySet[Case]:
    """The caller's cases, filtered. Staff inboxes come by due date (soonest first, unclocked last), then by
    submission; applicants see their newest first. Each row's item, version, department and applicant are
    joined, so a page costs one query whatever its size."""
    qs = _visible(user).select_related("item", "version", "department", "applicant")
    if status:
        qs = qs.filter(status__in=status)
    if department is not None:
        qs = qs.filter(department=department)
    if item is not None:
        qs = qs.filter(item=item)
    if clock:
        qs = qs.filter(_clock_filter(clock, timezone.now()))
    tz = timezone.get_current_timezone()
    if submitted_from:
        qs = qs.filter(submitted_at__gte=dt.datetime.combine(submitted_from, dt.time.min, tzinfo=tz))
    if submitted_to:
        qs = qs.filter(submitted_at__lt=dt.datetime.combine(submitted_to + dt.timedelta(days=1), dt.time.min,
                                                            tzinfo=tz))
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(number__startswith=search) | Q(applicant__name__icontains=search))
    if ordering is None:
        ordering = "due_at" if is_case_staff(user) else "-submitted_at"
    if ordering == "due_at":
        qs = qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")
    elif ordering == "submitted_at":
        qs = qs.order_by("submitted_at", "pk")
    else:
        qs = qs.order_by("-submitted_at", "-pk")
    return qs


def case_timeline(case: Case, *, public_only: bool) -> list[CaseEvent]:
    """The case's events, oldest first; `public_only` keeps what the applicant may see."""
    events = CaseEvent.objects.filter(case=case)
    if public_only:
        events = events.filter(public=True)
    return list(events.order_by("created_at", "id"))


# ------------------------------------------------------------------ public progress query

@dataclass(frozen=True)
class PublicEvent:
    action: str
    action_label: str
    status: str
    status_label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicProgress:
    """What anyone holding the case number and the ID tail may learn: no personal data at all."""

    number: str
    item_name: str
    department_name: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    due_at: dt.datetime | None
    deadline_provisional: bool
    clock_state: str
    completed_at: dt.datetime | None
    delivered_at: dt.datetime | None
    correction_materials: list[str] = field(default_factory=list)
    events: list[PublicEvent] = field(default_factory=list)


def _tail_matches(identifier: str, tail: str) -> bool:
    expected = (identifier or "")[-6:].upper().encode()
    given = (tail or "").strip().upper().encode()
    return len(expected) == 6 and hmac.compare_digest(expected, given)


def case_progress_public(*, number: str, id_tail: str) -> PublicProgress:
    """Progress of a case for whoever knows its number and the last 6 characters of the applicant's
    居民身份证号码 / 统一社会信用代码 (case-insensitive). Unknown number and wrong tail: the same NotFound."""
    number = (number or "").strip()
    case = None
    if number and len(number) <= MAX_NUMBER_LENGTH:
        case = (Case.objects.select_related("version", "department", "applicant")
                .filter(number=number).first())
    if case is None or not _tail_matches(case.applicant.identifier, id_tail):
        raise NotFound(PROGRESS_NOT_FOUND)
    events = [
        PublicEvent(action=e.action, action_label=e.get_action_display(), status=e.to_status,
                    status_label=CaseStatus(e.to_status).label if e.to_status in CaseStatus.values else "",
                    at=e.created_at)
        for e in case_timeline(case, public_only=True)
    ]
    correction = []
    if case.status == CaseStatus.CORRECTION_REQUESTED:
        notice = case.correction_notices.filter(resolved_at__isnull=True).order_by("-issued_at").first()
        correction = [i.get("name", "") for i in (notice.items if notice else [])]
    return PublicProgress(
        number=case.number, item_name=case.version.name, department_name=case.department.name,
        status=case.status, status_label=case.get_status_display(), submitted_at=case.submitted_at,
        accepted_at=case.accepted_at, due_at=case.due_at, deadline_provisional=case.deadline_provisional,
        clock_state=case_clock_state(case), completed_at=case.completed_at, delivered_at=case.delivered_at,
        correction_materials=correction, events=events,
    )
