"""电子监察: the supervision dashboard for inspectors, hall managers and department heads.

Every read goes through supervision.selectors (scope-checked: each user sees only their supervision scope;
clerks and reviewers get the forbidden page, a card or finding outside the scope is a 404). The one write,
an inspector's verdict on a finding, goes through supervision.services.anomaly_review.

Pages: the dashboard (headline figures, red first; charts with the same figures as tables; the current cards,
red first; findings waiting for review), the card list, one card, the finding list and one finding. Filters
are GET parameters; htmx swaps the results when a filter changes. Every page renders in a fixed number of
queries whatever the number of cards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.core.errors import ApplicationError, NotFound, PermissionDenied
from onewindow.org.models import Department, Hall, Window
from onewindow.org.permissions import has_role
from onewindow.supervision import selectors, services
from onewindow.supervision.constants import ANOMALY_REVIEWERS, AnomalyRule, CardLevel, CardStep, Verdict
from onewindow.supervision.permissions import Scope, supervision_scope

from ..access import forbidden
from .common import is_htmx

PAGE_SIZE = 20
DASHBOARD_ROWS = 10
DASHBOARD_ANOMALIES = 5
TOP_STAFF = 10
RED_COLOR, YELLOW_COLOR = "#c0392b", "#d9a400"
# Overdue bad-rating rectifications (ratings.RectificationCard) are listed by the ratings pages.
RATINGS_PATH = "/workbench/ratings/bad/?overdue=on"  # the red-carded records only

NOT_FOUND = gettext_lazy("未找到该记录，或该记录不在您的监察范围内。")

STATE_CHOICES = [("open", gettext_lazy("当前有效")), ("all", gettext_lazy("全部记录")),
                 ("closed", gettext_lazy("已结束"))]
SORT_CHOICES = [("red_first", gettext_lazy("红牌优先")), ("newest", gettext_lazy("亮牌时间（新→旧）")),
                ("oldest", gettext_lazy("亮牌时间（旧→新）")), ("deadline", gettext_lazy("按对应期限"))]
EVIDENCE_LABELS = {
    "minutes": gettext_lazy("受理至决定间隔（分钟）"), "limit_minutes": gettext_lazy("规则阈值（分钟）"),
    "accepted_at": gettext_lazy("受理时间"), "decided_at": gettext_lazy("决定时间"),
    "completed_at": gettext_lazy("办结时间"), "entered_at": gettext_lazy("录入系统时间"),
    "without_events": gettext_lazy("无办理记录"), "count": gettext_lazy("次数（件数）"),
    "window_minutes": gettext_lazy("统计时间窗（分钟）"), "first_at": gettext_lazy("首次时间"),
    "last_at": gettext_lazy("末次时间"), "submitted_at": gettext_lazy("申请提交时间"),
    "lag_hours": gettext_lazy("提交至受理间隔（小时）"), "days": gettext_lazy("统计天数"),
    "rest_day": gettext_lazy("休息日"),
}


def supervision_required(view):
    """Signed-in staff with a supervising role; the scope goes on the request. Outside it: a Chinese 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            request.supervision_scope = supervision_scope(request.user)
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):
            return render(request, "workbench/not_found.html", {"message": NOT_FOUND}, status=404)

    return wrapper


def is_anomaly_reviewer(user, department=None) -> bool:
    return has_role(user, ANOMALY_REVIEWERS, department)


# ---------------------------------------------------------------------------------------------------------------
# Filters


def _departments(scope: Scope):
    qs = Department.objects.all() if scope.everything else Department.objects.filter(pk__in=scope.department_ids)
    return qs.only("pk", "name", "short_name").order_by("sort", "name", "pk")


def _halls(scope: Scope):
    qs = Hall.objects.all() if scope.everything else Hall.objects.filter(pk__in=scope.hall_ids)
    return qs.only("pk", "name").order_by("name", "pk")


class DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SupervisionFilter(forms.Form):
    """GET filters shared by the dashboard and the lists. A value outside the scope simply finds nothing."""

    since = forms.DateField(label=gettext_lazy("亮牌日期起"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("亮牌日期止"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    department = DepartmentChoice(label=gettext_lazy("部门"), queryset=Department.objects.none(), required=False,
                                  empty_label=gettext_lazy("全部部门"))
    hall = forms.ModelChoiceField(label=gettext_lazy("大厅"), queryset=Hall.objects.none(), required=False,
                                  empty_label=gettext_lazy("全部大厅"))
    level = forms.ChoiceField(label=gettext_lazy("级别"), required=False,
                              choices=[("", gettext_lazy("红牌和黄牌")), *CardLevel.choices[::-1]])
    state = forms.ChoiceField(label=gettext_lazy("范围"), required=False, choices=STATE_CHOICES)
    step = forms.ChoiceField(label=gettext_lazy("环节"), required=False,
                             choices=[("", gettext_lazy("全部环节")), *CardStep.choices])
    # Set by the drill-down links of the charts (no select of their own).
    window = forms.ModelChoiceField(queryset=Window.objects.all(), required=False, widget=forms.HiddenInput)
    staff = forms.ModelChoiceField(queryset=get_user_model().objects.all(), required=False,
                                   widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=gettext_lazy("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, scope: Scope, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].queryset = _departments(scope)
        self.fields["hall"].queryset = _halls(scope)
        self.show_halls = scope.everything or bool(scope.hall_ids)
        self.is_valid()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return data

    def value(self, name):
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    def card_filters(self) -> dict:
        """Keyword arguments of the card selectors."""
        state = self.value("state") or "open"
        out = {name: self.value(name) for name in ("department", "hall", "window", "staff", "since", "until")}
        out["level"] = self.value("level") or None
        out["step"] = self.value("step") or None
        out["open_only"] = {"open": True, "closed": False}.get(state)
        return out

    def drill_query(self, **changes) -> str:
        """The filters as a query string, with `changes` (None removes a key): links keep the current view."""
        params = {}
        for name in ("since", "until", "department", "hall", "level", "state", "step", "window", "staff"):
            value = self.value(name)
            if value in (None, ""):
                continue
            params[name] = value.pk if hasattr(value, "pk") else value
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode(params)


def _page_number(request) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), 10_000)
    except ValueError:
        return 1


# ---------------------------------------------------------------------------------------------------------------
# Charts (static/ow/charts.js draws them from json_script data)


def _chart(rows: list[dict], label, link) -> dict:
    return {
        "categories": [label(r) for r in rows],
        "series": [
            {"name": str(CardLevel.RED.label), "data": [r["red"] for r in rows], "color": RED_COLOR, "stack": "n"},
            {"name": str(CardLevel.YELLOW.label), "data": [r["yellow"] for r in rows], "color": YELLOW_COLOR,
             "stack": "n"},
        ],
        "links": [link(r) for r in rows],
    }


def _window_label(row) -> str:
    return _("%(number)s号窗口") % {"number": row["number"]} if row.get("number") else str(row.get("name") or "")


def _charts(summary, form: SupervisionFilter) -> dict:
    cards = reverse("workbench:supervision_cards")

    def link(**changes):
        return f"{cards}?{form.drill_query(**changes)}"

    staff = summary.staff[:TOP_STAFF]
    return {
        "departments": {"type": "hbar", **_chart(summary.departments, lambda r: r["name"] or "",
                                                 lambda r: link(department=r["id"]))},
        "windows": {"type": "bar", **_chart(summary.windows, _window_label, lambda r: link(window=r["id"]))},
        "staff": {"type": "hbar", **_chart(staff, lambda r: r["name"], lambda r: link(staff=r["id"]))},
    }


def _chart_height(n: int) -> int:
    """Horizontal bars: enough room for every category (the CSS gives the minimum)."""
    return max(140, 70 + 34 * n)


def _rectification_open(scope: Scope) -> int | None:
    """Open red cards of overdue bad-rating rectifications in the scope (one query), if the ratings app has them."""
    try:
        from onewindow.ratings.models import RectificationCard
    except ImportError:  # pragma: no cover - ratings not installed
        return None
    qs = RectificationCard.objects.filter(resolved_at__isnull=True)
    if not scope.everything:
        qs = qs.filter(department_id__in=sorted(scope.department_ids))
    return qs.order_by().count()


# ---------------------------------------------------------------------------------------------------------------
# Pages


@require_GET
@supervision_required
def dashboard(request):
    """Headline figures (red first), charts by department, window and person, current cards, pending findings."""
    user, scope = request.user, request.supervision_scope
    form = SupervisionFilter(request.GET, scope=scope)
    filters = form.card_filters()
    totals = selectors.cards_totals(user=user, **filters)
    summary = selectors.cards_summary(user=user, **filters)
    rows = selectors.cards_list(user=user, page=1, page_size=DASHBOARD_ROWS, ordering="red_first", **filters)
    anomaly_filters = {"department": filters["department"], "hall": filters["hall"]}
    pending = selectors.anomalies_count(user=user, verdict=Verdict.PENDING, **anomaly_filters)
    anomalies = selectors.anomalies_list(user=user, verdict=Verdict.PENDING, page_size=DASHBOARD_ANOMALIES,
                                         **anomaly_filters)
    charts = _charts(summary, form)
    context = {
        "nav": "supervision", "form": form, "totals": totals, "summary": summary,
        "staff_rows": summary.staff[:TOP_STAFF], "top_staff": TOP_STAFF, "charts": charts,
        "heights": {"departments": _chart_height(len(summary.departments)),
                    "staff": _chart_height(len(summary.staff[:TOP_STAFF]))},
        "cards": rows, "anomalies": anomalies, "anomalies_pending": pending,
        "rectification_open": _rectification_open(scope), "ratings_path": RATINGS_PATH,
        "cards_query": form.drill_query(),
        "links": {"red": form.drill_query(level=CardLevel.RED.value, state="open"),
                  "yellow": form.drill_query(level=CardLevel.YELLOW.value, state="open"),
                  "closed": form.drill_query(state="closed")},
        "period": bool(form.value("since") or form.value("until")),
        "now": timezone.now(),
    }
    if is_htmx(request):
        return render(request, "workbench/supervision/_dashboard_results.html", context)
    return render(request, "workbench/supervision/dashboard.html", context)


@require_GET
@supervision_required
def card_list(request):
    """Every card in the scope, filtered and sorted on the server (red first by default), one page at a time."""
    form = SupervisionFilter(request.GET, scope=request.supervision_scope)
    sort = form.value("sort") or "red_first"
    page = selectors.cards_list(user=request.user, page=_page_number(request), page_size=PAGE_SIZE, ordering=sort,
                                **form.card_filters())
    context = {"nav": "supervision_cards", "form": form, "page": page, "sort": sort,
               "window": form.value("window"), "staff": form.value("staff")}
    if is_htmx(request):
        return render(request, "workbench/supervision/_cards_table.html", context)
    return render(request, "workbench/supervision/cards.html", context)


@require_GET
@supervision_required
def card_detail(request, pk: int):
    card = selectors.card_get(user=request.user, card_id=pk)
    return render(request, "workbench/supervision/card.html", {"nav": "supervision_cards", "card": card})


class AnomalyFilter(forms.Form):
    rule = forms.ChoiceField(label=gettext_lazy("规则"), required=False,
                             choices=[("", gettext_lazy("全部规则")), *AnomalyRule.choices])
    verdict = forms.ChoiceField(label=gettext_lazy("核查结论"), required=False,
                                choices=[("", gettext_lazy("全部")), *Verdict.choices])
    department = DepartmentChoice(label=gettext_lazy("部门"), queryset=Department.objects.none(), required=False,
                                  empty_label=gettext_lazy("全部部门"))
    since = forms.DateField(label=gettext_lazy("发生日期起"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("发生日期止"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, scope: Scope, **kwargs):
        if "verdict" not in data:  # first visit: what waits for review
            data = data.copy()
            data["verdict"] = Verdict.PENDING
        super().__init__(data, **kwargs)
        self.fields["department"].queryset = _departments(scope)
        self.is_valid()

    def value(self, name):
        return self.cleaned_data.get(name) or None


@require_GET
@supervision_required
def anomaly_list(request):
    """体外循环 findings in the scope, newest first, filtered on the server (pending ones by default)."""
    form = AnomalyFilter(request.GET, scope=request.supervision_scope)
    page = selectors.anomalies_list(
        user=request.user, rule=form.value("rule"), verdict=form.value("verdict"),
        department=form.value("department"), since=form.value("since"), until=form.value("until"),
        page=_page_number(request), page_size=PAGE_SIZE)
    context = {"nav": "supervision_anomalies", "form": form, "page": page}
    if is_htmx(request):
        return render(request, "workbench/supervision/_anomalies_table.html", context)
    return render(request, "workbench/supervision/anomalies.html", context)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=gettext_lazy("核查结论"), widget=forms.RadioSelect,
                                choices=[(Verdict.EXPLAINED.value, Verdict.EXPLAINED.label),
                                         (Verdict.CONFIRMED.value, Verdict.CONFIRMED.label)],
                                error_messages={"required": gettext_lazy("请选择核查结论。")})
    comment = forms.CharField(label=gettext_lazy("核查说明"), max_length=2000,
                              error_messages={"required": gettext_lazy("请填写核查说明。")},
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("写明核查了什么、依据是什么，如：经核实为现场踏勘当场作出决定。"))


def _evidence(detail: dict) -> list[tuple[str, str]]:
    out = []
    for key, value in (detail or {}).items():
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
            with contextlib.suppress(ValueError):
                value = timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        out.append((str(EVIDENCE_LABELS.get(key, key)), "—" if value is None else str(value)))
    return out


@require_http_methods(["GET", "POST"])
@supervision_required
def anomaly_detail(request, pk: int):
    """One finding with its evidence; inspectors record their verdict here (once, audited by the service)."""
    anomaly = selectors.anomaly_get(user=request.user, anomaly_id=pk)
    can_review = anomaly.verdict == Verdict.PENDING and is_anomaly_reviewer(request.user, anomaly.department)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not is_anomaly_reviewer(request.user, anomaly.department):
            return forbidden(request, _("只有电子监察员可以核查异常办件。"))
        if form.is_valid():
            try:
                services.anomaly_review(actor=request.user, anomaly_id=anomaly.pk,
                                        verdict=form.cleaned_data["verdict"], comment=form.cleaned_data["comment"])
            except ApplicationError as exc:
                for name, errors in exc.fields.items():
                    if name in form.fields:
                        for error in errors:
                            form.add_error(name, error)
                messages.error(request, exc.message)
            else:
                messages.success(request, _("核查结论已记录。"))
                return redirect("workbench:supervision_anomaly", pk=anomaly.pk)
        anomaly = selectors.anomaly_get(user=request.user, anomaly_id=pk)
        can_review = anomaly.verdict == Verdict.PENDING
    return render(request, "workbench/supervision/anomaly.html", {
        "nav": "supervision_anomalies", "anomaly": anomaly, "evidence": _evidence(anomaly.detail),
        "can_review": can_review, "form": form}, status=400 if request.method == "POST" else 200)
