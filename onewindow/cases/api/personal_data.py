"""Full 证件号码 for the roles that need them, each view written to the audit log.

Lives here rather than in cases/services.py (the lead's) because only the API reveals personal data so far;
when pages need it too, move `case_personal_data_view` into the services and also record a non-public
CaseEvent (Action.VIEW_PERSONAL_DATA) so that the case's own trail shows the view.
"""

from __future__ import annotations

from onewindow.core.audit import audit_log
from onewindow.core.errors import PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.permissions import has_role

from ..models import Case

# Roles of the case's department that work with the applicant's identity (acceptance, review, decision).
REVEALERS = (Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD)
AUDIT_ACTION = "cases.view_personal_data"


def can_view_personal_data(user, case: Case) -> bool:
    return has_role(user, REVEALERS, case.department)


def case_personal_data_view(*, actor, case: Case, reason: str = "") -> None:
    """Allow a full view of the applicant's (and agent's) ID numbers and log it, or raise PermissionDenied."""
    if not can_view_personal_data(actor, case):
        raise PermissionDenied("您无权查看完整的证件号码；只有该部门的窗口、审批人员和负责人可以查看。",
                               code="personal_data_denied")
    fields = ["applicant.identifier"] + (["agent.id_number"] if case.agent_id_number else [])
    audit_log(actor=actor, action=AUDIT_ACTION, obj=case, new={"fields": fields}, reason=reason)
