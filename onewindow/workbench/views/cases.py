"""办件: the staff inboxes and the case page (materials, form data, events, documents, the action panel).

Reads go through cases.selectors (scope-checked: a case outside the user's departments is a 404), state
changes through cases.services. Inbox tabs map onto the status model like this:

- 待受理 = submitted (filed online or by a system, not yet accepted);
- 待补正 = a correction notice is open;
- 待审查 (reviewers) / 待决定 (department heads) = accepted, no decision yet. Reviewers and heads may both
  decide, so this is ONE list under the name each role knows it by;
- 待办结 = decided, not completed; 待送达 = completed, result not handed over;
- 待延期审批 = an extension request waits for the head (shown to heads only);
- 特别程序中 = suspended; 已办结 = delivered, refused, withdrawn or terminated.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from onewindow.accounts.phones import mask_phone
from onewindow.applications.selectors import delivery_preference_for_case
from onewindow.cases import permissions as perm
from onewindow.cases import services
from onewindow.cases.constants import CaseStatus, ExtensionStatus
from onewindow.cases.models import Extension, WaiverPromise
from onewindow.cases.selectors import (
    CLOCK_FILTERS,
    ClockState,
    case_clock_state,
    case_get_for_user,
    case_list_for_user,
    case_timeline,
    is_case_staff,
)
from onewindow.catalogue.constants import HandlingType, Necessity
from onewindow.catalogue.models import ServiceItem
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, NotFound
from onewindow.documents.selectors import documents_for_case
from onewindow.org.permissions import has_role
from onewindow.workcalendar.clock import working_days_between

from .. import case_forms as f
from ..access import forbidden
from .common import apply_error, is_htmx

PAGE_SIZE = 20
CASE_NOT_FOUND = gettext_lazy("未找到该办件，或该办件不属于您所在部门的管理范围。")
CONFLICT = gettext_lazy("该办件已被他人处理，当前状态为“%(status)s”。请查看最新情况后再操作。")


def case_staff_required(view):
    """Signed-in staff with a case role; a case outside the scope is a clear Chinese 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_case_staff(request.user):
            return forbidden(request, _("您没有办件办理权限。窗口人员、审批人员或部门负责人可以使用此功能。"))
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):
            return render(request, "workbench/cases/not_found.html", {"message": CASE_NOT_FOUND}, status=404)

    return wrapper


# ---------------------------------------------------------------------------------------------------------------
# Inboxes


def _pending_extension():
    return Exists(Extension.objects.filter(case=OuterRef("pk"), status=ExtensionStatus.PENDING))


def is_head(user, department=None) -> bool:
    return has_role(user, perm.HEADS, department)


def inbox_tabs(user) -> list[dict]:
    """The tabs this user sees, each with its filter (a Q on the case list) and default ordering."""
    head = is_head(user)
    deciders = has_role(user, perm.DECIDERS)
    tabs = [
        {"key": "submitted", "label": _("待受理"), "q": Q(status=CaseStatus.SUBMITTED), "sort": "due"},
        {"key": "correction", "label": _("待补正"), "q": Q(status=CaseStatus.CORRECTION_REQUESTED), "sort": "due"},
        {"key": "review", "label": _("待决定") if head else _("待审查"), "q": Q(status=CaseStatus.ACCEPTED),
         "sort": "due"},
        {"key": "decided", "label": _("待办结"), "q": Q(status=CaseStatus.DECIDED), "sort": "due"},
        {"key": "completed", "label": _("待送达"), "q": Q(status=CaseStatus.COMPLETED), "sort": "-submitted"},
    ]
    if head:
        tabs.append({"key": "extension", "label": _("待延期审批"), "q": Q(_pending_extension()), "sort": "due"})
    tabs += [
        {"key": "suspended", "label": _("特别程序中"), "q": Q(status=CaseStatus.SUSPENDED), "sort": "due"},
        {"key": "closed", "label": _("已办结"),
         "q": Q(status__in=[CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN,
                            CaseStatus.TERMINATED]), "sort": "-submitted"},
    ]
    for tab in tabs:
        tab["default"] = False
    default = "review" if deciders else "submitted"
    next(t for t in tabs if t["key"] == default)["default"] = True
    return tabs


def inbox_counts(user, tabs) -> dict[str, int]:
    """Every tab's count in one query."""
    aggregates = {t["key"]: Count("pk", filter=t["q"]) for t in tabs if t["key"] != "closed"}
    return case_list_for_user(user=user).order_by().aggregate(**aggregates)


SORTS = {"due": "due_at", "submitted": "submitted_at", "-submitted": "-submitted_at"}
SORT_LABELS = {"due": gettext_lazy("按办结期限"), "submitted": gettext_lazy("按提交时间（早→晚）"),
               "-submitted": gettext_lazy("按提交时间（晚→早）")}


def clock_info(case, now, calendar=None) -> dict:
    """Badge class and text for a case: red when overdue, yellow after the warning instant."""
    state = case_clock_state(case, now=now)
    info = {"state": state, "badge": "", "label": "", "left": None, "provisional": case.deadline_provisional}
    if state == ClockState.OVERDUE:
        info.update(badge="badge-red", label=_("已超期"))
    elif state == ClockState.WARNING:
        info.update(badge="badge-yellow", label=_("即将到期"))
    elif state == ClockState.PAUSED:
        info.update(badge="badge", label=_("暂停计时"))
    if state in (ClockState.OVERDUE, ClockState.WARNING, ClockState.NORMAL) and case.due_at:
        info["left"] = working_days_between(now, case.due_at, **({"calendar": calendar} if calendar else {}))
    return info


@require_GET
@case_staff_required
def case_inbox(request):
    """One tab of cases, filtered, sorted and paginated on the server; a fixed number of queries per page."""
    user = request.user
    tabs = inbox_tabs(user)
    key = request.GET.get("tab", "")
    tab = next((t for t in tabs if t["key"] == key), None) or next(t for t in tabs if t["default"])
    sort = request.GET.get("sort", "") or tab["sort"]
    if sort not in SORTS:
        sort = tab["sort"]
    clock = request.GET.get("clock", "")
    clock = clock if clock in CLOCK_FILTERS else ""
    q = request.GET.get("q", "").strip()[:40]
    item_id = request.GET.get("item", "")
    items = list(ServiceItem.objects.filter(department__in=perm.staff_case_scope(user))
                 .only("pk", "name").order_by("name", "pk"))
    item = next((i for i in items if str(i.pk) == item_id), None)
    qs = (case_list_for_user(user=user, item=item, clock=clock or None, search=q, ordering=SORTS[sort])
          .filter(tab["q"]).annotate(pending_extension=_pending_extension()))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"case": c, "clock": clock_info(c, now)} for c in page.object_list]
    counts = inbox_counts(user, tabs)
    for t in tabs:
        t["count"] = counts.get(t["key"])
    context = {
        "nav": "cases", "tabs": tabs, "tab": tab, "sort": sort, "sort_labels": SORT_LABELS, "clock": clock,
        "clock_filters": [(c.value, c.label) for c in CLOCK_FILTERS], "q": q, "items": items,
        "item_id": item.pk if item else "", "page": page, "rows": rows, "now": now,
        "case_counts": {"mine": next(t["count"] for t in tabs if t["default"])},
    }
    if is_htmx(request):
        return render(request, "workbench/cases/_inbox_table.html", context)
    return render(request, "workbench/cases/inbox.html", context)


# ---------------------------------------------------------------------------------------------------------------
# The case page and its actions


def _missing_waivable(case) -> list:
    have = {m.spec_id for m in case.materials.all() if not m.superseded and (m.file or m.on_paper)}
    return [s for s in case.version.materials.all() if s.necessity == Necessity.WAIVABLE and s.pk not in have]


def allowed_actions(user, case, *, pending_extension=None, extension_open=False) -> list[str]:
    """The actions the case's state and the user's roles allow, in the order the panel shows them."""
    dept = case.department
    acceptor = has_role(user, perm.ACCEPTORS, dept)
    decider = has_role(user, perm.DECIDERS, dept)
    head = has_role(user, perm.HEADS, dept)
    status = case.status
    out = []
    # A pending extension waits for the head: first in the panel (the deadline depends on it).
    if pending_extension is not None and head and pending_extension.requested_by_id != user.pk and status in (
            CaseStatus.ACCEPTED, CaseStatus.SUSPENDED, CaseStatus.CORRECTION_REQUESTED):
        out.append("extension_decide")
    if status == CaseStatus.SUBMITTED and acceptor:
        if case.version.handling_type == HandlingType.INSTANT:
            out.append("instant")
        out += ["accept", "correct", "refuse"]
    elif status == CaseStatus.SUBMITTED and decider:
        out.append("correct")
    if status == CaseStatus.CORRECTION_REQUESTED and acceptor:
        out += ["resubmit", "refuse"]
    if status == CaseStatus.ACCEPTED and decider:
        out += ["decide", "correct", "suspend"]
        if not extension_open:
            out.append("extend")
    elif status == CaseStatus.ACCEPTED and acceptor:
        out.append("correct")
    if status == CaseStatus.SUSPENDED and decider:
        out.append("resume")
    if status == CaseStatus.DECIDED and (decider or acceptor):
        out.append("complete")
    if status == CaseStatus.COMPLETED and (decider or acceptor):
        out.append("deliver")
    if acceptor and any(w.supplied_at is None for w in case.waivers.all()):
        out.append("supply")
    if decider and status in {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED,
                              CaseStatus.SUSPENDED}:
        out.append("terminate")
    return out


ACTION_LABELS = {
    "instant": gettext_lazy("当场办结"), "accept": gettext_lazy("受理"), "correct": gettext_lazy("一次性告知补正"),
    "refuse": gettext_lazy("不予受理"), "decide": gettext_lazy("作出决定"), "suspend": gettext_lazy("启动特别程序"),
    "resume": gettext_lazy("结束特别程序"), "extend": gettext_lazy("申请延期"),
    "extension_decide": gettext_lazy("审批延期"), "complete": gettext_lazy("办结"), "deliver": gettext_lazy("送达"),
    "supply": gettext_lazy("补交容缺材料"), "terminate": gettext_lazy("终止办理"),
    "resubmit": gettext_lazy("补正材料收件"),
}
# Alt+key on the case page (listed on the page).
ACTION_KEYS = {"resubmit": "B", "accept": "A", "correct": "C", "refuse": "R", "decide": "D", "instant": "I", "complete": "E",
               "deliver": "S", "extension_decide": "P", "extend": "X", "suspend": "T", "resume": "U"}
PRIMARY = {"resubmit", "instant", "accept", "decide", "complete", "deliver", "extension_decide", "resume"}


def _default_due():
    return timezone.localdate() + dt.timedelta(days=30)


def action_form(action, case, data=None, files=None):
    initial = {"seen_status": case.status}
    specs = list(case.version.materials.all())
    if action == "accept":
        return f.AcceptForm(data, initial=initial, waivable=_missing_waivable(case), default_due=_default_due())
    if action == "correct":
        have = {m.spec_id for m in case.materials.all() if not m.superseded and (m.file or m.on_paper)}
        preselect = {s.pk for s in specs if s.pk not in have and s.necessity != Necessity.CONDITIONAL
                     and not s.is_reusable}  # 免提交: the department fetches the e-certificate
        return f.CorrectionForm(data, initial=initial, specs=specs, preselect=preselect)
    if action in ("refuse", "terminate"):
        return f.ReasonForm(data, initial=initial)
    if action in ("decide", "instant"):
        return f.DecideForm(data, initial=initial)
    if action in ("complete", "resume"):
        return f.CommentForm(data, initial=initial)
    if action == "deliver":
        preference = delivery_preference_for_case(case)  # the applicant's wish fills the form in
        if preference is not None:
            initial.update(method=preference.method, address=preference.address)
        return f.DeliverForm(data, initial=initial)
    if action == "suspend":
        return f.SuspendForm(data, initial=initial)
    if action == "extend":
        return f.ExtensionRequestForm(data, initial=initial)
    if action == "extension_decide":
        return f.ExtensionDecisionForm(data, initial=initial)
    if action == "supply":
        return f.SupplyWaivedForm(data, files, initial=initial)
    if action == "resubmit":
        notice = next((n for n in case.correction_notices.all() if n.resolved_at is None), None)
        return f.ResubmitForm(data, files, initial=initial, notice=notice)
    raise Http404


def perform(action, user, case, form) -> str:
    """Call the service of `action`; returns the success message."""
    d = form.cleaned_data
    if action == "accept":
        services.case_accept(actor=user, case=case, waivers=form.waivers(), comment=d["comment"])
        return _("已受理，办结时限开始计算。")
    if action == "correct":
        services.case_request_correction(actor=user, case=case, items=form.items(), comment=d["comment"])
        return _("已一次性告知补正，可打印补正材料通知书。")
    if action == "refuse":
        services.case_refuse(actor=user, case=case, reason=d["reason"])
        return _("已作出不予受理决定。")
    if action == "instant":
        services.case_complete_instantly(actor=user, case=case, decision=d["decision"], reason=d["reason"],
                                         basis=d["basis"])
        return _("即办件已当场办结。")
    if action == "decide":
        services.case_decide(actor=user, case=case, decision=d["decision"], reason=d["reason"], basis=d["basis"])
        return _("已作出决定。")
    if action == "complete":
        services.case_complete(actor=user, case=case)
        return _("已办结。")
    if action == "deliver":
        services.case_deliver(actor=user, case=case, method=d["method"], address=d["address"],
                              tracking_number=d["tracking_number"])
        return _("已送达。")
    if action == "suspend":
        services.case_suspend(actor=user, case=case, kind=d["kind"], reason=d["reason"],
                              expected_end=d["expected_end"])
        return _("已启动特别程序，期间不计入办理时限。")
    if action == "resume":
        services.case_resume(actor=user, case=case, comment=d["comment"])
        return _("特别程序已结束，恢复计时。")
    if action == "extend":
        services.case_request_extension(actor=user, case=case, days=d["days"], reason=d["reason"])
        return _("延期申请已提交部门负责人审批。")
    if action == "extension_decide":
        services.case_decide_extension(actor=user, case=case, approve=d["approve"], comment=d["comment"])
        return _("已批准延期。") if d["approve"] else _("已不批准延期。")
    if action == "supply":
        services.case_supply_waived(actor=user, case=case, spec_id=d["spec"], upload=d["upload"])
        return _("容缺材料已补交。")
    if action == "resubmit":
        services.case_resubmit(actor=user, case=case, files=form.files_by_spec(), paper=form.paper(),
                               comment=d["comment"])
        return _("补正材料已收取，办件回到待受理（受理后补正的恢复计时）。")
    if action == "terminate":
        services.case_terminate(actor=user, case=case, reason=d["reason"])
        return _("已终止办理。")
    raise Http404


def _materials(case):
    """Each material slot of the version with its current files and waiver."""
    waivers = {w.spec_id: w for w in case.waivers.all()}
    files: dict[int, list] = {}
    for m in case.materials.all():
        files.setdefault(m.spec_id, []).append(m)
    return [{"spec": s, "files": [m for m in files.get(s.pk, []) if not m.superseded],
             "old": [m for m in files.get(s.pk, []) if m.superseded], "waiver": waivers.get(s.pk)}
            for s in case.version.materials.all()]


def _load(user, number):
    case = case_get_for_user(user=user, number=number, detail=True)
    # Waivers with their material, for the panel and the action rules (one query).
    prefetch_related_objects([case], Prefetch("waivers", queryset=WaiverPromise.objects.select_related("spec")))
    return case


ADDRESS_VISIBLE = 6  # characters of a mail address shown to staff who do not mail results (省市区 level)


def mask_address(address: str, visible: int = ADDRESS_VISIBLE) -> str:
    """"湖南省长沙市岳麓区麓山南路 932 号" → "湖南省长沙市****": enough to see the region, not the door."""
    address = (address or "").strip()
    if not address:
        return ""
    return address[:min(visible, max(len(address) // 2, 1))] + "****"


def may_mail_results(user, case) -> bool:
    """Staff who hand out or mail the result (送达: acceptors and deciders of the case) see the full address."""
    return perm.can_accept(user, case) or has_role(user, perm.DECIDERS, case.department)


def delivery_info(user, case) -> dict | None:
    """The applicant's choice of delivery (窗口领取 / 免费邮寄) as the case page shows it to this user."""
    preference = delivery_preference_for_case(case)
    if preference is None:
        return None
    full = may_mail_results(user, case)
    return {
        "method": preference.get_method_display(), "is_mail": preference.method == "mail",
        "recipient": preference.recipient,
        "phone": preference.phone if full else mask_phone(preference.phone),
        "address": preference.address if full else mask_address(preference.address),
        "masked": not full, "updated_at": preference.updated_at,
    }


def render_case(request, case, *, bound=None, alert=None, status=200, full_id=False):
    user = request.user
    extensions = list(case.extensions.all())
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    extension_open = any(e.status != ExtensionStatus.REJECTED for e in extensions)
    actions = allowed_actions(user, case, pending_extension=pending, extension_open=extension_open)
    forms = []
    for name in actions:
        form = bound[1] if bound and bound[0] == name else action_form(name, case)
        forms.append({"name": name, "label": ACTION_LABELS[name], "key": ACTION_KEYS.get(name, ""), "form": form,
                      "primary": name in PRIMARY, "open": bool(bound and bound[0] == name),
                      "url": reverse("workbench:case_action", args=[case.number, name])})
    now = timezone.now()
    context = {
        "nav": "cases", "case": case, "clock": clock_info(case, now), "now": now,
        "events": case_timeline(case, public_only=False),
        "documents": list(documents_for_case(case)),
        "materials": _materials(case),
        "notices": list(case.correction_notices.all()),
        "pauses": list(case.pauses.all()),
        "extensions": extensions, "pending_extension": pending,
        "waivers": list(case.waivers.all()),
        "actions": forms, "alert": alert,
        "can_view_full_id": services.can_view_personal_data(user, case),
        "full_id": case.applicant.identifier if full_id else "",
        "form_rows": _form_rows(case),
        "delivery": delivery_info(user, case),
    }
    return render(request, "workbench/cases/detail.html", context, status=status)


def _form_rows(case):
    """The application form as (label, value) rows, labelled from the version's JSON Schema when it has titles."""
    props = ((case.version.form_schema or {}).get("properties") or {})
    rows = []
    for key, value in (case.form_data or {}).items():
        label = (props.get(key) or {}).get("title") or key
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append((label, value))
    return rows


@require_GET
@case_staff_required
def case_detail(request, number: str):
    return render_case(request, _load(request.user, number))


@require_POST
@case_staff_required
def case_action(request, number: str, action: str):
    """One action from the panel. A stale page (the status changed meanwhile) or a double click acts once."""
    if action not in ACTION_LABELS:
        raise Http404
    case = _load(request.user, number)
    form = action_form(action, case, request.POST, request.FILES)
    seen = request.POST.get("seen_status", "")
    if seen and seen != case.status:
        return render_case(request, case, alert=CONFLICT % {"status": case.get_status_display()}, status=409)
    if not form.is_valid():
        return render_case(request, case, bound=(action, form), alert=_("请检查标出的项目。"), status=400)
    try:
        message = perform(action, request.user, case, form)
    except Conflict as exc:
        case = _load(request.user, number)
        return render_case(request, case, status=409,
                           alert=f"{exc.message} " + _("当前状态：%(status)s。") % {"status": case.get_status_display()})
    except NotFound:
        raise
    except ApplicationError as exc:
        apply_error(request, form, exc, show_message=False)
        case = _load(request.user, number)
        return render_case(request, case, bound=(action, form), alert=exc.message, status=exc.status_code)
    messages.success(request, message)
    return redirect("workbench:case", number=case.number)


@require_POST
@case_staff_required
def case_personal_data(request, number: str):
    """查看完整证件号: audited by the service, shown once (not kept in the page after a reload)."""
    case = _load(request.user, number)
    try:
        services.case_personal_data_view(actor=request.user, case=case, reason=_("工作台查看办件"))
    except ApplicationError as exc:
        if is_htmx(request):
            return render(request, "workbench/cases/_full_id.html", {"error": exc.message}, status=403)
        return render_case(request, case, alert=exc.message, status=403)
    if is_htmx(request):
        return render(request, "workbench/cases/_full_id.html", {"case": case})
    return render_case(request, case, full_id=True)


@require_GET
@case_staff_required
def case_material(request, number: str, material_id: int):
    """A material file for the viewer (inline) or as a download; reads by staff are audited like the API's."""
    case = case_get_for_user(user=request.user, number=number)
    material = case.materials.filter(pk=material_id).exclude(file="").first()
    if material is None:
        raise NotFound(_("未找到该材料文件。"))
    audit_log(actor=request.user, action="cases.download_material", obj=case,
              new={"material": material.pk, "sha256": material.sha256})
    inline = request.GET.get("inline") == "1"
    response = FileResponse(material.file.open("rb"), as_attachment=not inline, filename=material.original_name,
                            content_type=material.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Shown in the case page's viewer frame: framable by this site only, and nothing active inside it.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = ("default-src 'none'; img-src 'self'; object-src 'self'; "
                                               "style-src 'unsafe-inline'; frame-ancestors 'self'")
    return response
