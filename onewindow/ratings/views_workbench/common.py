"""Shared by the 好差评 workbench pages: the role guard, the clock badge of a record's current stage."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.core.errors import NotFound
from onewindow.org.permissions import has_role
from onewindow.workbench.access import forbidden
from onewindow.workcalendar.clock import working_days_between

from ..constants import BadCaseStatus

NOT_FOUND = gettext_lazy("未找到该差评整改记录，或该记录不在您的管理范围内。")

# The stored due instant of each status's current stage (appeals wait for the judges: no deadline of their own).
STAGE_DUE = {
    BadCaseStatus.VERIFYING: "verify_due_at",
    BadCaseStatus.RECTIFYING: "reply_due_at",
    BadCaseStatus.REPLIED: "follow_up_due_at",
    BadCaseStatus.FOLLOW_UP: "follow_up_due_at",
}
STAGE_LABELS = {
    BadCaseStatus.VERIFYING: gettext_lazy("核实期限"),
    BadCaseStatus.RECTIFYING: gettext_lazy("整改反馈期限"),
    BadCaseStatus.REPLIED: gettext_lazy("回访期限"),
    BadCaseStatus.FOLLOW_UP: gettext_lazy("回访期限"),
}
# Yellow when this many working days or fewer are left (the 15-day reply stage warns two days ahead; the
# one-day verification and the three-day follow-up on their last day).
WARN_DAYS = {BadCaseStatus.VERIFYING: 0, BadCaseStatus.RECTIFYING: 2, BadCaseStatus.REPLIED: 0,
             BadCaseStatus.FOLLOW_UP: 0}


def role_required(check, message):
    """Signed-in staff for whom check(user) holds (else the forbidden page with `message`); a record outside
    the scope is a Chinese 404 page inside the workbench."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                return forbidden(request, str(message))
            try:
                return view(request, *args, **kwargs)
            except (NotFound, Http404):
                return not_found(request)

        return wrapper

    return decorator


def not_found(request):
    return render(request, "workbench/not_found.html", {"message": NOT_FOUND, "nav": "bad_ratings"}, status=404)


def can(user, roles, department=None) -> bool:
    return has_role(user, roles, department)


def stage_due(bad) -> dt.datetime | None:
    name = STAGE_DUE.get(bad.status)
    return getattr(bad, name) if name else None


def clock_info(bad, now: dt.datetime, calendar=None) -> dict:
    """The same shape as the case clock (workbench/cases/_clock.html): red when the current stage is overdue,
    yellow in its last working days, the working days left."""
    due = stage_due(bad)
    info = {"state": "none", "badge": "", "label": "", "left": None, "provisional": False, "due": due,
            "stage": STAGE_LABELS.get(bad.status, "")}
    if due is None:
        if bad.status == BadCaseStatus.APPEALED:
            info.update(badge="badge", label=_("等待复核"))
        return info
    info["provisional"] = bad.deadline_provisional
    info["left"] = working_days_between(now, due, **({"calendar": calendar} if calendar else {}))
    if due < now:
        info.update(state="overdue", badge="badge-red", label=_("已超期"))
    elif info["left"] <= WARN_DAYS.get(bad.status, 0):
        info.update(state="warning", badge="badge-yellow", label=_("即将到期"))
    else:
        info["state"] = "normal"
    return info
