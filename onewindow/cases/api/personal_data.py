"""Kept for imports: the personal-data view lives in the case services."""

from ..services import PERSONAL_DATA_ROLES as REVEALERS
from ..services import can_view_personal_data, case_personal_data_view

AUDIT_ACTION = "cases.view_personal_data"

__all__ = ["REVEALERS", "AUDIT_ACTION", "can_view_personal_data", "case_personal_data_view"]
