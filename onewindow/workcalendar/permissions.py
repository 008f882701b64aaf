"""Who may change the calendar: it is bureau-wide, so only bureau-wide administrators."""

from __future__ import annotations

from onewindow.core.errors import PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.permissions import staff_roles


def can_edit_calendar(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if user.is_superuser or user.has_perm("workcalendar.change_calendarday"):
        return True
    return any(r.role == Role.ADMIN and r.department_id is None and r.region_id is None for r in staff_roles(user))


def require_calendar_edit(actor) -> None:
    """`None` is the system itself (migrations, management commands)."""
    if actor is not None and not can_edit_calendar(actor):
        raise PermissionDenied("您无权维护工作日历，请联系系统管理员。")
