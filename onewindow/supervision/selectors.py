"""Reads of supervision data, always within the caller's data scope (permissions.supervision_scope).

Lists are one query per page (page_size + 1 rows tell whether another page follows; no total count);
dashboard counts are one grouped query per grouping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from onewindow.core.errors import NotFound
from onewindow.org.models import Department, Hall, Window

from .constants import CardLevel
from .models import OPEN_CARD, Anomaly, Card
from .permissions import Scope, supervision_scope

__all__ = [
    "Page",
    "CardSummary",
    "CARD_ORDERINGS",
    "cards_list",
    "card_get",
    "cards_summary",
    "cards_totals",
    "anomalies_count",
    "anomalies_list",
    "anomaly_get",
    "card_queryset",
]


@dataclass
class Page:
    results: list
    page: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass
class CardSummary:
    totals: dict[str, int] = field(default_factory=dict)
    departments: list[dict] = field(default_factory=list)
    windows: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


def _scoped(qs: QuerySet, scope: Scope, *, department=None, hall=None) -> QuerySet:
    """Apply the scope, skipping it when a filter already keeps the rows inside (keeps the index plan simple)."""
    if scope.everything:
        return qs
    if department is not None and scope.covers_department(department.pk):
        return qs
    if hall is not None and scope.covers_hall(hall.pk):
        return qs
    return qs.filter(scope.q())


def _period(qs: QuerySet, field_name: str, since: dt.date | None, until: dt.date | None) -> QuerySet:
    if since is not None:
        qs = qs.filter(**{f"{field_name}__gte": _day_start(since)})
    if until is not None:
        qs = qs.filter(**{f"{field_name}__lt": _day_start(until + dt.timedelta(days=1))})
    return qs


def card_queryset(*, user, level: str | None = None, department=None, hall=None, window=None, staff=None,
                  item=None, step: str | None = None, open_only: bool | None = None,
                  since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Card]:
    """Cards the user may see, filtered. `open_only=True`: current cards (case still on the clock, not yet
    followed by a red card); False: only finished ones; None: all (the permanent record)."""
    scope = supervision_scope(user)
    qs = _scoped(Card.objects.all(), scope, department=department, hall=hall)
    if level:
        qs = qs.filter(level=level)
    if department is not None:
        qs = qs.filter(department_id=department.pk)
    if hall is not None:
        qs = qs.filter(hall_id=hall.pk)
    if window is not None:
        qs = qs.filter(window_id=window.pk)
    if staff is not None:
        qs = qs.filter(responsible_id=staff.pk)
    if item is not None:
        qs = qs.filter(item_id=item.pk)
    if step:
        qs = qs.filter(step=step)
    if open_only is True:
        qs = qs.filter(OPEN_CARD)
    elif open_only is False:
        qs = qs.exclude(OPEN_CARD)
    return _period(qs, "issued_at", since, until)


def _name_of(model, column: str, key: str) -> Subquery:
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(column)[:1])


# Orderings a list may ask for. "red" sorts before "yellow", so `level` ascending puts red cards first
# (the dashboard's default: inspectors want red first); every ordering ends with the id to be stable.
CARD_ORDERINGS = {
    "red_first": ("level", "-issued_at", "-id"),
    "newest": ("-issued_at", "-id"),
    "oldest": ("issued_at", "id"),
    "deadline": ("deadline_at", "id"),
}
assert CardLevel.RED.value < CardLevel.YELLOW.value


def cards_list(*, user, page: int = 1, page_size: int = 20, ordering: str = "newest", **filters) -> Page:
    """One page of cards, newest first (or another of CARD_ORDERINGS), with what a list row shows (one query).

    The case and item are joined; the names of the department, hall, window and responsible person come as
    scalar subqueries (`department_name`, `hall_name`, `window_number`, `window_name`, `responsible_name`):
    PostgreSQL plans a seven-table join in ~6 ms, far longer than it runs it (docs/supervision.md §8).
    """
    qs = _card_rows(card_queryset(user=user, **filters)).order_by(
        *CARD_ORDERINGS.get(ordering, CARD_ORDERINGS["newest"]))
    offset = (page - 1) * page_size
    rows = list(qs[offset:offset + page_size + 1])
    return Page(rows[:page_size], page, page_size, len(rows) > page_size)


def _card_rows(qs: QuerySet[Card]) -> QuerySet[Card]:
    user_name = get_user_model().objects.filter(pk=OuterRef("responsible_id")).order_by().values(
        display=Coalesce(NullIf("name", Value("")), "username"))[:1]
    return (qs.select_related("case", "item")
            .only("id", "level", "step", "issued_at", "deadline_at", "escalated_at", "resolved_at", "late_by",
                  "alerted_at", "department_id", "hall_id", "window_id", "responsible_id", "case__number",
                  "case__status", "item__implementation_code", "item__name")
            .annotate(department_name=_name_of(Department, "name", "department_id"),
                      hall_name=_name_of(Hall, "name", "hall_id"),
                      window_number=_name_of(Window, "number", "window_id"),
                      window_name=_name_of(Window, "name", "window_id"),
                      responsible_name=Subquery(user_name)))


def card_get(*, user, card_id: int) -> Card:
    """One card the user may see, with what a list row shows (one query), or NotFound."""
    card = _card_rows(card_queryset(user=user).filter(pk=card_id)).first()
    if card is None:
        raise NotFound("未找到该亮牌记录。")
    return card


def _pivot(rows, key: str, describe) -> list[dict]:
    """Grouped (key, level, n) rows → one dict per key with yellow and red counts, most red first."""
    out: dict = {}
    for row in rows:
        entry = out.setdefault(row[key], {**describe(row), CardLevel.YELLOW.value: 0, CardLevel.RED.value: 0})
        entry[row["level"]] = row["n"]
    return sorted(out.values(), key=lambda e: (-e["red"], -e["yellow"], str(e.get("name", ""))))


def _staff_name(row) -> str:
    return row["responsible__name"] or row["responsible__username"] or ""


def cards_summary(*, user, **filters) -> CardSummary:
    """Counts by level × department, × window and × responsible person (three grouped queries)."""
    qs = card_queryset(user=user, **filters).order_by()
    departments = _pivot(
        qs.values("department_id", "department__name", "level").annotate(n=Count("id")), "department_id",
        lambda r: {"id": r["department_id"], "name": r["department__name"]})
    windows = _pivot(
        qs.filter(window__isnull=False)
        .values("window_id", "window__number", "window__name", "window__hall__name", "level").annotate(n=Count("id")),
        "window_id",
        lambda r: {"id": r["window_id"], "number": r["window__number"], "name": r["window__name"],
                   "hall": r["window__hall__name"]})
    staff = _pivot(
        qs.filter(responsible__isnull=False)
        .values("responsible_id", "responsible__name", "responsible__username", "level").annotate(n=Count("id")),
        "responsible_id", lambda r: {"id": r["responsible_id"], "name": _staff_name(r)})
    totals = {level: sum(d[level] for d in departments) for level in CardLevel.values}
    return CardSummary(totals, departments, windows, staff)


def _day_range(since: dt.date | None, until: dt.date | None) -> Q:
    cond = Q()
    if since is not None:
        cond &= Q(resolved_at__gte=_day_start(since))
    if until is not None:
        cond &= Q(resolved_at__lt=_day_start(until + dt.timedelta(days=1)))
    return cond


def cards_totals(*, user, since: dt.date | None = None, until: dt.date | None = None,
                 resolved_days: int = 30, **filters) -> dict[str, int]:
    """The dashboard's headline figures in one query: current red and yellow cards issued in the period,
    all red and yellow cards issued in it (the record), and cards resolved in it — by resolution date; with
    no period, in the last `resolved_days` days. `open_only` in `filters` is ignored."""
    filters.pop("open_only", None)
    qs = card_queryset(user=user, **filters).order_by()
    in_period = Q()
    if since is not None:
        in_period &= Q(issued_at__gte=_day_start(since))
    if until is not None:
        in_period &= Q(issued_at__lt=_day_start(until + dt.timedelta(days=1)))
    if since is None and until is None:
        resolved = Q(resolved_at__gte=timezone.now() - dt.timedelta(days=resolved_days))
    else:
        resolved = Q(resolved_at__isnull=False) & _day_range(since, until)
    red, yellow = CardLevel.RED.value, CardLevel.YELLOW.value
    return qs.aggregate(
        open_red=Count("id", filter=in_period & OPEN_CARD & Q(level=red)),
        open_yellow=Count("id", filter=in_period & OPEN_CARD & Q(level=yellow)),
        red=Count("id", filter=in_period & Q(level=red)),
        yellow=Count("id", filter=in_period & Q(level=yellow)),
        resolved=Count("id", filter=resolved),
    )


def _anomaly_queryset(*, user, rule: str | None = None, verdict: str | None = None, department=None, hall=None,
                      staff=None, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Anomaly]:
    """Findings the user may see, filtered (the one place the anomaly filters are applied)."""
    qs = _scoped(Anomaly.objects.all(), supervision_scope(user), department=department, hall=hall)
    if rule:
        qs = qs.filter(rule=rule)
    if verdict:
        qs = qs.filter(verdict=verdict)
    if department is not None:
        qs = qs.filter(department_id=department.pk)
    if hall is not None:
        qs = qs.filter(hall_id=hall.pk)
    if staff is not None:
        qs = qs.filter(account_id=staff.pk)
    return _period(qs, "occurred_at", since, until)


def anomalies_count(*, user, verdict: str | None = None, department=None, hall=None,
                    since: dt.date | None = None, until: dt.date | None = None) -> int:
    """How many findings the user may see (e.g. those still waiting for review), in one query."""
    return _anomaly_queryset(user=user, verdict=verdict, department=department, hall=hall, since=since,
                             until=until).order_by().count()


def anomalies_list(*, user, rule: str | None = None, verdict: str | None = None, department=None, hall=None,
                   staff=None, since: dt.date | None = None, until: dt.date | None = None, page: int = 1,
                   page_size: int = 20) -> Page:
    """体外循环 findings for inspectors, newest first (one query per page)."""
    qs = _anomaly_rows(_anomaly_queryset(user=user, rule=rule, verdict=verdict, department=department, hall=hall,
                                         staff=staff, since=since, until=until))
    offset = (page - 1) * page_size
    rows = list(qs[offset:offset + page_size + 1])
    return Page(rows[:page_size], page, page_size, len(rows) > page_size)


def _anomaly_rows(qs: QuerySet) -> QuerySet[Anomaly]:
    return (qs.select_related("case", "item", "department", "account", "reviewed_by")
            .only("id", "rule", "occurred_at", "detected_at", "detail", "verdict", "review_comment", "reviewed_at",
                  "hall", "case__number", "case__status", "item__implementation_code", "item__name",
                  "department__name", "department__short_name", "account__username", "account__name",
                  "account__first_name", "account__last_name", "reviewed_by__username", "reviewed_by__name",
                  "reviewed_by__first_name", "reviewed_by__last_name")
            .order_by("-occurred_at", "-id"))


def anomaly_get(*, user, anomaly_id: int) -> Anomaly:
    """One finding the user may see, or NotFound."""
    scope = supervision_scope(user)
    anomaly = _anomaly_rows(Anomaly.objects.filter(pk=anomaly_id)).first()
    if anomaly is None or not scope.covers(anomaly.department_id, anomaly.hall_id):
        raise NotFound("未找到该异常办件。")
    return anomaly
