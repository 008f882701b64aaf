"""体外循环 (off-system handling) rules. Each reads the case event log of a time window and returns findings.

The event log is the record of when things were *entered* into the platform (CaseEvent.created_at is
indexed), so the rules read ranges of it, never every case. Thresholds: settings.SUPERVISION_ANOMALY
(defaults in conf.py); each rule is described in docs/supervision.md §4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q

from onewindow.cases.constants import Action, CaseStatus
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalogue.constants import HandlingType
from onewindow.workcalendar.clock import clock_settings, is_workday

from .conf import anomaly_setting
from .constants import AnomalyRule


@dataclass
class Finding:
    case_id: int
    account_id: int | None
    occurred_at: dt.datetime
    detail: dict = field(default_factory=dict)


@dataclass
class Window:
    """The stretch of the event log a detection run covers: (start, end]; `last_case_id` for new rows."""

    start: dt.datetime
    end: dt.datetime
    last_case_id: int | None = None


def _iso(value: dt.datetime) -> str:
    return value.astimezone(clock_settings().tz).isoformat(timespec="seconds")


def quick_decision(window: Window) -> list[Finding]:
    """A promised item (承诺件) decided within N minutes of its acceptance: the review happened elsewhere."""
    minutes = anomaly_setting("quick_decision_minutes")
    rows = (CaseEvent.objects.filter(action=Action.DECIDE, created_at__gt=window.start, created_at__lte=window.end,
                                     case__version__handling_type=HandlingType.PROMISED,
                                     case__accepted_at__isnull=False,
                                     created_at__lt=F("case__accepted_at") + dt.timedelta(minutes=minutes))
            .order_by().values_list("case_id", "actor_id", "created_at", "case__accepted_at"))
    findings = []
    for case_id, actor_id, decided_at, accepted_at in rows:
        gap = max((decided_at - accepted_at).total_seconds(), 0)
        findings.append(Finding(case_id, actor_id, decided_at, {
            "minutes": round(gap / 60, 1), "limit_minutes": minutes,
            "accepted_at": _iso(accepted_at), "decided_at": _iso(decided_at)}))
    return findings


def no_decide_step(window: Window) -> list[Finding]:
    """Completed (or delivered) without any decision event: the decision was not made on the platform.

    Looks at completions logged in the window and at cases that appeared since the last run already
    completed (entered after the fact, e.g. imported).
    """
    completions = dict(CaseEvent.objects.filter(action__in=[Action.COMPLETE, Action.DELIVER],
                                                created_at__gt=window.start, created_at__lte=window.end)
                       .order_by("created_at").values_list("case_id", "actor_id"))
    new_cases = Case.objects.filter(status__in=[CaseStatus.COMPLETED, CaseStatus.DELIVERED]).order_by()
    if window.last_case_id is not None:
        new_cases = new_cases.filter(pk__gt=window.last_case_id)
    else:
        new_cases = new_cases.filter(created_at__gt=window.start)
    ids = set(completions) | set(new_cases.values_list("pk", flat=True))
    decided = CaseEvent.objects.filter(case_id=OuterRef("pk"), action__in=[Action.DECIDE, Action.INSTANT])
    findings = []
    for chunk in _chunks(sorted(ids)):
        rows = (Case.objects.filter(pk__in=chunk, status__in=[CaseStatus.COMPLETED, CaseStatus.DELIVERED])
                .exclude(Exists(decided)).order_by()
                .values_list("pk", "completed_at", "created_at", "decided_by_id", "accepted_by_id", "created_by_id"))
        for pk, completed_at, created_at, decided_by, accepted_by, created_by in rows:
            account = completions.get(pk) or decided_by or accepted_by or created_by
            findings.append(Finding(pk, account, completed_at or created_at, {
                "completed_at": _iso(completed_at) if completed_at else None,
                "entered_at": _iso(created_at), "without_events": pk not in completions}))
    return findings


def _bursts(times: list[dt.datetime], span: dt.timedelta, minimum: int) -> dict[int, tuple[int, int]]:
    """Index → (first, last) index of a run of at least `minimum` instants within `span` containing it."""
    found: dict[int, tuple[int, int]] = {}
    j = 0
    for i in range(len(times)):
        j = max(j, i)
        while j + 1 < len(times) and times[j + 1] - times[i] <= span:
            j += 1
        if j - i + 1 >= minimum:
            for k in range(i, j + 1):
                found.setdefault(k, (i, j))
    return found


def _by_actor(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(row)
    return grouped


def bulk_entry(window: Window) -> list[Finding]:
    """At least N cases accepted by one account within M minutes, each filed long before (补录)."""
    minimum = anomaly_setting("bulk_count")
    span = dt.timedelta(minutes=anomaly_setting("bulk_window_minutes"))
    lag = dt.timedelta(hours=anomaly_setting("bulk_submission_lag_hours"))
    rows = (CaseEvent.objects.filter(action__in=[Action.ACCEPT, Action.ACCEPT_WITH_WAIVER],
                                     created_at__gt=window.start - span, created_at__lte=window.end,
                                     actor__isnull=False, case__submitted_at__lte=F("created_at") - lag)
            .order_by("actor_id", "created_at").values_list("case_id", "actor_id", "created_at", "case__submitted_at"))
    findings = []
    for actor_id, events in _by_actor(rows).items():
        times = [e[2] for e in events]
        for k, (i, j) in _bursts(times, span, minimum).items():
            case_id, _, accepted_at, submitted_at = events[k]
            findings.append(Finding(case_id, actor_id, accepted_at, {
                "count": j - i + 1, "window_minutes": int(span.total_seconds() // 60),
                "first_at": _iso(times[i]), "last_at": _iso(times[j]), "submitted_at": _iso(submitted_at),
                "lag_hours": round((accepted_at - submitted_at).total_seconds() / 3600, 1)}))
    return findings


def _off_hours(instant: dt.datetime, grace: dt.timedelta) -> bool:
    s = clock_settings()
    local = instant.astimezone(s.tz)
    if not is_workday(local.date()):
        return True
    opens = dt.datetime.combine(local.date(), s.office_start, s.tz) - grace
    closes = dt.datetime.combine(local.date(), s.office_end, s.tz) + grace
    return local < opens or local > closes


def after_hours(window: Window) -> list[Finding]:
    """One account deciding outside office hours (or on rest days and holidays) N times within D days."""
    minimum = anomaly_setting("after_hours_count")
    span = dt.timedelta(days=anomaly_setting("after_hours_days"))
    grace = dt.timedelta(minutes=anomaly_setting("after_hours_grace_minutes"))
    s = clock_settings()
    lo = window.start - span
    first, last = lo.astimezone(s.tz).date(), window.end.astimezone(s.tz).date()
    rest_days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)
                 if not is_workday(first + dt.timedelta(days=n))]
    opens = (dt.datetime.combine(first, s.office_start) - grace).time()
    closes = (dt.datetime.combine(first, s.office_end) + grace).time()
    rows = (CaseEvent.objects.filter(action__in=[Action.DECIDE, Action.INSTANT], created_at__gt=lo,
                                     created_at__lte=window.end, actor__isnull=False)
            .filter(Q(created_at__time__lt=opens) | Q(created_at__time__gt=closes)
                    | Q(created_at__date__in=rest_days))
            .order_by("actor_id", "created_at").values_list("case_id", "actor_id", "created_at"))
    findings = []
    for actor_id, events in _by_actor(r for r in rows if _off_hours(r[2], grace)).items():
        times = [e[2] for e in events]
        for k, (i, j) in _bursts(times, span, minimum).items():
            case_id, _, decided_at = events[k]
            local = decided_at.astimezone(s.tz)
            findings.append(Finding(case_id, actor_id, decided_at, {
                "count": j - i + 1, "days": span.days, "decided_at": _iso(decided_at),
                "rest_day": not is_workday(local.date()), "first_at": _iso(times[i]), "last_at": _iso(times[j])}))
    return findings


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


RULES: dict[str, Callable[[Window], list[Finding]]] = {
    AnomalyRule.QUICK_DECISION: quick_decision,
    AnomalyRule.NO_DECIDE_STEP: no_decide_step,
    AnomalyRule.BULK_ENTRY: bulk_entry,
    AnomalyRule.AFTER_HOURS: after_hours,
}
