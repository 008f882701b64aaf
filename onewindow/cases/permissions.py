"""Who may act on a case: staff by role and data scope, applicants on their own cases."""

from __future__ import annotations

from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.permissions import department_scope, has_role

ACCEPTORS = (Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.AGENT_HELPER)
DECIDERS = (Role.REVIEWER, Role.DEPARTMENT_HEAD)
HEADS = (Role.DEPARTMENT_HEAD,)
VIEWERS = (Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.HALL_MANAGER, Role.INSPECTOR,
           Role.AGENT_HELPER, Role.ADMIN)


def window_items(user) -> set[int]:
    """Items the user may accept at a comprehensive window (无差别受理), whatever department owns them."""
    from onewindow.org.constants import WindowKind
    from onewindow.org.permissions import staff_roles

    cached = getattr(user, "_window_items_cache", None)
    if cached is not None:
        return cached
    windows = [r.window_id for r in staff_roles(user)
               if r.role in (Role.CLERK, Role.AGENT_HELPER) and r.window_id is not None]
    items: set[int] = set()
    if windows:
        from onewindow.org.models import Window

        items = set(Window.items.through.objects.filter(
            window_id__in=windows, window__kind=WindowKind.COMPREHENSIVE, window__is_active=True)
            .values_list("serviceitem_id", flat=True))
    if getattr(user, "is_authenticated", False):
        user._window_items_cache = items
    return items


def can_accept(user, case) -> bool:
    """Acceptance-side work: a clerk, reviewer or head of the department, or a clerk at a comprehensive
    window whose scope holds the item (无差别受理: front desk accepts, the department decides)."""
    return has_role(user, ACCEPTORS, case.department) or case.item_id in window_items(user)


def is_applicant(user, case) -> bool:
    return bool(getattr(user, "is_authenticated", False) and case.applicant.user_id == user.pk)


def can_view(user, case) -> bool:
    return is_applicant(user, case) or has_role(user, VIEWERS, case.department) or case.item_id in window_items(user)


def require(user, case, roles, message: str) -> None:
    if set(ACCEPTORS) <= set(roles) and case.item_id in window_items(user):
        return  # a comprehensive window's clerk works on the items of its scope
    if not has_role(user, roles, case.department):
        if not can_view(user, case):
            raise NotFound("未找到该办件。")  # do not reveal other departments' cases
        raise PermissionDenied(message)


def staff_case_scope(user):
    """Departments whose cases the user may see."""
    return department_scope(user, VIEWERS)
