"""The deadline clock: pure functions over a cached snapshot of the working-day calendar.

Every rule is written out with worked examples in docs/workdays.md. In short:

* Counting starts the day after acceptance (民法典 第二百零一条: 开始的当日不计入). N working days → the
  due instant is the end of office hours of the N-th working day after the acceptance day
  (行政许可法 第八十二条: 期限以工作日计算，不含法定节假日; 民法典 第二百零三条: 有业务时间的，停止业务
  活动的时间为截止时间).
* N = 0 (即办件): the end of office hours of the acceptance day when that is a working day and acceptance
  happened before the office closed; otherwise of the next working day.
* N natural days: the N-th calendar day after the acceptance day; if that is not a working day, the next
  working day (民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
* Pauses (补正, 特别程序 ...): the working days up to and including the day a pause starts are used; counting
  resumes the day after the case resumes, with what was left. A pause that starts and ends on the same day
  costs nothing; a pause of k whole working days moves the deadline by exactly k working days. A pause that
  starts after the deadline has passed does not move it. While a pause is open there is no due instant.
* Extensions add days (in the unit of the deadline).
* Warning (黄牌): when one working day, or `warn_ratio` (20 %) of the days granted, remains — whichever
  comes first.
* A year without a complete calendar is counted Monday–Friday (plus any day already entered for it);
  the deadline is then *provisional* and lists the missing years.

The calendar is a set of exceptions (holidays, make-up working days) on top of a Monday–Friday week.
The snapshot precomputes, for the years it knows, the rank of every day (how many working days up to
it) and the ordinal of every working day; outside those years the Monday–Friday week has a closed form.
Adding N working days is then two list look-ups, whatever N is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple
from zoneinfo import ZoneInfo

from onewindow.core.errors import ApplicationError

from .constants import WORKING_KINDS, DayKind

__all__ = [
    "CalendarSnapshot",
    "ClockSettings",
    "Deadline",
    "SkippedDay",
    "WORKDAY",
    "NATURAL",
    "clock_settings",
    "compute_deadline",
    "add_workdays",
    "next_workday",
    "is_workday",
    "working_days_between",
    "skipped_days",
]

WORKDAY = "workday"
NATURAL = "natural"
_UNITS = (WORKDAY, NATURAL)
_MIN_ORDINAL = dt.date.min.toordinal()
_MAX_ORDINAL = dt.date.max.toordinal()


def _weekdays_upto(o: int) -> int:
    """How many Monday–Friday days have an ordinal in [1, o] (ordinal 1, 0001-01-01, is a Monday)."""
    q, r = divmod(o, 7)
    return q * 5 + (r if r < 5 else 5)


def _kth_weekday(k: int) -> int:
    """The ordinal of the k-th Monday–Friday day (the inverse of _weekdays_upto on weekdays)."""
    q, r = divmod(k - 1, 5)
    return q * 7 + r + 1


class SkippedDay(NamedTuple):
    date: dt.date
    kind: str
    name: str


class CalendarSnapshot:
    """An immutable, fast view of the calendar: exceptions to Monday–Friday and the configured years.

    `exceptions` maps a date to (kind, holiday name) for the days that differ from a plain week
    (holidays, make-up working days); `configured_years` are the years marked complete.
    """

    __slots__ = ("lo", "hi", "version", "configured_years", "_exceptions", "_rank", "_work", "_n", "_w_lo",
                 "_w_hi", "built_at")

    def __init__(self, exceptions: Mapping[dt.date, tuple[str, str]], configured_years: Iterable[int], *,
                 version: object = None, built_at: float = 0.0) -> None:
        self.version = version
        self.built_at = built_at
        self.configured_years = frozenset(int(y) for y in configured_years)
        self._exceptions = {d.toordinal(): (kind, name or "") for d, (kind, name) in exceptions.items()}
        years = set(self.configured_years) | {d.year for d in exceptions}
        if not years:
            years = {2000}
        self.lo = dt.date(min(years), 1, 1).toordinal()
        self.hi = dt.date(max(years), 12, 31).toordinal()
        rank: list[int] = []
        work: list[int] = []
        count = 0
        exc = self._exceptions
        for o in range(self.lo, self.hi + 1):
            entry = exc.get(o)
            working = (entry[0] in WORKING_KINDS) if entry is not None else ((o - 1) % 7 < 5)
            if working:
                count += 1
                work.append(o)
            rank.append(count)
        self._rank = rank
        self._work = work
        self._n = count
        self._w_lo = _weekdays_upto(self.lo - 1)
        self._w_hi = _weekdays_upto(self.hi)

    # -- ranks: the two primitives every rule is built on ---------------------------------------------
    def rank(self, o: int) -> int:
        """Working days from the snapshot's origin up to and including ordinal `o` (may be negative)."""
        if o < self.lo:
            return _weekdays_upto(o) - self._w_lo
        if o > self.hi:
            return self._n + _weekdays_upto(o) - self._w_hi
        return self._rank[o - self.lo]

    def select(self, k: int) -> int:
        """The ordinal of the working day whose rank is k."""
        if k <= 0:
            return _kth_weekday(self._w_lo + k)
        if k > self._n:
            return _kth_weekday(self._w_hi + k - self._n)
        return self._work[k - 1]

    # -- days ---------------------------------------------------------------------------------------
    def is_working_ordinal(self, o: int) -> bool:
        entry = self._exceptions.get(o)
        if entry is not None:
            return entry[0] in WORKING_KINDS
        return (o - 1) % 7 < 5

    def day_info(self, day: dt.date) -> tuple[str, str]:
        """(kind, holiday name) of a day; days without a row are plain workdays or weekend rest days."""
        entry = self._exceptions.get(day.toordinal())
        if entry is not None:
            return entry
        return (DayKind.WORKDAY.value, "") if day.weekday() < 5 else (DayKind.REST.value, "")

    def is_configured(self, year: int) -> bool:
        return year in self.configured_years

    def missing_years(self, first: int, last: int) -> tuple[int, ...]:
        configured = self.configured_years
        if first == last:
            return () if first in configured else (first,)
        return tuple(y for y in range(first, last + 1) if y not in configured)


class ClockSettings(NamedTuple):
    office_start: dt.time
    office_end: dt.time
    tz: ZoneInfo
    warn_ratio: Fraction


def _parse_time(value, name: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{name} must be HH:MM, got {value!r}") from exc


_settings_cache: ClockSettings | None = None


def clock_settings() -> ClockSettings:
    """Office hours, time zone and warning ratio from Django settings (read once; reset on change)."""
    global _settings_cache
    cached = _settings_cache
    if cached is None:
        from django.conf import settings

        cached = ClockSettings(
            office_start=_parse_time(getattr(settings, "OFFICE_HOURS_START", "09:00"), "OFFICE_HOURS_START"),
            office_end=_parse_time(getattr(settings, "OFFICE_HOURS_END", "17:30"), "OFFICE_HOURS_END"),
            tz=ZoneInfo(settings.TIME_ZONE or "Asia/Shanghai"),
            warn_ratio=Fraction(str(getattr(settings, "DEADLINE_WARN_RATIO", "0.2"))).limit_denominator(1000),
        )
        _settings_cache = cached
    return cached


def reset_clock_settings() -> None:
    global _settings_cache
    _settings_cache = None


class Deadline(NamedTuple):
    """What the clock answers. `due_at`/`warn_at` are None while a pause is open."""

    due_at: dt.datetime | None
    warn_at: dt.datetime | None
    provisional: bool
    missing_years: tuple[int, ...]
    total_days: int
    counted_from: dt.date
    paused: bool = False
    remaining_days: int | None = None


def _invalid(message: str, field: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code=code, fields={field: message})


def _local(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _invalid("时间必须是日期时间。", "start")
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def _from_ordinal(o: int, field: str = "days") -> dt.date:
    if o < _MIN_ORDINAL or o > _MAX_ORDINAL:
        raise _invalid("计算结果超出可表示的日期范围。", field, code="out_of_range")
    return dt.date.fromordinal(o)


def _due_ordinal(cal: CalendarSnapshot, s: ClockSettings, local: dt.datetime, days: int, unit: str) -> tuple[int, int]:
    """(due ordinal, first ordinal whose status mattered) for a clock started at `local`."""
    d = local.toordinal()
    if days == 0:
        if cal.is_working_ordinal(d) and local.time() <= s.office_end:
            return d, d
        return cal.select(cal.rank(d) + 1), d
    if unit == WORKDAY:
        return cal.select(cal.rank(d) + days), d + 1
    last = d + days
    return cal.select(cal.rank(last - 1) + 1), last


def _warn_ordinal(cal: CalendarSnapshot, s: ClockSettings, due: int, total: int, unit: str) -> int:
    """The day at whose office end the warning starts: 1 working day or ratio × total left, earliest."""
    ratio = s.warn_ratio
    share = -((-ratio.numerator * total) // ratio.denominator)  # ceil(ratio × total), exact
    if unit == WORKDAY:
        return cal.select(cal.rank(due) - (share if share > 1 else 1))
    one_working_day_left = cal.select(cal.rank(due) - 1)
    share_left = due - share
    return share_left if share_left < one_working_day_left else one_working_day_left


def _validate(days: int, unit: str) -> None:
    if unit not in _UNITS:
        raise _invalid("计时单位只能是 workday（工作日）或 natural（自然日）。", "unit")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise _invalid("天数必须是不小于 0 的整数。", "days")


def compute_deadline(
    start: dt.datetime,
    days: int,
    unit: str = WORKDAY,
    *,
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None]] = (),
    extensions: Sequence[int] = (),
    calendar: CalendarSnapshot | None = None,
    settings: ClockSettings | None = None,
) -> Deadline:
    """The due and warning instants of a clock started at `start` with `days` days in `unit`.

    `pauses` is the ledger of suspensions, in order: (paused_at, resumed_at or None while still paused).
    `extensions` are approved extra days in the same unit.
    """
    if days.__class__ is not int or days < 0 or unit not in _UNITS:
        _validate(days, unit)
    cal = calendar if calendar is not None else _current_calendar()
    s = settings if settings is not None else (_settings_cache or clock_settings())
    local = _local(start, s.tz)
    total = days
    for extra in extensions:
        if extra.__class__ is not int or extra < 0:
            raise _invalid("延期天数必须是不小于 0 的整数。", "extensions")
        total += extra
    try:
        if pauses:
            return _with_pauses(cal, s, local, total, unit, pauses)
        due_o, first_o = _due_ordinal(cal, s, local, total, unit)
        warn_o = _warn_ordinal(cal, s, due_o, total, unit)
    except (OverflowError, IndexError) as exc:
        raise _invalid("计算结果超出可表示的日期范围。", "days", code="out_of_range") from exc
    due_day = _from_ordinal(due_o)
    first_day = _from_ordinal(first_o, "start")
    missing = cal.missing_years(first_day.year, due_day.year)
    if missing:
        _report_missing(missing)
    tz = s.tz
    due_at = dt.datetime.combine(due_day, s.office_end, tz)
    warn_at = dt.datetime.combine(_from_ordinal(warn_o), s.office_end, tz)
    if warn_at < local:
        warn_at = local
    return Deadline(due_at, warn_at, bool(missing), missing, total, first_day)


def _with_pauses(cal: CalendarSnapshot, s: ClockSettings, local: dt.datetime, total: int, unit: str,
                 pauses: Sequence[tuple[dt.datetime, dt.datetime | None]]) -> Deadline:
    rank = cal.rank if unit == WORKDAY else (lambda o: o)
    anchor = local  # the instant counting (re)started from
    remaining = total
    previous_end = local
    first_o = None
    for index, pause in enumerate(pauses):
        paused_at, resumed_at = pause
        paused_local = _local(paused_at, s.tz)
        if paused_local < previous_end:
            raise _invalid("暂停记录必须按时间先后排列，且不能早于受理时间或上一次恢复时间。", "pauses",
                           code="invalid_pause")
        due_o, f_o = _due_ordinal(cal, s, anchor, remaining, unit)
        first_o = f_o if first_o is None else first_o
        due_at = dt.datetime.combine(dt.date.fromordinal(due_o), s.office_end, s.tz)
        if paused_local >= due_at:
            break  # already overdue when paused: a pause cannot cure lateness; later pauses neither
        used = rank(paused_local.toordinal()) - rank(anchor.toordinal())
        remaining = max(remaining - max(used, 0), 0)
        if resumed_at is None:
            if index != len(pauses) - 1:
                raise _invalid("只有最后一条暂停记录可以未恢复。", "pauses", code="invalid_pause")
            first_day = dt.date.fromordinal(first_o)
            missing = cal.missing_years(first_day.year, paused_local.year)
            if missing:
                _report_missing(missing)
            return Deadline(None, None, bool(missing), missing, total, first_day, True, remaining)
        resumed_local = _local(resumed_at, s.tz)
        if resumed_local < paused_local:
            raise _invalid("恢复时间不能早于暂停时间。", "pauses", code="invalid_pause")
        anchor = resumed_local
        previous_end = resumed_local
    due_o, f_o = _due_ordinal(cal, s, anchor, remaining, unit)
    first_o = f_o if first_o is None else first_o
    warn_o = _warn_ordinal(cal, s, due_o, total, unit)
    due_day = _from_ordinal(due_o)
    first_day = _from_ordinal(first_o, "start")
    missing = cal.missing_years(first_day.year, due_day.year)
    if missing:
        _report_missing(missing)
    due_at = dt.datetime.combine(due_day, s.office_end, s.tz)
    warn_at = dt.datetime.combine(_from_ordinal(warn_o), s.office_end, s.tz)
    # The warning never precedes the last resumption: a case just resumed with little left is yellow now.
    if warn_at < anchor:
        warn_at = anchor
    return Deadline(due_at, warn_at, bool(missing), missing, total, first_day)


# -- day-level helpers -----------------------------------------------------------------------------

def add_workdays(day: dt.date, n: int, *, calendar: CalendarSnapshot | None = None) -> dt.date:
    """The n-th working day after `day` (n ≥ 1), or before it (n ≤ -1); n = 0 gives `day` itself."""
    if n == 0:
        return day
    cal = calendar if calendar is not None else _current_calendar()
    o = day.toordinal()
    if n > 0:
        return _from_ordinal(cal.select(cal.rank(o) + n))
    return _from_ordinal(cal.select(cal.rank(o - 1) + n + 1))


def next_workday(day: dt.date, *, calendar: CalendarSnapshot | None = None) -> dt.date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    cal = calendar if calendar is not None else _current_calendar()
    o = day.toordinal()
    return _from_ordinal(cal.select(cal.rank(o - 1) + 1))


def is_workday(day: dt.date, *, calendar: CalendarSnapshot | None = None) -> bool:
    cal = calendar if calendar is not None else _current_calendar()
    return cal.is_working_ordinal(day.toordinal())


def working_days_between(a: dt.datetime | dt.date, b: dt.datetime | dt.date, *,
                         calendar: CalendarSnapshot | None = None) -> int:
    """Working days d with day(a) < d ≤ day(b); negative when b is earlier. 0 means "same working day".

    For a badge "还剩 N 个工作日": working_days_between(now, due_at); 0 means due today.
    """
    cal = calendar if calendar is not None else _current_calendar()
    tz = clock_settings().tz
    da = _local(a, tz).date() if isinstance(a, dt.datetime) else a
    db = _local(b, tz).date() if isinstance(b, dt.datetime) else b
    return cal.rank(db.toordinal()) - cal.rank(da.toordinal())


def skipped_days(first: dt.date, until: dt.date, *, calendar: CalendarSnapshot | None = None) -> list[SkippedDay]:
    """The non-working days d with first ≤ d < until, with their kind and holiday name."""
    cal = calendar if calendar is not None else _current_calendar()
    out: list[SkippedDay] = []
    for o in range(first.toordinal(), until.toordinal()):
        if not cal.is_working_ordinal(o):
            day = dt.date.fromordinal(o)
            kind, name = cal.day_info(day)
            out.append(SkippedDay(day, kind, name))
    return out


def _current_calendar() -> CalendarSnapshot:
    """The cached snapshot (snapshot.py imports Django models, so it is bound on first use)."""
    global _current_calendar, _report_missing
    from .snapshot import current_calendar, report_missing_years

    _current_calendar, _report_missing = current_calendar, report_missing_years
    return current_calendar()


def _report_missing(years: tuple[int, ...]) -> None:
    global _current_calendar, _report_missing
    from .snapshot import current_calendar, report_missing_years

    _current_calendar, _report_missing = current_calendar, report_missing_years
    report_missing_years(years)
