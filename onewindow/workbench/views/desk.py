"""受理台: the clerk's counter screen. ID number (typed by the card reader, then Enter) → applicant → item
(search as you type, within the window's scope) → materials checklist → 受理 / 一次性告知补正 / 不予受理 /
即办件当场办结, in one screen and without the mouse. Every POST carries a one-time token (the idempotency key of
case_submit): a double click files one case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases import permissions as perm
from onewindow.cases import services
from onewindow.cases.constants import ApplicantKind, Channel
from onewindow.cases.models import Applicant
from onewindow.cases.selectors import case_get_for_user
from onewindow.catalogue.constants import HandlingType, Necessity
from onewindow.catalogue.models import SearchTerm
from onewindow.catalogue.search import query_terms
from onewindow.catalogue.selectors import item_search, published_versions
from onewindow.core.errors import ApplicationError, NotFound
from onewindow.core.identifiers import mask_id, normalize_ric, normalize_uscc
from onewindow.documents.selectors import documents_for_case
from onewindow.org.constants import Role, WindowKind
from onewindow.org.models import Window
from onewindow.org.permissions import department_scope, has_role, staff_roles

from ..access import forbidden
from ..case_forms import RegisterApplicantForm
from .cases import CASE_NOT_FOUND
from .common import is_htmx

DESK_ROLES = (Role.CLERK,)
RESULTS = 12
RANKED = 100  # best catalogue matches looked at before keeping those in the desk's scope
DESK_ACTIONS = ("accept", "correct", "refuse", "instant")


def desk_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, DESK_ROLES):
            return forbidden(request, _("受理台仅供窗口人员使用。"))
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):
            return render(request, "workbench/cases/not_found.html", {"message": CASE_NOT_FOUND}, status=404)

    return wrapper


# ---------------------------------------------------------------------------------------------------------------
# Scope: the window's items, within the departments whose cases the clerk may accept


def desk_window(user):
    role = next((r for r in staff_roles(user) if r.role == Role.CLERK and r.window_id), None)
    if role is None:
        return None
    return Window.objects.select_related("hall", "department").filter(pk=role.window_id, is_active=True).first()


def desk_versions(user, window):
    """Published versions the clerk may file here: every item of a comprehensive window's scope, whatever
    department owns it (无差别受理); a department window's department; else the clerk's own departments."""
    if window is not None and window.kind == WindowKind.COMPREHENSIVE:
        return published_versions().filter(item__windows=window)
    qs = published_versions().filter(item__department__in=department_scope(user, perm.ACCEPTORS))
    if window is not None and window.department_id:
        qs = qs.filter(item__department=window.department_id)
    return qs


def item_results(user, window, query: str) -> list:
    """Items for the picker: the catalogue's ranked search (item_search), kept to the desk's scope."""
    query = (query or "").strip()[:50]
    scope = desk_versions(user, window)
    if not query:
        return list(scope.order_by("-item__popularity", "name", "pk")[:RESULTS])
    if window is not None and window.kind == WindowKind.COMPREHENSIVE:
        scoped = {"window": window}
    elif window is not None and window.department_id:
        scoped = {"department": window.department}
    else:
        scoped = {}
    ranked = item_search(query=query, page_size=RANKED, **scoped).results
    allowed = set(scope.filter(pk__in=[v.pk for v in ranked]).values_list("pk", flat=True))
    results = [v for v in ranked if v.pk in allowed][:RESULTS]
    if results:
        return results
    # Nothing among the best matches of the whole catalogue: a plain scan of the (small) scope.
    tokens, prefix = query_terms(query)
    terms = SearchTerm.objects.filter(version=OuterRef("pk"))
    match = Q(name__icontains=query) | Q(item__implementation_code__startswith=query)
    if tokens:
        match |= Exists(terms.filter(term__in=tokens))
    if prefix:
        match |= Exists(terms.filter(term__startswith=prefix))
    return list(scope.filter(match).order_by("-item__popularity", "name", "pk")[:RESULTS])


def version_in_scope(user, window, pk) -> object:
    version = (desk_versions(user, window).filter(pk=pk).prefetch_related("materials").first()
               if str(pk).isdigit() else None)
    if version is None:
        raise NotFound(_("该事项不在本窗口的受理范围内。"))
    return version


# ---------------------------------------------------------------------------------------------------------------
# Applicant lookup (a read of cases.models.Applicant: cases.selectors has no lookup by identifier yet)


def parse_identifier(raw: str) -> tuple[str, str]:
    """(kind, normalised identifier) of what the reader typed; ApplicationError if it is neither kind."""
    raw = (raw or "").strip().replace(" ", "")
    try:
        return ApplicantKind.PERSON, normalize_ric(raw)
    except ValidationError:
        pass
    try:
        return ApplicantKind.COMPANY, normalize_uscc(raw)
    except ValidationError:
        pass
    raise ApplicationError(_("证件号码无效：请核对居民身份证号码（18 位）或统一社会信用代码（18 位）。"),
                           fields={"identifier": _("证件号码无效。")})


SIGN_SALT = "workbench.desk.applicant"
SIGN_MAX_AGE = 12 * 3600


def applicant_ref(applicant) -> str:
    """The applicant in the desk's URLs: a signed id, so no ID number goes into URLs, history or logs."""
    return signing.dumps(applicant.pk, salt=SIGN_SALT, compress=True)


def applicant_from_ref(ref: str):
    try:
        pk = signing.loads(ref or "", salt=SIGN_SALT, max_age=SIGN_MAX_AGE)
    except signing.BadSignature:
        return None
    return Applicant.objects.filter(pk=pk).first()


def applicant_find(kind: str, identifier: str):
    if kind == ApplicantKind.PERSON:
        return Applicant.objects.filter(kind=kind, id_number=identifier).first()
    return Applicant.objects.filter(kind=kind, credit_code=identifier).first()


# ---------------------------------------------------------------------------------------------------------------
# Filing a window case (paper materials checked at the counter)


def visit_purpose(names: list[str]) -> str:
    """The record of a window visit (stored data, in Chinese like every case record)."""
    text = "窗口递交申请"
    if names:
        text += "；窗口收取纸质材料：" + "、".join(names)
    return text


def file_window_case(*, actor, version, applicant, window, token, scans, received, waivers, action, notice,
                     comment, refuse_reason):
    """File the case (channel=window) and take the chosen first step, all or nothing.

    Returns (case, created). `received` lists the materials ticked 已收 at the counter: those with a scan are
    uploaded, the others are recorded as received on paper (case_submit `paper`); both count for acceptance.
    """
    paper = sorted(set(received) - set(scans))
    with transaction.atomic():
        case = services.case_submit(actor=actor, item_code=version.item.implementation_code, applicant=applicant,
                                    channel=Channel.WINDOW, files=scans, paper=paper, window=window,
                                    idempotency_key=token)
        if not getattr(case, "was_created", True):
            return case, False  # the same token again (double click, reload): the first POST did it all
        # The applicant came to the window (跑动次数); the visit's record says which papers were handed in.
        names = [m.name for m in version.materials.all() if m.pk in received]
        services.case_record_visit(actor=actor, case=case, purpose=visit_purpose(names))
        if action == "accept":
            services.case_accept(actor=actor, case=case, waivers=waivers, comment=comment)
        elif action == "instant":
            services.case_complete_instantly(actor=actor, case=case)
        elif action == "correct":
            services.case_request_correction(actor=actor, case=case, items=notice, comment=comment)
        elif action == "refuse":
            services.case_refuse(actor=actor, case=case, reason=refuse_reason)
        case.refresh_from_db()
        return case, True


# ---------------------------------------------------------------------------------------------------------------
# Views


def _token() -> str:
    return uuid.uuid4().hex


def _checklist_rows(version, data=None, errors=None):
    """Each material with the posted (or default) state of its checklist controls."""
    data = data or {}
    errors = errors or {}
    rows = []
    default_due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    for spec in version.materials.all():
        pk = spec.pk
        received = bool(data.get(f"recv_{pk}"))
        waived = bool(data.get(f"waive_{pk}"))
        rows.append({
            "spec": spec, "received": received, "waived": waived,
            "waivable": spec.necessity == Necessity.WAIVABLE,
            "conditional": spec.necessity == Necessity.CONDITIONAL,
            # 免提交: the department fetches the e-certificate itself, so it is not asked for by default
            "fetched": spec.is_reusable,
            "due": data.get(f"due_{pk}", default_due),
            "notice": (bool(data.get(f"notice_{pk}")) if data
                       else spec.necessity != Necessity.CONDITIONAL and not spec.is_reusable),
            "reason": data.get(f"reason_{pk}", _("未提交")),
            "errors": errors.get(f"materials.{pk}", []) + errors.get(f"waivers.{pk}", []),
        })
    return rows


def _desk_context(request, window, **extra):
    return {"nav": "desk", "window": window, **extra}


@require_GET
@desk_required
def desk(request):
    """The desk; the state of the screen is in the query string (a signed applicant reference, the item), so
    every step also works without JS and a reload shows the same step."""
    user = request.user
    window = desk_window(user)
    context = _desk_context(request, window)
    ref = request.GET.get("a", "")
    applicant = applicant_from_ref(ref) if ref else None
    if ref and applicant is None:
        context["id_error"] = _("申请人信息已失效，请重新读取证件。")
    if applicant is not None:
        q = request.GET.get("q", "").strip()[:50]
        context.update(applicant=applicant, ref=ref, q=q, results=item_results(user, window, q))
        if request.GET.get("item"):
            version = version_in_scope(user, window, request.GET["item"])
            context.update(version=version, rows=_checklist_rows(version), token=_token(),
                           instant=version.handling_type == HandlingType.INSTANT)
    return render(request, "workbench/cases/desk.html", context)


@require_POST
@desk_required
def desk_lookup(request):
    """What the ID-card reader typed (then Enter): the applicant, or the form to register a new one."""
    window = desk_window(request.user)
    try:
        kind, identifier = parse_identifier(request.POST.get("identifier", ""))
    except ApplicationError as exc:
        return render(request, "workbench/cases/desk.html",
                      _desk_context(request, window, id_error=exc.message,
                                    typed=request.POST.get("identifier", "")[:32]), status=400)
    applicant = applicant_find(kind, identifier)
    if applicant is not None:
        return redirect(_desk_url(a=applicant_ref(applicant)))
    form = RegisterApplicantForm(initial={"kind": kind, "identifier": identifier})
    return render(request, "workbench/cases/desk.html",
                  _desk_context(request, window, kind=kind, register_form=form,
                                identifier_masked=mask_id(identifier)))


@require_GET
@desk_required
def desk_items(request):
    """Search as you type (htmx): the window's items matching the query."""
    window = desk_window(request.user)
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "workbench/cases/_desk_items.html",
                  {"results": item_results(request.user, window, q), "ref": request.GET.get("a", ""), "q": q})


def _desk_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("workbench:desk") + (f"?{query}" if query else "")


@require_POST
@desk_required
def desk_register(request):
    """Register a new applicant (the clerk checked the ID card at the counter)."""
    form = RegisterApplicantForm(request.POST)
    if not form.is_valid():
        return redirect(_desk_url())
    d = form.cleaned_data
    try:
        kind, identifier = parse_identifier(d["identifier"])
        applicant = services.applicant_get_or_create(
            kind=kind, name=d["name"], phone=d["phone"], legal_representative=d["legal_representative"],
            id_number=identifier if kind == ApplicantKind.PERSON else "",
            credit_code=identifier if kind == ApplicantKind.COMPANY else "")
    except ApplicationError as exc:
        window = desk_window(request.user)
        return render(request, "workbench/cases/desk.html", _desk_context(
            request, window, kind=d["kind"], register_form=form, register_error=exc.message,
            identifier_masked=mask_id(d["identifier"])), status=400)
    return redirect(_desk_url(a=applicant_ref(applicant)))


@require_POST
@desk_required
def desk_submit(request):
    """File the window case and take the clerk's chosen step in one transaction; show the result to print."""
    user = request.user
    window = desk_window(user)
    post = request.POST
    action = post.get("action", "")
    ref = post.get("a", "")
    if action not in DESK_ACTIONS:
        action = "accept"
    applicant = applicant_from_ref(ref)
    if applicant is None:
        return redirect(_desk_url())
    version = version_in_scope(user, window, post.get("version", ""))
    token = (post.get("token") or "")[:64]
    specs = list(version.materials.all())
    received = {s.pk for s in specs if post.get(f"recv_{s.pk}")}
    scans = {s.pk: request.FILES[f"scan_{s.pk}"] for s in specs
             if s.pk in received and f"scan_{s.pk}" in request.FILES}
    field_errors: dict[str, list[str]] = {}
    waivers = {}
    for s in specs:
        if s.necessity == Necessity.WAIVABLE and s.pk not in received and post.get(f"waive_{s.pk}"):
            try:
                waivers[s.pk] = dt.date.fromisoformat(post.get(f"due_{s.pk}", ""))
            except ValueError:
                field_errors[f"waivers.{s.pk}"] = [_("请填写补交期限。")]
    notice = [{"spec_id": s.pk, "reason": post.get(f"reason_{s.pk}", "")} for s in specs
              if s.pk not in received and post.get(f"notice_{s.pk}")]
    error = ""
    if field_errors:
        error = _("请填写容缺材料的补交期限。")
    else:
        try:
            case, _created = file_window_case(
                actor=user, version=version, applicant=applicant, window=window, token=token, scans=scans,
                received=received, waivers=waivers if action == "accept" else {}, action=action, notice=notice,
                comment=post.get("comment", ""), refuse_reason=post.get("refuse_reason", ""))
        except ApplicationError as exc:
            error, field_errors = exc.message, exc.fields
        else:
            return redirect("workbench:desk_done", number=case.number)
    context = {
        "nav": "desk", "window": window, "ref": ref, "applicant": applicant, "q": "", "results": [],
        "version": version, "rows": _checklist_rows(version, post, field_errors), "token": token,
        "instant": version.handling_type == HandlingType.INSTANT, "error": error, "action": action,
        "refuse_reason": post.get("refuse_reason", ""), "comment": post.get("comment", ""),
        "refuse_error": field_errors.get("reason"),
    }
    return render(request, "workbench/cases/desk.html", context, status=400)


@require_GET
@desk_required
def desk_done(request, number: str):
    """The outcome at the counter: what happened and the notice to print, then the next applicant."""
    case = case_get_for_user(user=request.user, number=number)
    return render(request, "workbench/cases/desk_done.html", {
        "nav": "desk", "case": case, "documents": list(documents_for_case(case)), "htmx": is_htmx(request),
    })
