"""好差评统计: 评价率, 好评率, 差评按期整改率 and 实名差评回访率 by department, window, staff, item, channel, hall or
month and period (selectors.rating_stats: the rollup tables only), as big figures, ECharts charts (static/ow/
charts.js) and the same figures as a table; the Excel export is the API's builder behind the workbench session."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.core.errors import ApplicationError
from onewindow.org.models import Department
from onewindow.org.permissions import department_scope

from .. import selectors
from ..api.views import XLSX, stats_xlsx
from ..constants import STATS_READERS, StatsGroup
from .common import can, role_required

TOP = 15
GOOD_COLOR, BAD_COLOR, ON_TIME_COLOR, FOLLOW_UP_COLOR = "#2e8b57", "#c0392b", "#1f5fae", "#7d5ba6"
STATS_ONLY = gettext_lazy("只有部门负责人、大厅管理员、电子监察员可以查看评价统计。")

stats_required = role_required(lambda user: can(user, STATS_READERS), STATS_ONLY)


class StatsFilter(forms.Form):
    group_by = forms.ChoiceField(label=gettext_lazy("分组"), required=False, choices=StatsGroup.choices)
    since = forms.CharField(label=gettext_lazy("统计月份起"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    until = forms.CharField(label=gettext_lazy("至"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    department = forms.TypedChoiceField(label=gettext_lazy("部门"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", _("全部部门")), *[(d.pk, d.name) for d in departments]]

    def params(self) -> dict:
        """What rating_stats and the export take; an invalid value falls back to its default."""
        d = self.cleaned_data if self.is_valid() else {}
        since, until = d.get("since") or "", d.get("until") or ""
        period = f"{since or until}..{until or since}" if (since or until) else None
        return {"group_by": d.get("group_by") or StatsGroup.DEPARTMENT, "period": period,
                "department": d.get("department")}


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def _charts(stats) -> dict:
    rows = stats["rows"]
    if stats["group_by"] != StatsGroup.MONTH:
        rows = rows[:TOP]
    labels = [r.label for r in rows]
    kind = "line" if stats["group_by"] == StatsGroup.MONTH else ("hbar" if len(rows) > 6 else "bar")
    counts = {"type": kind, "categories": labels, "series": [
        {"name": str(_("好评")), "data": [r.good for r in rows], "color": GOOD_COLOR, "stack": "n"},
        {"name": str(_("差评")), "data": [r.bad for r in rows], "color": BAD_COLOR, "stack": "n"}]}
    if kind == "line":
        for s in counts["series"]:
            s.pop("stack")
    rates = {"type": "line" if kind == "line" else "bar", "categories": labels, "series": [
        {"name": str(_("好评率（%）")), "data": [_pct(r.good_rate) for r in rows], "color": GOOD_COLOR},
        {"name": str(_("差评按期整改率（%）")), "data": [_pct(r.on_time_rate) for r in rows], "color": ON_TIME_COLOR},
        {"name": str(_("实名差评回访率（%）")), "data": [_pct(r.follow_up_rate) for r in rows],
         "color": FOLLOW_UP_COLOR}]}
    if stats["group_by"] == StatsGroup.DEPARTMENT:  # a click opens the department's records
        inbox = reverse("workbench:bad_ratings")
        counts["links"] = [f"{inbox}?{urlencode({'department': r.key, 'tab': 'open'})}" if r.key != "0" else ""
                           for r in rows]
    return {"counts": counts, "rates": rates, "height": max(260, 28 * len(rows) + 60) if kind == "hbar" else 280}


def _departments(user):
    qs = Department.objects.all() if user.is_superuser else department_scope(user, STATS_READERS)
    return list(qs.only("pk", "name").order_by("sort", "name", "pk"))


def _stats(request, form):
    params = form.params()
    try:
        return selectors.rating_stats(user=request.user, **params), params, None
    except ApplicationError as exc:  # a period that does not parse: the default period, and say why
        params["period"] = None
        return selectors.rating_stats(user=request.user, **params), params, exc.fields.get("period", [exc.message])[0]


@require_GET
@stats_required
def rating_dashboard(request):
    form = StatsFilter(request.GET, departments=_departments(request.user))
    stats, params, error = _stats(request, form)
    query = urlencode({k: v for k, v in params.items() if v})
    context = {"nav": "rating_dashboard", "form": form, "stats": stats, "total": stats["total"],
               "charts": _charts(stats), "error": error, "query": query,
               "group_label": StatsGroup(stats["group_by"]).label}
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
        return render(request, "ratings/workbench/_dashboard_results.html", context)
    return render(request, "ratings/workbench/dashboard.html", context)


@require_GET
@stats_required
def rating_stats_xlsx(request):
    """导出 Excel: the same builder as GET /api/v1/ratings/stats.xlsx, for the signed-in workbench session."""
    form = StatsFilter(request.GET, departments=_departments(request.user))
    stats, _params, _error = _stats(request, form)
    response = HttpResponse(stats_xlsx(stats), content_type=XLSX)
    name = f"好差评统计-{stats['group_by']}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
