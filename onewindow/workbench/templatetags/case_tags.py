"""Navigation of the case screens: which entries the signed-in user sees (roles are cached: no query)."""

from __future__ import annotations

from django import template

from onewindow.cases.selectors import is_case_staff
from onewindow.org.constants import Role
from onewindow.org.permissions import has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def case_sections(context):
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {"desk": has_role(user, (Role.CLERK,)), "cases": is_case_staff(user)}
