"""Calendars for tests: the package's data without a database, and small hand-made ones."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from chinese_calendar import constants as cc

from onewindow.workcalendar.clock import CalendarSnapshot, ClockSettings
from onewindow.workcalendar.constants import PACKAGE_HOLIDAY_NAMES, DayKind

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _zh(value) -> str:
    return PACKAGE_HOLIDAY_NAMES[getattr(value, "value", value)]


@lru_cache(maxsize=1)
def package_snapshot() -> CalendarSnapshot:
    """What the database holds after seeding, built straight from chinese_calendar."""
    exceptions = {d: (DayKind.HOLIDAY.value, _zh(v)) for d, v in cc.holidays.items()}
    exceptions.update({d: (DayKind.MAKEUP.value, _zh(v)) for d, v in cc.workdays.items()})
    return CalendarSnapshot(exceptions, range(2004, 2027))


def clock_settings(end: str = "17:30", ratio: str = "0.2") -> ClockSettings:
    from fractions import Fraction
    from zoneinfo import ZoneInfo

    return ClockSettings(dt.time(9), dt.time.fromisoformat(end), ZoneInfo("Asia/Shanghai"), Fraction(ratio))


def at(text: str) -> dt.datetime:
    """'2025-09-30 10:00' in Beijing time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# A plausible 2027 for tests (the real one is published by the State Council in late 2026).
LISTING_2027 = """
# 2027 年部分节假日安排（测试用）
休 2027-01-01..2027-01-03 元旦
休 2027-02-06..2027-02-13 春节
班 2027-02-20 春节
休 2027-04-03..2027-04-05 清明节
休 2027-05-01..2027-05-05 劳动节
班 2027-04-25 劳动节
休 2027-06-09..2027-06-11 端午节
休 2027-09-15..2027-09-17 中秋节
休 2027-10-01..2027-10-07 国庆节
班 2027-09-26 国庆节
班 2027-10-09 国庆节
"""
