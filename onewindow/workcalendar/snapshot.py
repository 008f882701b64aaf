"""The per-process calendar snapshot and its invalidation.

Each process keeps one CalendarSnapshot (two queries and a few milliseconds to build). It is dropped

* at once in the process that changes a day or a year (services, and post_save/post_delete for anything
  that bypasses them), and
* in every other process when the shared version counter in the Django cache moves; a process looks at
  the counter at most every WORKCALENDAR_VERSION_CHECK_SECONDS (default 5), so deadline computation does
  not pay a cache round trip, and
* after WORKCALENDAR_SNAPSHOT_MAX_AGE seconds (default 600) whatever happens, a safety net for a change
  that was rolled back after the local snapshot had already been rebuilt.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

from .clock import CalendarSnapshot
from .constants import EXCEPTION_KINDS

logger = logging.getLogger("onewindow.workcalendar")

VERSION_KEY = "workcalendar:version"
MISSING_KEY = "workcalendar:missing-years"

_lock = threading.Lock()
_snapshot: CalendarSnapshot | None = None
_next_check = 0.0
_reported: set[int] = set()


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def build_snapshot(version: object = None) -> CalendarSnapshot:
    from .models import CalendarDay, CalendarYear

    rows = CalendarDay.objects.filter(kind__in=EXCEPTION_KINDS).values_list("date", "kind", "holiday_name")
    exceptions = {day: (kind, name) for day, kind, name in rows}
    years = CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True)
    return CalendarSnapshot(exceptions, list(years), version=version, built_at=time.monotonic())


def current_calendar() -> CalendarSnapshot:
    """The process's snapshot, rebuilt when the calendar changed."""
    global _snapshot, _next_check
    snap = _snapshot
    now = time.monotonic()
    if snap is not None and now < _next_check:
        return snap
    with _lock:
        snap = _snapshot
        now = time.monotonic()
        if snap is not None and now < _next_check:
            return snap
        version = _shared_version()
        max_age = float(getattr(settings, "WORKCALENDAR_SNAPSHOT_MAX_AGE", 600))
        if snap is None or snap.version != version or now - snap.built_at > max_age:
            snap = build_snapshot(version)
            _snapshot = snap
        _next_check = now + float(getattr(settings, "WORKCALENDAR_VERSION_CHECK_SECONDS", 5))
        return snap


def invalidate_local() -> None:
    """Forget this process's snapshot (the next computation rebuilds it)."""
    global _snapshot, _next_check
    with _lock:
        _snapshot = None
        _next_check = 0.0


def invalidate_everywhere() -> None:
    """Forget the snapshot here and make every other process rebuild at its next version check."""
    invalidate_local()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def report_missing_years(years: tuple[int, ...]) -> None:
    """Called by the clock when a deadline ran into unconfigured years: log once per year and process,
    and remember the year (in the shared cache) so that administrators are told to configure it."""
    new = [y for y in years if y not in _reported]
    if not new:
        return
    _reported.update(new)
    for year in new:
        logger.warning("工作日历缺少 %s 年的配置：涉及该年度的办理期限按周一至周五临时计算，请管理员配置该年度。", year)
    try:
        known = set(cache.get(MISSING_KEY) or ())
        cache.set(MISSING_KEY, sorted(known | set(new)), timeout=None)
    except Exception:  # the cache is advisory here; a deadline must never fail because of it
        logger.exception("could not record missing calendar years in the cache")


def requested_missing_years() -> set[int]:
    """Years that deadlines ran into without a configured calendar (from any process)."""
    return set(cache.get(MISSING_KEY) or ()) | set(_reported)


def forget_reported_years() -> None:
    """For tests: forget which years were reported."""
    _reported.clear()
    cache.delete(MISSING_KEY)
