"""Step-level limits before acceptance: 窗口受理 on the day, 网上预审 within one working day.

A step's clock starts when the application is filed (or re-filed after a correction notice) and stops
when it is accepted, sent back for correction, refused or withdrawn. Its due instant comes from the
working-day clock (`compute_deadline(start, working_days)`: 0 days = office end of the filing day, or of
the next working day when filed after hours); it turns yellow when `yellow_ratio` of the time between
filing and the due instant is left.

Limits: a StepLimit row for the item, else the bureau-wide StepLimit row (no item), else
settings.SUPERVISION_STEP_LIMITS, else the defaults in conf.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.workcalendar.clock import compute_deadline

from .conf import StepLimitValue, default_step_limit
from .constants import STEP_LIMITED
from .models import StepLimit


@dataclass(frozen=True)
class StepDeadline:
    warn_at: dt.datetime | None  # None: this step has no yellow card
    due_at: dt.datetime


class StepLimits:
    """All configured limits, read once (the table is small): `limits.get(item_id, step)`."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int | None, str], StepLimitValue] = {
            (row.item_id, row.step): StepLimitValue(row.working_days, row.yellow_ratio)
            for row in StepLimit.objects.all()
        }

    def get(self, item_id: int | None, step: str) -> StepLimitValue | None:
        return self._rows.get((item_id, step)) or self._rows.get((None, step)) or default_step_limit(step)

    def distinct(self) -> set[StepLimitValue]:
        values = set(self._rows.values())
        values.update(v for v in (default_step_limit(s) for s in STEP_LIMITED) if v is not None)
        return values


def step_deadline(start: dt.datetime, limit: StepLimitValue) -> StepDeadline:
    due = compute_deadline(start, limit.working_days).due_at
    if limit.yellow_ratio is None:
        return StepDeadline(None, due)
    left = (due - start) * float(limit.yellow_ratio)
    return StepDeadline(max(start, due - left), due)


def _instant(start: dt.datetime, limit: StepLimitValue, level: str) -> dt.datetime:
    d = step_deadline(start, limit)
    return d.warn_at if level == "yellow" and d.warn_at is not None else d.due_at


HORIZON = dt.timedelta(days=400)


def _latest_start(limit: StepLimitValue, now: dt.datetime, level: str) -> dt.datetime | None:
    """The latest filing instant whose step reached `level` by `now` under `limit` (None: none within HORIZON).

    A step's yellow and due instants grow with its start (a later filing is never due earlier), so a binary
    search to the second finds it.
    """
    lo, hi = now - HORIZON, now
    if _instant(lo, limit, level) > now:
        return None
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if _instant(mid, limit, level) <= now:
            lo = mid
        else:
            hi = mid
    return lo


def latest_start_carded(limits: StepLimits, now: dt.datetime, level: str = "yellow") -> dt.datetime:
    """Filtering `submitted_at <= this` keeps every application that may have reached `level` by `now`."""
    cuts = [c for c in (_latest_start(limit, now, level) for limit in limits.distinct()) if c is not None]
    return max(cuts, default=now - HORIZON) + dt.timedelta(seconds=1)


def start_ranges(limits: StepLimits, since: dt.datetime, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The filing instants whose yellow or red instant passed in (since, now], as merged (lo, hi] ranges.

    Each (limit, level) contributes the narrow band (latest start reached by `since`, latest start reached by
    `now`]; outside office-end bursts most bands are empty.
    """
    bands = []
    for limit in limits.distinct():
        for level in ("yellow", "red"):
            high = _latest_start(limit, now, level)
            if high is None:
                continue
            low = _latest_start(limit, since, level)
            low = low if low is not None else since - HORIZON
            if high > low:
                bands.append((low, high + dt.timedelta(seconds=1)))
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for low, high in sorted(bands):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
