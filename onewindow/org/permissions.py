"""Roles and data scope. Every permission question about staff goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from .constants import Role
from .models import Department, StaffRole


def staff_roles(user) -> list[StaffRole]:
    """The user's roles, loaded once per request/user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        cached = list(StaffRole.objects.filter(user=user).select_related("department__region", "region"))
        user._staff_roles_cache = cached
    return cached


def _covers(role: StaffRole, department: Department | None) -> bool:
    if role.department_id is None and role.region_id is None:
        return True  # bureau-wide role
    if department is None:
        return False
    if role.department_id is not None and role.department_id != department.pk:
        return False
    if role.region_id is not None and not department.region.code.startswith(role.region.code):
        return False
    return True


def has_role(user, roles: Iterable[str], department: Department | None = None) -> bool:
    """True if the user holds one of `roles` with a scope that covers `department` (any scope if None)."""
    if getattr(user, "is_superuser", False):
        return True
    wanted = set(roles)
    for role in staff_roles(user):
        if role.role in wanted and (department is None or _covers(role, department)):
            return True
    return False


def department_scope(user, roles: Iterable[str]):
    """Departments the user may act on with one of `roles`: a queryset (all for bureau-wide roles)."""
    if getattr(user, "is_superuser", False):
        return Department.objects.all()
    wanted = set(roles)
    mine = [r for r in staff_roles(user) if r.role in wanted]
    if any(r.department_id is None and r.region_id is None for r in mine):
        return Department.objects.all()
    dept_ids = [r.department_id for r in mine if r.department_id]
    qs = Department.objects.filter(pk__in=dept_ids)
    for r in mine:
        if r.region_id and not r.department_id:
            qs = qs | Department.objects.filter(region__code__startswith=r.region.code)
    return qs.distinct()


CATALOGUE_EDITORS = (Role.CATALOGUE_EDITOR, Role.DEPARTMENT_HEAD, Role.ADMIN)
CATALOGUE_REVIEWERS = (Role.DEPARTMENT_HEAD, Role.ADMIN)
