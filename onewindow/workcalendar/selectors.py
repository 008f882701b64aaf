"""Reads of the working-day calendar."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from . import snapshot
from .clock import CalendarSnapshot
from .constants import DayKind
from .models import CalendarDay, CalendarYear

__all__ = [
    "calendar_snapshot",
    "calendar_configured_years",
    "calendar_missing_years_needed",
    "calendar_year_days",
    "calendar_year_listing",
    "calendar_year_list",
]


def calendar_snapshot() -> CalendarSnapshot:
    """The cached snapshot the clock computes on (see snapshot.py for how it is kept fresh)."""
    return snapshot.current_calendar()


def calendar_configured_years() -> list[int]:
    return sorted(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))


def calendar_missing_years_needed(*, today: dt.date | None = None) -> list[int]:
    """Years administrators should configure now: this year and next year when they are not configured,
    years with a CalendarYear row that is not complete, and years that deadlines have already run into.

    From October on, deadlines of a few weeks already reach into next year, so next year is always listed
    until its calendar is configured (the State Council publishes it around November).
    """
    today = today or timezone.localdate()
    configured = set(calendar_configured_years())
    wanted = {today.year, today.year + 1}
    wanted |= set(CalendarYear.objects.filter(is_complete=False).values_list("year", flat=True))
    wanted |= {y for y in snapshot.requested_missing_years() if today.year - 1 <= y <= today.year + 20}
    return sorted(y for y in wanted if y not in configured)


def calendar_year_days(*, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def calendar_year_listing(*, year: int) -> tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]:
    """(holidays, make-up working days) of a year, as the import takes them."""
    rows = CalendarDay.objects.filter(date__year=year, kind__in=[DayKind.HOLIDAY, DayKind.MAKEUP]).order_by("date")
    holidays = [(r.date, r.holiday_name) for r in rows if r.kind == DayKind.HOLIDAY]
    makeups = [(r.date, r.holiday_name) for r in rows if r.kind == DayKind.MAKEUP]
    return holidays, makeups


def calendar_year_list() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("-year")
