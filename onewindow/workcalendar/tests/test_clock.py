"""The clock's rules, on the real 2004–2026 calendar (chinese_calendar) without a database.

Worked examples first (they are the tables in docs/workdays.md), then properties checked by hypothesis
against a day-by-day reference implementation.
"""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from onewindow.core.errors import ApplicationError
from onewindow.workcalendar.clock import (
    CalendarSnapshot,
    add_workdays,
    compute_deadline,
    is_workday,
    next_workday,
    skipped_days,
    working_days_between,
)

from .factories import at, clock_settings, package_snapshot

CAL = package_snapshot()
S = clock_settings()
END = dt.time(17, 30)


def deadline(start, days, unit="workday", **kwargs):
    kwargs.setdefault("calendar", CAL)
    kwargs.setdefault("settings", S)
    return compute_deadline(start, days, unit, **kwargs)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(S.tz)


# -- worked examples ----------------------------------------------------------------------------

def test_the_package_agrees_on_national_day_2025():
    # The facts the main example rests on: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 are make-up working days.
    assert all(chinese_calendar.is_holiday(dt.date(2025, 10, d)) for d in range(1, 9))
    assert chinese_calendar.is_workday(dt.date(2025, 9, 28)) and dt.date(2025, 9, 28).weekday() == 6
    assert chinese_calendar.is_workday(dt.date(2025, 10, 11)) and dt.date(2025, 10, 11).weekday() == 5
    assert chinese_calendar.is_holiday(dt.date(2025, 10, 12))


def test_five_working_days_across_national_day_2025():
    d = deadline(at("2025-09-30 10:00"), 5)
    # day 1 = Thu Oct 9, 2 = Fri Oct 10, 3 = Sat Oct 11 (调休上班), 4 = Mon Oct 13, 5 = Tue Oct 14
    assert d.due_at == at("2025-10-14 17:30")
    assert d.warn_at == at("2025-10-13 17:30")  # one working day left
    assert not d.provisional and d.missing_years == ()
    skipped = skipped_days(d.counted_from, d.due_at.date(), calendar=CAL)
    assert [(s.date.isoformat(), s.kind, s.name) for s in skipped] == [
        ("2025-10-01", "holiday", "国庆节"), ("2025-10-02", "holiday", "国庆节"),
        ("2025-10-03", "holiday", "国庆节"), ("2025-10-04", "holiday", "国庆节"),
        ("2025-10-05", "holiday", "国庆节"), ("2025-10-06", "holiday", "中秋节"),
        ("2025-10-07", "holiday", "国庆节"), ("2025-10-08", "holiday", "国庆节"),
        ("2025-10-12", "rest", ""),
    ]


def test_the_make_up_sunday_counts_as_a_working_day():
    # Accepted Fri Sep 26 2025: day 1 is Sun Sep 28 (调休上班), day 2 Mon Sep 29, day 3 Tue Sep 30, day 4 Oct 9.
    assert deadline(at("2025-09-26 15:00"), 1).due_at == at("2025-09-28 17:30")
    assert deadline(at("2025-09-26 15:00"), 4).due_at == at("2025-10-09 17:30")


def test_acceptance_day_is_not_counted_whatever_the_hour():
    morning = deadline(at("2025-06-03 08:00"), 3)
    evening = deadline(at("2025-06-03 22:00"), 3)
    assert morning.due_at == evening.due_at == at("2025-06-06 17:30")


def test_accepted_on_a_holiday_counts_from_the_next_day():
    # Accepted online on Oct 3 (holiday): day 1 is Oct 9.
    assert deadline(at("2025-10-03 11:00"), 1).due_at == at("2025-10-09 17:30")


@pytest.mark.parametrize(("start", "due"), [
    ("2025-09-30 10:00", "2025-09-30 17:30"),   # working day, office open → today
    ("2025-09-30 17:30", "2025-09-30 17:30"),   # exactly at closing → still today
    ("2025-09-30 18:00", "2025-10-09 17:30"),   # after hours → next working day
    ("2025-10-04 10:00", "2025-10-09 17:30"),   # holiday → next working day
    ("2025-10-11 10:00", "2025-10-11 17:30"),   # make-up Saturday is a working day
])
def test_zero_days_is_the_end_of_the_same_working_day(start, due):
    assert deadline(at(start), 0).due_at == at(due)


def test_natural_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 3 natural days from Sep 28 2025 → Oct 1 (国庆节) → the first working day after the holiday, Oct 9.
    d = deadline(at("2025-09-28 09:30"), 3, "natural")
    assert d.due_at == at("2025-10-09 17:30")
    assert [s.date.day for s in skipped_days(d.counted_from, d.due_at.date(), calendar=CAL)] == list(range(1, 9))


def test_natural_days_ending_on_a_make_up_saturday_stay_there():
    assert deadline(at("2025-10-01 10:00"), 10, "natural").due_at == at("2025-10-11 17:30")


def test_natural_days_ending_on_a_weekend_move_to_monday():
    assert deadline(at("2025-06-02 10:00"), 5, "natural").due_at == at("2025-06-09 17:30")  # Sat Jun 7 → Mon


def test_twenty_working_days_warn_four_working_days_before():
    d = deadline(at("2025-03-03 10:00"), 20)
    assert d.due_at == at("2025-03-31 17:30")
    assert d.warn_at == at("2025-03-25 17:30")  # 20 % of 20 = 4 working days left
    assert working_days_between(d.warn_at, d.due_at, calendar=CAL) == 4


def test_warning_rounds_the_share_up():
    d = deadline(at("2025-03-03 10:00"), 7)  # 20 % of 7 = 1.4 → warn with 2 working days left
    assert working_days_between(d.warn_at, d.due_at, calendar=CAL) == 2


def test_warning_ratio_is_configurable():
    d = deadline(at("2025-03-03 10:00"), 10, settings=clock_settings(ratio="0.5"))
    assert working_days_between(d.warn_at, d.due_at, calendar=CAL) == 5


def test_instant_cases_are_yellow_from_the_start():
    start = at("2025-09-30 10:00")
    assert deadline(start, 0).warn_at == start


def test_natural_warning_is_the_earlier_of_one_working_day_and_the_share():
    # 30 natural days from Sep 1 2025 → Oct 1 is a holiday → due Oct 9; 20 % of 30 = 6 days → Oct 3,
    # one working day left → Sep 30. The earlier wins.
    d = deadline(at("2025-09-01 10:00"), 30, "natural")
    assert d.due_at == at("2025-10-09 17:30")
    assert d.warn_at == at("2025-09-30 17:30")


def test_office_hours_are_configurable():
    assert deadline(at("2025-09-30 10:00"), 5, settings=clock_settings(end="18:00")).due_at == at(
        "2025-10-14 18:00")


def test_extensions_add_days():
    d = deadline(at("2025-09-30 10:00"), 5, extensions=[10])
    assert d.total_days == 15
    assert d.due_at == at("2025-10-28 17:30")
    assert d.due_at == deadline(at("2025-09-30 10:00"), 15).due_at


def test_naive_start_is_beijing_time():
    assert deadline(dt.datetime(2025, 9, 30, 10), 5).due_at == at("2025-10-14 17:30")


def test_start_in_another_zone_uses_the_beijing_day():
    # 2025-09-30 20:00 UTC is Oct 1 04:00 in Beijing: a holiday, so 0 days → Oct 9.
    start = dt.datetime(2025, 9, 30, 20, tzinfo=dt.UTC)
    assert deadline(start, 0).due_at == at("2025-10-09 17:30")


# -- missing years ------------------------------------------------------------------------------

def test_a_deadline_into_an_unconfigured_year_is_provisional():
    d = deadline(at("2026-12-20 10:00"), 10)
    assert d.provisional and d.missing_years == (2027,)
    # Monday–Friday fallback: Dec 21..25, 28..31, Jan 1 2027 (a Friday)
    assert d.due_at == at("2027-01-01 17:30")


def test_a_deadline_inside_configured_years_is_not_provisional():
    d = deadline(at("2026-12-01 10:00"), 10)
    assert not d.provisional and d.missing_years == ()


def test_years_far_away_fall_back_to_monday_to_friday():
    d = deadline(at("2031-06-05 10:00"), 3)  # a Thursday
    assert d.due_at == at("2031-06-10 17:30") and d.missing_years == (2031,)
    d = deadline(at("1999-12-30 10:00"), 3)
    assert d.due_at == at("2000-01-04 17:30") and d.missing_years == (1999, 2000)


def test_a_long_deadline_lists_every_missing_year():
    d = deadline(at("2026-06-01 10:00"), 1000)
    assert d.missing_years == (2027, 2028, 2029, 2030)


def test_beyond_the_last_representable_date_is_an_error_not_a_crash():
    with pytest.raises(ApplicationError) as exc:
        deadline(dt.datetime(9999, 12, 20, 10), 30)
    assert exc.value.code == "out_of_range"


@pytest.mark.parametrize(("days", "unit", "field"), [(-1, "workday", "days"), (1.5, "workday", "days"),
                                                     (True, "workday", "days"), (3, "hours", "unit")])
def test_bad_arguments(days, unit, field):
    with pytest.raises(ApplicationError) as exc:
        deadline(at("2025-01-02 10:00"), days, unit)
    assert field in exc.value.fields


# -- pauses -------------------------------------------------------------------------------------

def test_a_pause_on_one_day_costs_nothing():
    plain = deadline(at("2025-09-30 10:00"), 5)
    paused = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-10 09:00"), at("2025-10-10 16:00"))])
    assert paused.due_at == plain.due_at


def test_a_pause_moves_the_deadline_by_the_working_days_it_covers():
    # Accepted Tue Sep 30; paused Thu Oct 9 (day 1 used), resumed Tue Oct 14: 4 days left from Oct 15.
    d = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-09 15:00"), at("2025-10-14 10:00"))])
    assert d.due_at == at("2025-10-20 17:30")
    # Oct 10, 11 (make-up), 13, 14 lie in the pause: exactly 4 working days later than without it
    assert working_days_between(at("2025-10-14 17:30"), d.due_at, calendar=CAL) == 4


def test_an_open_pause_has_no_due_instant_but_knows_what_is_left():
    d = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-10 11:00"), None)])
    assert d.paused and d.due_at is None and d.warn_at is None
    assert d.remaining_days == 3  # Oct 9 and Oct 10 used


def test_a_pause_after_the_deadline_does_not_cure_lateness():
    plain = deadline(at("2025-09-30 10:00"), 5)
    late = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-15 09:00"), at("2025-10-20 09:00"))])
    assert late.due_at == plain.due_at


def test_a_pause_on_the_due_day_leaves_until_the_end_of_the_resume_day():
    d = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-14 10:00"), at("2025-10-16 10:00"))])
    assert d.due_at == at("2025-10-16 17:30")
    d = deadline(at("2025-09-30 10:00"), 5, pauses=[(at("2025-10-14 10:00"), at("2025-10-16 19:00"))])
    assert d.due_at == at("2025-10-17 17:30")  # resumed after hours: the next working day


def test_several_pauses_and_an_extension():
    d = deadline(
        at("2025-09-01 10:00"), 10, extensions=[5],
        pauses=[(at("2025-09-03 10:00"), at("2025-09-05 10:00")),   # used Sep 2, 3; Sep 4, 5 not counted
                (at("2025-09-10 10:00"), at("2025-09-12 10:00"))],  # used Sep 8, 9, 10; Sep 11, 12 not counted
    )
    # 15 days in all, 5 used before the second pause, 10 left after Fri Sep 12: Sep 15..19, 22..26
    assert d.due_at == at("2025-09-26 17:30")


def test_natural_day_pauses_count_calendar_days():
    # 10 natural days from Jun 2 2025; paused Jun 4 → Jun 9 (5 days not counted): 8 left from Jun 9 → Jun 17
    d = deadline(at("2025-06-02 10:00"), 10, "natural", pauses=[(at("2025-06-04 10:00"), at("2025-06-09 10:00"))])
    assert d.due_at == at("2025-06-17 17:30")


def test_pauses_must_be_in_order():
    with pytest.raises(ApplicationError) as exc:
        deadline(at("2025-09-01 10:00"), 5, pauses=[(at("2025-08-30 10:00"), at("2025-09-02 10:00"))])
    assert exc.value.code == "invalid_pause"
    with pytest.raises(ApplicationError):
        deadline(at("2025-09-01 10:00"), 5, pauses=[(at("2025-09-02 10:00"), None),
                                                     (at("2025-09-03 10:00"), None)])
    with pytest.raises(ApplicationError):
        deadline(at("2025-09-01 10:00"), 5, pauses=[(at("2025-09-03 10:00"), at("2025-09-02 10:00"))])


# -- day helpers --------------------------------------------------------------------------------

def test_day_helpers():
    assert add_workdays(dt.date(2025, 9, 30), 3, calendar=CAL) == dt.date(2025, 10, 11)
    assert add_workdays(dt.date(2025, 10, 9), -1, calendar=CAL) == dt.date(2025, 9, 30)
    assert add_workdays(dt.date(2025, 10, 5), -1, calendar=CAL) == dt.date(2025, 9, 30)
    assert next_workday(dt.date(2025, 10, 1), calendar=CAL) == dt.date(2025, 10, 9)
    assert next_workday(dt.date(2025, 10, 11), calendar=CAL) == dt.date(2025, 10, 11)
    assert is_workday(dt.date(2025, 9, 28), calendar=CAL) and not is_workday(dt.date(2025, 10, 6), calendar=CAL)
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 14), calendar=CAL) == 5
    assert working_days_between(dt.date(2025, 10, 14), dt.date(2025, 9, 30), calendar=CAL) == -5


def test_an_empty_calendar_is_monday_to_friday():
    cal = CalendarSnapshot({}, [])
    d = compute_deadline(at("2025-09-30 10:00"), 5, calendar=cal, settings=S)
    assert d.due_at == at("2025-10-07 17:30") and d.provisional


# -- properties ---------------------------------------------------------------------------------

def reference_is_workday(day: dt.date) -> bool:
    if 2004 <= day.year <= 2026:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def reference_due(start: dt.datetime, days: int, unit: str) -> dt.date:
    """Day by day, the slow and obvious way."""
    day = start.date()
    if days == 0:
        if reference_is_workday(day) and start.time() <= END:
            return day
        day += dt.timedelta(days=1)
        while not reference_is_workday(day):
            day += dt.timedelta(days=1)
        return day
    if unit == "natural":
        day += dt.timedelta(days=days)
        while not reference_is_workday(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += reference_is_workday(day)
    return day


starts = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 12, 31)).map(
    lambda v: v.replace(tzinfo=S.tz))
counts = st.integers(min_value=0, max_value=400)
units = st.sampled_from(["workday", "natural"])


@settings(max_examples=400, deadline=None)
@given(starts, counts, units)
def test_agrees_with_a_day_by_day_count(start, days, unit):
    d = deadline(start, days, unit)
    assert d.due_at.date() == reference_due(start, days, unit)
    assert d.due_at.timetz().replace(tzinfo=None) == END and d.due_at.tzinfo == S.tz
    missing = {y for y in range(start.year, d.due_at.year + 1) if not 2004 <= y <= 2026}
    assert set(d.missing_years) <= missing and d.provisional == bool(d.missing_years)


@settings(max_examples=300, deadline=None)
@given(starts, counts, units)
def test_due_is_a_working_day_at_office_end_and_warning_comes_first(start, days, unit):
    d = deadline(start, days, unit)
    assert reference_is_workday(d.due_at.date())
    assert local(start) <= d.warn_at <= d.due_at or (days == 0 and d.warn_at == local(start))
    if days > 0 and unit == "workday":
        assert working_days_between(start, d.due_at, calendar=CAL) == days


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(1, 300), st.integers(0, 300))
def test_n_then_m_working_days_is_n_plus_m(start, n, m):
    first = deadline(start, n)
    assert deadline(first.due_at, m).due_at == deadline(start, n + m).due_at


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(1, 60), st.data())
def test_a_pause_of_k_whole_working_days_moves_the_due_date_by_k(start, n, data):
    start_day = start.date()
    assume(reference_is_workday(start_day))
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    used = data.draw(st.integers(0, n - 1), label="working days used before the pause")
    k = data.draw(st.integers(0, 40), label="working days paused")
    pause_day = add_workdays(start_day, used, calendar=CAL)
    resume_day = add_workdays(pause_day, k, calendar=CAL)
    paused_at = dt.datetime.combine(pause_day, dt.time(11), S.tz)
    resumed_at = dt.datetime.combine(resume_day, dt.time(11), S.tz)
    plain = deadline(start, n)
    moved = deadline(start, n, pauses=[(paused_at, resumed_at)])
    assert moved.due_at.date() == add_workdays(plain.due_at.date(), k, calendar=CAL)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=dt.date(1990, 1, 1).toordinal(), max_value=dt.date(2040, 12, 31).toordinal()),
       st.integers(-500, 500))
def test_rank_and_select_are_inverse_everywhere(o, k):
    assert CAL.is_working_ordinal(CAL.select(k))
    assert CAL.rank(CAL.select(k)) == k
    assert CAL.rank(o) - CAL.rank(o - 1) == int(reference_is_workday(dt.date.fromordinal(o)))
