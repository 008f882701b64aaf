"""我的办件, 站内信, 个人信息 (signed in) and the public progress query (no sign-in)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.applications.constants import DeliveryChoice
from onewindow.applications.selectors import delivery_preference_for_case, drafts_open_for_user
from onewindow.applications.services import delivery_preference_set
from onewindow.cases import services as case_services
from onewindow.cases.constants import FINAL_STATUSES, OPEN_STATUSES, CaseStatus
from onewindow.cases.permissions import is_applicant
from onewindow.cases.selectors import (
    CASE_NOT_FOUND,
    PROGRESS_NOT_FOUND,
    case_clock_state,
    case_get_for_user,
    case_list_for_user,
    case_progress_public,
    case_timeline,
)
from onewindow.core.errors import ApplicationError, NotFound
from onewindow.documents.selectors import documents_for_case
from onewindow.notifications.selectors import messages_for_user
from onewindow.notifications.services import message_mark_read

from .forms_apply import DeliveryForm, ProgressForm, WithdrawForm
from .hall import client_address, hall_login_required, rate_limited

PAGE_SIZE = 20
WITHDRAWABLE = {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED}

# Status → badge colour on the citizen's pages.
STATUS_BADGE = {
    CaseStatus.SUBMITTED: "badge-primary",
    CaseStatus.CORRECTION_REQUESTED: "badge-warn",
    CaseStatus.ACCEPTED: "badge-primary",
    CaseStatus.SUSPENDED: "badge-warn",
    CaseStatus.DECIDED: "badge-primary",
    CaseStatus.COMPLETED: "badge-ok",
    CaseStatus.DELIVERED: "badge-ok",
    CaseStatus.REFUSED: "badge-danger",
    CaseStatus.WITHDRAWN: "",
    CaseStatus.TERMINATED: "",
}


STAGES = (("submit", gettext_lazy("提交申请")), ("accept", gettext_lazy("受理")),
          ("review", gettext_lazy("审查决定")), ("complete", gettext_lazy("办结")), ("deliver", gettext_lazy("送达")))


def _stage(case) -> int:
    """Index of the current step in STAGES (len(STAGES) when everything is done)."""
    if case.status == CaseStatus.DELIVERED:
        return len(STAGES)
    if case.status == CaseStatus.COMPLETED:
        return 4
    if case.status == CaseStatus.DECIDED:
        return 3
    if case.accepted_at is not None:
        return 2
    return 1


def _page(request, items):
    paginator = Paginator(items, PAGE_SIZE)
    raw = request.GET.get("page") or "1"
    return paginator.get_page(int(raw) if raw.isdigit() else 1)


@hall_login_required
@require_GET
def my_home(request: HttpRequest) -> HttpResponse:
    return redirect("portal:my_cases")


@hall_login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") or "all"
    statuses = {"open": sorted(OPEN_STATUSES), "done": sorted(FINAL_STATUSES)}.get(tab)
    tab = tab if statuses else "all"
    # The hall lists the account's own applications only, also for staff (their inbox is the workbench).
    cases = case_list_for_user(user=request.user, status=statuses, ordering="-submitted_at").filter(
        Q(applicant__user=request.user) | Q(created_by=request.user))
    page = _page(request, cases)
    for case in page.object_list:
        case.badge = STATUS_BADGE.get(case.status, "")
    context = {"nav": "my", "tab": tab, "page": page, "drafts": list(drafts_open_for_user(request.user)[:10])}
    return render(request, "portal/my/cases.html", context)


def _case(request, number: str, *, detail: bool = True):
    """The account's own case (as applicant or filer); staff see other cases in the workbench, not here."""
    case = case_get_for_user(user=request.user, number=number, detail=detail)
    if not (is_applicant(request.user, case) or case.created_by_id == request.user.pk):
        raise NotFound(CASE_NOT_FOUND)
    return case


def _open_notice(case):
    return next((n for n in case.correction_notices.all() if n.resolved_at is None), None)


@hall_login_required
@require_GET
def my_case(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    notice = _open_notice(case) if case.status == CaseStatus.CORRECTION_REQUESTED else None
    preference = delivery_preference_for_case(case)
    mail_allowed = case.version.supports_mail_delivery
    initial = ({"method": preference.method, "recipient": preference.recipient, "phone": preference.phone,
                "address": preference.address} if preference else
               {"method": DeliveryChoice.WINDOW, "recipient": case.applicant.name, "phone": case.applicant.phone,
                "address": case.applicant.address})
    materials = [m for m in case.materials.all() if not m.superseded]
    waivers = list(case.waivers.filter(supplied_at__isnull=True).select_related("spec").order_by("due_date"))
    context = {
        "nav": "my", "case": case, "badge": STATUS_BADGE.get(case.status, ""), "stages": STAGES,
        "stage": _stage(case),
        "events": case_timeline(case, public_only=True), "documents": list(documents_for_case(case)),
        "notice": notice, "materials": materials, "clock": case_clock_state(case), "waivers": waivers,
        "can_withdraw": case.status in WITHDRAWABLE,
        "can_choose_delivery": case.status not in FINAL_STATUSES,
        "preference": preference, "delivery_form": DeliveryForm(initial=initial, mail_allowed=mail_allowed),
        "mail_allowed": mail_allowed,
    }
    return render(request, "portal/my/case.html", context)


@hall_login_required
@require_POST
def my_case_correction(request: HttpRequest, number: str) -> HttpResponse:
    """补正: upload exactly the materials the one-time notice asked for."""
    case = _case(request, number)
    notice = _open_notice(case) if case.status == CaseStatus.CORRECTION_REQUESTED else None
    if notice is None:
        answered = any(n.resolved_at for n in case.correction_notices.all())  # a double click or the back button
        messages.info(request, _("补正材料已经提交，无需重复提交。") if answered else _("该办件当前不需要补正材料。"))
        return redirect("portal:my_case", number=case.number)
    asked = [int(i["spec_id"]) for i in notice.items]
    files = {spec_id: request.FILES[f"material-{spec_id}"] for spec_id in asked
             if f"material-{spec_id}" in request.FILES}
    try:
        case_services.case_resubmit(actor=request.user, case=case, files=files,
                                    comment=(request.POST.get("comment") or "").strip()[:500])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("portal:my_case", args=[case.number]) + "#correction")
    messages.success(request, _("补正材料已提交，办理部门将尽快审核。"))
    return redirect("portal:my_case", number=case.number)


@hall_login_required
@require_POST
def my_case_supply(request: HttpRequest, number: str) -> HttpResponse:
    """容缺后补: supply a material that was waived at acceptance."""
    case = _case(request, number, detail=False)
    raw = request.POST.get("spec", "")
    upload = request.FILES.get(f"material-{raw}") if raw.isdigit() else None
    if upload is None:
        messages.error(request, _("请选择要补交的文件。"))
        return redirect(reverse("portal:my_case", args=[case.number]) + "#waivers")
    try:
        case_services.case_supply_waived(actor=request.user, case=case, spec_id=int(raw), upload=upload)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("portal:my_case", args=[case.number]) + "#waivers")
    messages.success(request, _("容缺材料已补交。"))
    return redirect("portal:my_case", number=case.number)


@hall_login_required
@require_http_methods(["GET", "POST"])
def my_case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number, detail=False)
    if case.status not in WITHDRAWABLE:
        messages.info(request, _("办件当前状态为“%(status)s”，不能撤回。") % {"status": case.get_status_display()})
        return redirect("portal:my_case", number=case.number)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_services.case_withdraw(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        messages.success(request, _("申请已撤回。"))
        return redirect("portal:my_case", number=case.number)
    return render(request, "portal/my/withdraw.html", {"nav": "my", "case": case, "form": form},
                  status=400 if form.is_bound else 200)


@hall_login_required
@require_POST
def my_case_delivery(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number, detail=False)
    form = DeliveryForm(request.POST, mail_allowed=case.version.supports_mail_delivery)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(reverse("portal:my_case", args=[case.number]) + "#delivery")
    delivery_preference_set(actor=request.user, case=case, **form.cleaned_data)
    messages.success(request, _("送达方式已保存：%(method)s。") % {
        "method": DeliveryChoice(form.cleaned_data["method"]).label})
    return redirect(reverse("portal:my_case", args=[case.number]) + "#delivery")


@hall_login_required
@require_http_methods(["GET", "POST"])
def my_messages(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("message", "")
        count = message_mark_read(user=request.user, message_id=int(raw) if raw.isdigit() else None)
        if raw.isdigit() and request.POST.get("open"):  # 查看办件: read, then go to the case
            message = messages_for_user(request.user).filter(pk=int(raw), case__isnull=False).first()
            if message is not None:
                return redirect("portal:my_case", number=message.case.number)
        if not raw:
            messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
        return redirect(reverse("portal:my_messages") + (f"?page={request.GET['page']}"
                                                         if request.GET.get("page", "").isdigit() else ""))
    page = _page(request, messages_for_user(request.user))
    return render(request, "portal/my/messages.html", {"nav": "my", "page": page})


@hall_login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    """个人信息 lives with the account (onewindow.accounts: real-name data, company authorisations)."""
    return redirect("accounts:profile")


# --- Public progress query ---------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """办件进度查询: case number + the last 6 characters of the applicant's ID, by POST (never in the URL)."""
    form = ProgressForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        if (rate_limited("progress-address", client_address(request),
                         getattr(settings, "CASES_PROGRESS_RATE", "10/min"))
                or rate_limited("progress-number", number, getattr(settings, "CASES_PROGRESS_NUMBER_RATE", "20/hour"))):
            form.add_error(None, _("查询过于频繁，请稍后再试。"))
            status = 429
        else:
            try:
                result = case_progress_public(number=number, id_tail=form.cleaned_data["id_tail"])
            except NotFound:
                form.add_error(None, _(PROGRESS_NOT_FOUND))
                status = 404
    elif request.method == "POST":
        status = 400
    response = render(request, "portal/progress.html",
                      {"nav": "progress", "form": form, "result": result,
                       "badge": STATUS_BADGE.get(result.status, "") if result else ""}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
