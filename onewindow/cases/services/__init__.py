"""The case lifecycle. Each transition: permission check, row lock, state change, clock, one CaseEvent.

Every function is atomic; the row lock (`select_for_update`) means that of two people acting on the
same case at once exactly one succeeds and the other gets a Conflict with the reason.

The functions live in one module per stage (intake, acceptance, decision, pauses, personal; shared helpers in
common); callers import them from here.
"""

from .acceptance import case_accept, case_refuse, case_request_correction, case_resubmit, case_supply_waived
from .common import case_clock_recompute
from .decision import case_complete, case_complete_instantly, case_decide, case_deliver
from .intake import applicant_get_or_create, case_attach_material, case_submit
from .pauses import (
    case_decide_extension,
    case_request_extension,
    case_resume,
    case_suspend,
    case_terminate,
    case_withdraw,
)
from .personal import PERSONAL_DATA_ROLES, can_view_personal_data, case_personal_data_view, case_record_visit

__all__ = [
    "applicant_get_or_create",
    "case_submit",
    "case_attach_material",
    "case_accept",
    "case_refuse",
    "case_request_correction",
    "case_resubmit",
    "case_decide",
    "case_complete",
    "case_complete_instantly",
    "case_deliver",
    "case_withdraw",
    "case_terminate",
    "case_suspend",
    "case_resume",
    "case_request_extension",
    "case_decide_extension",
    "case_supply_waived",
    "case_record_visit",
    "case_clock_recompute",
    "case_personal_data_view",
    "can_view_personal_data",
    "PERSONAL_DATA_ROLES",
]
