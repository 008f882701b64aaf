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
from decimal import Decimal

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


def _first_instant(start: dt.datetime, limit: StepLimitValue) -> dt.datetime:
    d = step_deadline(start, limit)
    return d.warn_at if d.warn_at is not None else d.due_at


def latest_start_carded(limits: StepLimits, now: dt.datetime, horizon: dt.timedelta = dt.timedelta(days=400)
                        ) -> dt.datetime:
    """The latest filing instant whose step can be yellow or red by `now`, under any configured limit.

    The first card instant grows with the start (a later filing is never due earlier), so a binary search
    finds it; filtering `submitted_at <= this` leaves only applications that may need a card now.
    """
    best = now - horizon
    for limit in limits.distinct():
        lo, hi = now - horizon, now
        if _first_instant(lo, limit) > now:
            continue
        while hi - lo > dt.timedelta(seconds=1):
            mid = lo + (hi - lo) / 2
            if _first_instant(mid, limit) <= now:
                lo = mid
            else:
                hi = mid
        best = max(best, lo)
    return best + dt.timedelta(seconds=1)


def ratio_is_valid(value: Decimal | None) -> bool:
    return value is None or Decimal("0") <= value <= Decimal("1")
