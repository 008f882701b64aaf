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


def is_applicant(user, case) -> bool:
    return bool(getattr(user, "is_authenticated", False) and case.applicant.user_id == user.pk)


def can_view(user, case) -> bool:
    return is_applicant(user, case) or has_role(user, VIEWERS, case.department)


def require(user, case, roles, message: str) -> None:
    if not has_role(user, roles, case.department):
        if not can_view(user, case):
            raise NotFound("未找到该办件。")  # do not reveal other departments' cases
        raise PermissionDenied(message)


def staff_case_scope(user):
    """Departments whose cases the user may see."""
    return department_scope(user, VIEWERS)
