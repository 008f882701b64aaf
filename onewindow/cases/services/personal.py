"""Reads of personal data (each logged) and recorded visits."""

from __future__ import annotations

from django.db import transaction

from onewindow.core.audit import audit_log
from onewindow.core.errors import PermissionDenied
from onewindow.org.constants import Role

from .. import permissions as perm
from ..constants import Action
from ..models import Case
from .common import _event, _lock, _save

PERSONAL_DATA_ROLES = (Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD)


def can_view_personal_data(user, case: Case) -> bool:
    return perm.has_role(user, PERSONAL_DATA_ROLES, case.department)


@transaction.atomic
def case_personal_data_view(*, actor, case: Case, reason: str = "") -> None:
    """A full view of the applicant's (and agent's) ID numbers: allowed to the roles that work with the
    identity, written to the audit log and, not public, to the case's own trail."""
    if not can_view_personal_data(actor, case):
        raise PermissionDenied("您无权查看完整的证件号码；只有该部门的窗口、审批人员和负责人可以查看。",
                               code="personal_data_denied")
    fields = ["applicant.identifier"] + (["agent.id_number"] if case.agent_id_number else [])
    audit_log(actor=actor, action="cases.view_personal_data", obj=case, new={"fields": fields}, reason=reason)
    _event(case, actor=actor, action=Action.VIEW_PERSONAL_DATA, from_status=case.status, comment=reason,
           data={"fields": fields}, public=False)


@transaction.atomic
def case_record_visit(*, actor, case: Case, purpose: str = "") -> Case:
    """One in-person visit of the applicant (跑动次数), recorded at the window."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS, "您无权办理该部门的办件。")
    case.visits += 1
    _save(case, "visits")
    _event(case, actor=actor, action=Action.VISIT, from_status=case.status, comment=purpose,
           data={"visits": case.visits})
    return case
