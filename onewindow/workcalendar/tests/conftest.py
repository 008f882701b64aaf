import pytest

from onewindow.workcalendar import owners, snapshot
from onewindow.workcalendar.clock import reset_clock_settings


@pytest.fixture(autouse=True)
def _fresh_calendar_state():
    """Each test sees the calendar in the database, not a snapshot left by another test's rolled-back writes."""
    snapshot.invalidate_local()
    snapshot.forget_reported_years()
    reset_clock_settings()
    saved = dict(owners._owners)
    yield
    owners._owners.clear()
    owners._owners.update(saved)
    snapshot.invalidate_local()
    reset_clock_settings()
