"""Template helpers of the supervision dashboard (电子监察): who sees its links, how long a card was late."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from onewindow.org.permissions import has_role
from onewindow.supervision.constants import ANOMALY_REVIEWERS, SUPERVISORS

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_nav(context) -> dict:
    """Whether the signed-in user may open the supervision pages (roles are cached on the user: no query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {"show": has_role(user, SUPERVISORS), "review": has_role(user, ANOMALY_REVIEWERS)}


@register.filter
def late_by(value: dt.timedelta | None) -> str:
    """超期时长 in words: "2 天 3 小时", "16 小时 30 分钟", "5 分钟"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s 天 %(h)s 小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s 小时 %(m)s 分钟") % {"h": hours, "m": mins}
    return _("%(m)s 分钟") % {"m": mins}
