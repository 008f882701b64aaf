"""Receivers that keep the clock's caches honest.

Services invalidate explicitly (their bulk writes send no model signals); these receivers cover
single-row saves and deletes from anywhere else (shell, fixtures), and settings changed in tests.
"""

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import snapshot
from .clock import reset_clock_settings
from .models import CalendarDay, CalendarYear

_CLOCK_SETTINGS = {"OFFICE_HOURS_START", "OFFICE_HOURS_END", "DEADLINE_WARN_RATIO", "TIME_ZONE"}


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="workcalendar-day-changed")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="workcalendar-year-changed")
def calendar_row_changed(sender, **kwargs) -> None:
    snapshot.invalidate_local()
    transaction.on_commit(snapshot.invalidate_everywhere, using=kwargs.get("using"))


@receiver(setting_changed, dispatch_uid="workcalendar-settings-changed")
def clock_setting_changed(setting, **kwargs) -> None:
    if setting in _CLOCK_SETTINGS:
        reset_clock_settings()
