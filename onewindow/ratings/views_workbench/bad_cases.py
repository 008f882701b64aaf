"""差评整改: the inbox of the user's scope (tabs by status, the current stage's deadline first) and the record
page with the forms the state and the user's role allow.

Scope and audit: the list and the record come from selectors.bad_cases_for_user (the readers' departments;
outside them a 404). The inbox shows no applicant; the record page shows the applicant (name, masked ID,
phone for the follow-up call) and records the read with services.bad_cases_record_view.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases.selectors import is_case_staff
from onewindow.core.errors import ApplicationError, NotFound, PermissionDenied
from onewindow.org.models import Department
from onewindow.org.permissions import department_scope
from onewindow.workbench.access import forbidden
from onewindow.workbench.views.common import apply_error, is_htmx

from .. import selectors, services
from ..constants import (
    APPEAL_JUDGES,
    FOLLOW_UP_CALLERS,
    HANDLERS,
    OPEN_BAD_STATUSES,
    READERS,
    REPLY_OUTCOMES,
    BadCaseStatus,
    Outcome,
)
from ..models import RectificationCard
from .common import NOT_FOUND, STAGE_DUE, can, clock_info, role_required

PAGE_SIZE = 20
READERS_ONLY = gettext_lazy("只有部门工作人员、大厅管理员、电子监察员可以查看差评整改记录。")

reader_required = role_required(lambda user: can(user, READERS), READERS_ONLY)


# ---------------------------------------------------------------------------------------------------------------
# Inbox


def inbox_tabs() -> list[dict]:
    tabs = [{"key": "open", "label": _("全部待办"), "statuses": list(OPEN_BAD_STATUSES)}]
    tabs += [{"key": s.value, "label": s.label, "statuses": [s.value]} for s in BadCaseStatus]
    return tabs


def _stage_due():
    return DbCase(*[When(status=status, then=F(field)) for status, field in STAGE_DUE.items()],
                default=None, output_field=DateTimeField())


def _open_card():
    return Exists(RectificationCard.objects.filter(bad_case=OuterRef("pk"), resolved_at__isnull=True))


class InboxFilter(forms.Form):
    """GET filters. A department outside the scope finds nothing (the selector applies the scope)."""

    department = forms.TypedChoiceField(label=gettext_lazy("责任部门"), required=False, coerce=int,
                                        empty_value=None)
    since = forms.CharField(label=gettext_lazy("收到差评月份起"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    until = forms.CharField(label=gettext_lazy("至"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    overdue = forms.BooleanField(label=gettext_lazy("只看已亮红牌"), required=False)
    q = forms.CharField(label=gettext_lazy("办件编号"), required=False, max_length=40)

    def __init__(self, data, *, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", _("全部部门")), *[(d.pk, d.name) for d in departments]]

    def clean(self):
        data = super().clean()
        since, until = data.get("since") or "", data.get("until") or ""
        data["period"] = None
        if since or until:
            try:
                data["period"] = selectors.parse_period(f"{since or until}..{until or since}")
            except ApplicationError as exc:
                self.add_error("until", exc.fields.get("period", [exc.message])[0])
        return data


def _departments(user):
    qs = Department.objects.all() if user.is_superuser else department_scope(user, READERS)
    return list(qs.only("pk", "name").order_by("sort", "name", "pk"))


@require_GET
@reader_required
def bad_rating_inbox(request):
    """One tab of records, filtered, sorted by the current stage's due instant (closed: newest first) and
    paginated on the server; a fixed number of queries whatever the page length."""
    user = request.user
    tabs = inbox_tabs()
    tab = next((t for t in tabs if t["key"] == request.GET.get("tab")), tabs[0])
    departments = _departments(user)
    form = InboxFilter(request.GET, departments=departments)
    data = form.cleaned_data if form.is_valid() else {}
    base = selectors.bad_cases_for_user(user, department=data.get("department"))
    if data.get("period"):
        start, end = data["period"]
        m = end.year * 12 + end.month  # the first day after the last month
        upto = end.replace(year=m // 12, month=m % 12 + 1)
        base = base.filter(opened_at__date__gte=start, opened_at__date__lt=upto)
    if data.get("q"):
        base = base.filter(case__number__startswith=data["q"].strip())
    if data.get("overdue"):
        base = base.filter(_open_card())
    counts = base.order_by().aggregate(**{t["key"]: Count("pk", filter=Q(status__in=t["statuses"]))
                                          for t in tabs})
    for t in tabs:
        t["count"] = counts.get(t["key"]) or 0
    qs = (base.filter(status__in=tab["statuses"])
          .select_related("rating__window", "rating__staff", "case__version")
          .annotate(stage_due=_stage_due(), red_card=_open_card()))
    if tab["key"] == BadCaseStatus.CLOSED:
        qs = qs.order_by("-closed_at", "-id")
    else:
        qs = qs.order_by(F("stage_due").asc(nulls_last=True), "opened_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"bad": b, "clock": clock_info(b, now)} for b in page.object_list]
    services.bad_cases_record_view(actor=user, bad_cases=page.object_list, reason=_("差评整改列表"))
    context = {"nav": "bad_ratings", "tabs": tabs, "tab": tab, "form": form, "page": page, "rows": rows,
               "now": now}
    if is_htmx(request):
        return render(request, "ratings/workbench/_inbox_table.html", context)
    return render(request, "ratings/workbench/inbox.html", context)


# ---------------------------------------------------------------------------------------------------------------
# The record page and its actions


class VerifyForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("核实情况"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("处理结果"), widget=forms.RadioSelect,
                                choices=[(o.value, o.label) for o in REPLY_OUTCOMES])
    changes = forms.CharField(label=gettext_lazy("整改措施（已整改的写明改了什么）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    reply = forms.CharField(label=gettext_lazy("给申请人的反馈"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("申诉理由（恶意评价或误评的依据）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DecideAppealForm(forms.Form):
    upheld = forms.TypedChoiceField(label=gettext_lazy("复核结论"), widget=forms.RadioSelect,
                                    coerce=lambda v: v == "yes",
                                    choices=[("yes", gettext_lazy("申诉成立（差评不计入统计，保留记录）")),
                                             ("no", gettext_lazy("申诉不成立（退回整改）"))])
    comment = forms.CharField(label=gettext_lazy("复核意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    reached = forms.TypedChoiceField(label=gettext_lazy("电话是否接通"), widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes",
                                     choices=[("yes", gettext_lazy("已接通")), ("no", gettext_lazy("未接通"))])
    satisfied = forms.TypedChoiceField(label=gettext_lazy("申请人对整改是否满意"), required=False,
                                       coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None,
                                       choices=[("", gettext_lazy("未表态")), ("yes", gettext_lazy("满意")),
                                                ("no", gettext_lazy("不满意"))])
    note = forms.CharField(label=gettext_lazy("回访记录"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _verify(user, bad, d):
    return services.bad_case_verify(actor=user, bad_case=bad, note=d["note"])


def _reply(user, bad, d):
    return services.bad_case_reply(actor=user, bad_case=bad, outcome=d["outcome"], reply=d["reply"],
                                   changes=d["changes"])


def _appeal(user, bad, d):
    return services.bad_case_appeal(actor=user, bad_case=bad, reason=d["reason"])


def _decide(user, bad, d):
    return services.bad_case_decide_appeal(actor=user, bad_case=bad, upheld=d["upheld"], comment=d["comment"])


def _follow_up(user, bad, d):
    return services.bad_case_follow_up(actor=user, bad_case=bad, reached=d["reached"], note=d["note"],
                                       satisfied=d["satisfied"])


# name: (label, form, roles, statuses, service call, success message)
ACTIONS = {
    "verify": (gettext_lazy("核实"), VerifyForm, HANDLERS, (BadCaseStatus.VERIFYING,), _verify,
               gettext_lazy("已记录核实情况，请在整改反馈期限前答复申请人。")),
    "reply": (gettext_lazy("整改答复"), ReplyForm, HANDLERS, (BadCaseStatus.RECTIFYING,), _reply,
              gettext_lazy("整改答复已发送给申请人。")),
    "appeal": (gettext_lazy("申诉"), AppealForm, HANDLERS, (BadCaseStatus.VERIFYING, BadCaseStatus.RECTIFYING),
               _appeal, gettext_lazy("申诉已提交，等待大厅管理员或电子监察员复核。")),
    "decide-appeal": (gettext_lazy("申诉复核"), DecideAppealForm, APPEAL_JUDGES, (BadCaseStatus.APPEALED,), _decide,
                      gettext_lazy("已记录复核结论。")),
    "follow-up": (gettext_lazy("回访"), FollowUpForm, FOLLOW_UP_CALLERS + HANDLERS,
                  (BadCaseStatus.REPLIED, BadCaseStatus.FOLLOW_UP), _follow_up,
                  gettext_lazy("已记录回访，整改单办结。")),
}
PRIMARY = {"verify", "reply", "decide-appeal", "follow-up"}


def role_allows(user, name: str, bad) -> bool:
    return can(user, ACTIONS[name][2], bad.department)


def allowed_actions(user, bad) -> list[str]:
    """The actions the record's state and the user's role allow, in the order of the handling."""
    out = []
    for name, (_label, _form, _roles, statuses, _call, _msg) in ACTIONS.items():
        if bad.status not in statuses or not role_allows(user, name, bad):
            continue
        if name == "appeal" and (bad.replied_at is not None or bad.appealed_at is not None):
            continue  # once, before any reply
        out.append(name)
    return out


def _load(user, pk: int):
    """The record in the user's scope (else NotFound) with everything the page shows: three queries."""
    bad = selectors.bad_cases_for_user(user).select_related(
        "rating__window__hall", "rating__staff", "rating__item", "rating__amendment", "rating__recorded_by",
        "case__applicant", "case__version", "department__region", "hall", "verified_by", "replied_by",
        "appeal_decided_by", "followed_up_by").prefetch_related("actions", "cards").filter(pk=pk).first()
    if bad is None:
        raise NotFound(NOT_FOUND)
    return bad


def render_record(request, bad, *, bound=None, alert=None, status=200):
    user = request.user
    forms_ = []
    for name in allowed_actions(user, bad):
        label, form_class, *_rest = ACTIONS[name]
        form = bound[1] if bound and bound[0] == name else form_class(auto_id=f"{name}-%s")
        forms_.append({"name": name, "label": label, "form": form, "primary": name in PRIMARY,
                       "open": bool(bound and bound[0] == name),
                       "url": reverse("workbench:bad_rating_action", args=[bad.pk, name])})
    services.bad_cases_record_view(actor=user, bad_cases=[bad], reason=_("差评整改单"))
    now = timezone.now()
    context = {
        "nav": "bad_ratings", "bad": bad, "rating": bad.rating, "case": bad.case, "clock": clock_info(bad, now),
        "now": now, "actions": forms_, "alert": alert, "trail": list(bad.actions.all()),
        "cards": list(bad.cards.all()), "case_link": is_case_staff(user),
        "deadlines": _deadlines(bad),
        "rectified": Outcome.RECTIFIED,
    }
    return render(request, "ratings/workbench/record.html", context, status=status)


def _deadlines(bad) -> list[dict]:
    rows = [
        {"label": _("核实期限"), "due": bad.verify_due_at, "done": bad.verified_at},
        {"label": _("整改反馈期限") + (_("（第 %(n)s 轮）") % {"n": bad.round} if bad.round > 1 else ""),
         "due": bad.reply_due_at, "done": bad.replied_at if bad.status != BadCaseStatus.RECTIFYING else None},
    ]
    if bad.follow_up_due_at or bad.followed_up_at:
        rows.append({"label": _("回访期限"), "due": bad.follow_up_due_at, "done": bad.followed_up_at})
    for r in rows:
        r["late"] = bool(r["due"] and ((r["done"] and r["done"] > r["due"])
                                       or (not r["done"] and r["due"] < timezone.now()
                                           and bad.status != BadCaseStatus.CLOSED)))
    return rows


@require_GET
@reader_required
def bad_rating_detail(request, pk: int):
    return render_record(request, _load(request.user, pk))


@require_POST
@reader_required
def bad_rating_action(request, pk: int, action: str):
    """One step from the record page. Outside the scope: 404; a role that may not take the step: 403; a
    service error (state changed meanwhile, a missing reason): the page again with the message and the form."""
    if action not in ACTIONS:
        raise NotFound(NOT_AN_ACTION)
    bad = _load(request.user, pk)
    label, form_class, _roles, _statuses, call, success = ACTIONS[action]
    if not role_allows(request.user, action, bad):
        return forbidden(request, _("您无权对该差评整改记录执行“%(action)s”。") % {"action": label})
    form = form_class(request.POST, auto_id=f"{action}-%s")
    if not form.is_valid():
        return render_record(request, bad, bound=(action, form), alert=_("请检查标出的项目。"), status=400)
    try:
        call(request.user, bad, form.cleaned_data)
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    except NotFound:
        raise
    except ApplicationError as exc:
        apply_error(request, form, exc, show_message=False)
        bad = _load(request.user, pk)
        if action not in allowed_actions(request.user, bad):
            # The state moved on (someone else acted): say so, show the record as it is now.
            return render_record(request, bad, alert=exc.message, status=exc.status_code)
        return render_record(request, bad, bound=(action, form), alert=exc.message, status=exc.status_code)
    messages.success(request, str(success))
    return redirect("workbench:bad_rating", pk=bad.pk)


NOT_AN_ACTION = gettext_lazy("没有这个操作。")
