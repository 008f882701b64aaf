"""Who sees which supervision data.

* 电子监察员 (inspector) and 系统管理员: bureau-wide, or their region (departments and halls in it).
* 大厅管理员 (hall_manager): the region of their hall (its departments and halls).
* 部门负责人 (department_head): their department.
Other staff (clerks, reviewers) and citizens get 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from onewindow.core.errors import PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.models import Department, Hall
from onewindow.org.permissions import has_role, staff_roles

from .constants import ANOMALY_REVIEWERS, SUPERVISORS


@dataclass(frozen=True)
class Scope:
    """The data a user may see: everything, or these departments plus these halls."""

    everything: bool = False
    department_ids: frozenset[int] = field(default_factory=frozenset)
    hall_ids: frozenset[int] = field(default_factory=frozenset)

    def q(self, prefix: str = "") -> Q:
        """A filter for rows carrying denormalised department_id / hall_id."""
        if self.everything:
            return Q()
        cond = Q(**{f"{prefix}department_id__in": sorted(self.department_ids)})
        if self.hall_ids:
            cond |= Q(**{f"{prefix}hall_id__in": sorted(self.hall_ids)})
        return cond

    def covers_department(self, department_id: int) -> bool:
        return self.everything or department_id in self.department_ids

    def covers_hall(self, hall_id: int) -> bool:
        return self.everything or hall_id in self.hall_ids

    def covers(self, department_id: int, hall_id: int | None) -> bool:
        return self.covers_department(department_id) or (hall_id is not None and self.covers_hall(hall_id))


def _region_code(role) -> str | None:
    if role.region_id:
        return role.region.code
    if role.role == Role.HALL_MANAGER and role.window_id:
        return role.window.hall.region.code
    return None


def supervision_scope(user) -> Scope:
    """The user's scope, or PermissionDenied (403) for anyone without a supervising role."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。", code="not_authenticated")
    if getattr(user, "is_superuser", False):
        return Scope(everything=True)
    roles = [r for r in staff_roles(user) if r.role in SUPERVISORS]
    if not roles:
        raise PermissionDenied("只有电子监察员、大厅管理员和部门负责人可以查看电子监察信息。")
    departments: set[int] = set()
    regions: set[str] = set()
    for role in roles:
        if role.department_id:
            departments.add(role.department_id)
            continue
        code = _region_code(role)
        if code is None:
            if role.role == Role.DEPARTMENT_HEAD:
                continue  # a head without a department heads nothing
            return Scope(everything=True)
        regions.add(code)
    halls: set[int] = set()
    if regions:
        in_region = Q()
        hall_region = Q()
        for code in sorted(regions):
            in_region |= Q(region__code__startswith=code)
            hall_region |= Q(region__code__startswith=code)
        departments |= set(Department.objects.filter(in_region).values_list("pk", flat=True))
        halls |= set(Hall.objects.filter(hall_region).values_list("pk", flat=True))
    return Scope(department_ids=frozenset(departments), hall_ids=frozenset(halls))


def require_anomaly_reviewer(user, department) -> None:
    if not has_role(user, ANOMALY_REVIEWERS, department):
        raise PermissionDenied("只有电子监察员可以核查异常办件。")
