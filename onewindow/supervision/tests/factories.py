"""Supervision test helpers: accepted cases at a frozen instant, and scans at given instants."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.supervision import services

CST = ZoneInfo("Asia/Shanghai")
_seq = iter(range(100, 100000))


def at(text: str) -> dt.datetime:
    """'2025-11-03 10:00' in Beijing time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


def accepted_case(*, version, clerk, when: str, **kwargs):
    """A case filed and accepted at `when` (Beijing time)."""
    with freeze_time(at(when)):
        case = submitted_case(version=version, applicant=person(next(_seq)), **kwargs)
        return cases.case_accept(actor=clerk, case=case)


def filed_case(*, version, when: str, **kwargs):
    with freeze_time(at(when)):
        return submitted_case(version=version, applicant=person(next(_seq)), **kwargs)


def scan(when: str, **kwargs):
    """Run the periodic job as the beat would at `when` (Beijing time)."""
    with freeze_time(at(when)):
        return services.cards_scan(**kwargs)
