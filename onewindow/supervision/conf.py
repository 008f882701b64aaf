"""Supervision settings: every one has a default, so none has to be defined (docs/supervision.md §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULT_STEP_LIMITS = {
    # 窗口受理: a window application is accepted (or answered) on the day it is filed.
    "acceptance": {"working_days": 0, "yellow_ratio": "0.2"},
    # 网上预审: an online application is pre-reviewed (accepted or sent back) within one working day.
    "prereview": {"working_days": 1, "yellow_ratio": "0.2"},
}

DEFAULT_ANOMALY = {
    "quick_decision_minutes": 10,
    "bulk_count": 20,
    "bulk_window_minutes": 10,
    "bulk_submission_lag_hours": 48,
    "after_hours_count": 3,
    "after_hours_days": 7,
    "after_hours_grace_minutes": 30,
}


@dataclass(frozen=True)
class StepLimitValue:
    working_days: int
    yellow_ratio: Decimal | None  # share of the step's time left when it turns yellow; None = red only


def default_step_limit(step: str) -> StepLimitValue | None:
    configured = {**DEFAULT_STEP_LIMITS, **getattr(settings, "SUPERVISION_STEP_LIMITS", {})}
    value = configured.get(step)
    if value is None:
        return None
    ratio = value.get("yellow_ratio")
    return StepLimitValue(int(value.get("working_days", 0)), Decimal(str(ratio)) if ratio is not None else None)


def anomaly_setting(name: str) -> int:
    return int({**DEFAULT_ANOMALY, **getattr(settings, "SUPERVISION_ANOMALY", {})}[name])


def scan_overlap() -> dt.timedelta:
    """How far back an incremental scan looks before the last one (commits that landed late)."""
    return dt.timedelta(minutes=getattr(settings, "SUPERVISION_SCAN_OVERLAP_MINUTES", 10))


def full_sweep_every() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "SUPERVISION_FULL_SWEEP_HOURS", 24))


def anomaly_every() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SUPERVISION_ANOMALY_INTERVAL_MINUTES", 60))


def anomaly_first_lookback() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "SUPERVISION_ANOMALY_FIRST_LOOKBACK_DAYS", 7))
