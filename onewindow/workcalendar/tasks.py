"""Background work of the calendar. Tasks take plain values and are idempotent."""

from celery import shared_task

from .owners import deadline_owners_recompute


@shared_task(name="workcalendar.recompute_deadlines")
def recompute_calendar_deadlines(years: list[int]) -> dict[str, int]:
    """Recompute every registered owner's deadlines that touch `years` (after the calendar changed)."""
    return deadline_owners_recompute(years=years)
