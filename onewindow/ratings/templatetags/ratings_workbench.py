"""Template helpers of the 好差评 workbench screens: which links the signed-in user sees, rates as percentages."""

from __future__ import annotations

from django import template

from onewindow.org.permissions import has_role
from onewindow.ratings.constants import HOTLINE_OPERATORS, READERS, STATS_READERS

register = template.Library()


@register.simple_tag(takes_context=True)
def ratings_nav(context) -> dict:
    """Roles are cached on the user: no query."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {"bad": has_role(user, READERS), "hotline": has_role(user, HOTLINE_OPERATORS),
            "stats": has_role(user, STATS_READERS)}


@register.filter
def pct(value) -> str:
    """0.8571 → "85.7%"; None (nothing to divide by) → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"
