"""The simple text list of a year's holidays and make-up working days, as administrators type it from
the State Council notice (国务院办公厅关于某年部分节假日安排的通知):

    # 2027 年部分节假日安排
    休 2027-01-01 元旦
    休 2027-02-06..2027-02-13 春节
    班 2027-02-20 春节
    休 2027-10-01~2027-10-07 国庆节

One line per holiday or make-up day: the mark (休 or holiday; 班 or makeup), a date or a range
(`..`, `~` or `至` between the two dates, both included), and the holiday's name. Weekends and ordinary
weekdays are not listed. Lines starting with # are comments.
"""

from __future__ import annotations

import datetime as dt
import re

from onewindow.core.errors import ApplicationError

HOLIDAY_MARKS = {"休", "holiday", "h"}
MAKEUP_MARKS = {"班", "makeup", "workday", "m"}
_LINE = re.compile(
    r"^(?P<mark>\S+)\s+(?P<first>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:\.\.|~|～|至|—|--)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s+(?P<name>\S.*?)\s*$"
)
MAX_RANGE_DAYS = 31

Entries = list[tuple[dt.date, str]]


def _date(text: str) -> dt.date:
    year, month, day = (int(p) for p in text.split("-"))
    return dt.date(year, month, day)


def parse_year_listing(text: str) -> tuple[Entries, Entries]:
    """(holidays, make-up working days) from the text; every bad line is reported at once."""
    holidays: Entries = []
    makeups: Entries = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(f"第 {number} 行格式不正确：应为“休 2027-01-01 元旦”或“班 2027-02-20 春节”。")
            continue
        mark = match["mark"].lower()
        if mark not in HOLIDAY_MARKS | MAKEUP_MARKS:
            errors.append(f"第 {number} 行的标记“{match['mark']}”无法识别：放假用“休”，调休上班用“班”。")
            continue
        try:
            first = _date(match["first"])
            last = _date(match["last"]) if match["last"] else first
        except ValueError:
            errors.append(f"第 {number} 行的日期不存在。")
            continue
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            errors.append(f"第 {number} 行的日期范围不正确（结束日期不能早于开始日期，且不超过 {MAX_RANGE_DAYS} 天）。")
            continue
        target = holidays if mark in HOLIDAY_MARKS else makeups
        day = first
        while day <= last:
            target.append((day, match["name"]))
            day += dt.timedelta(days=1)
    if errors:
        raise ApplicationError("节假日清单有误，请按提示修改。", code="invalid_listing", fields={"text": errors})
    return holidays, makeups


def _runs(entries: Entries) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days with the same name, as (first, last, name)."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day, name in sorted(entries):
        if runs and runs[-1][2] == name and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs


def format_year_listing(holidays: Entries, makeups: Entries) -> str:
    """The inverse of parse_year_listing (used to pre-fill the admin form), ranges folded."""
    lines = []
    for mark, entries in (("休", holidays), ("班", makeups)):
        for first, last, name in _runs(entries):
            span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d}..{last:%Y-%m-%d}"
            lines.append(f"{mark} {span} {name}")
    return "\n".join(lines)
