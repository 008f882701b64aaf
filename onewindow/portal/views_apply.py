"""在线办理: from a guide to a submitted case, through a draft that is saved on the server at every step.

Every page works as a plain multipart form; portal.js adds per-slot upload progress, previews, autosave
and a submit button that cannot be pressed twice. Nothing typed or uploaded is lost: a failed check
(wrong file, invalid field, expired session) keeps everything else, and submitting a draft twice (double
click, back button, a second tab) gives the same case.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.applications import services as drafts
from onewindow.applications.constants import DraftStatus
from onewindow.applications.selectors import draft_get_for_user
from onewindow.catalogue.constants import Necessity
from onewindow.core.errors import ApplicationError, NotFound

from .forms_apply import ApplicantForm, applicant_identities
from .hall import expected_completion, hall_login_required
from .schema_forms import SchemaForm

SLOT = "material-%d"  # file input name of a material slot


def _draft(request, pk: int):
    return draft_get_for_user(user=request.user, draft_id=pk)


def _submitted_redirect(request, draft):
    messages.info(request, _("该申请已经提交（办件编号 %(number)s），不会重复提交。") % {"number": draft.case.number})
    return redirect("portal:apply_done", pk=draft.pk)


def _applicant_initial(request, draft) -> dict:
    saved = dict(draft.applicant_data or {})
    if not saved.get("phone"):
        saved["phone"] = getattr(request.user, "mobile", "") or ""
    if not saved.get("email"):
        saved["email"] = request.user.email or ""
    return saved


def _forms(request, draft, data=None):
    identities = applicant_identities(request.user)
    if data is None:
        aform = ApplicantForm(initial=_applicant_initial(request, draft), identities=identities)
        sform = SchemaForm(schema=draft.version.form_schema, initial=SchemaForm.initial_from_data(draft.form_data))
    else:
        aform = ApplicantForm(data, identities=identities)
        sform = SchemaForm(data, schema=draft.version.form_schema)
    return aform.identity, aform, sform


def _bound_from_draft(request, draft):
    """The draft's saved data as bound forms, to validate it (review and submit)."""
    aform = ApplicantForm(_applicant_initial(request, draft), identities=applicant_identities(request.user))
    identity = aform.identity
    sform = SchemaForm({k: ("on" if v is True else v) for k, v in SchemaForm.initial_from_data(draft.form_data).items()
                        if v is not False}, schema=draft.version.form_schema)
    return identity, aform, sform


def _slots(draft, errors: dict | None = None, missing: set | None = None) -> list[dict]:
    files = {f.spec_id: f for f in draft.files.all()}
    rows = []
    for m in draft.version.materials.all():
        error = (errors or {}).get(m.pk)
        if not error and missing and m.pk in missing:
            error = _("请上传此材料。")
        rows.append({"spec": m, "file": files.get(m.pk), "error": error, "input": SLOT % m.pk,
                     "optional": m.necessity != Necessity.REQUIRED or m.is_reusable})
    return rows


def _render_edit(request, draft, aform, sform, *, upload_errors=None, missing=None, status=200):
    context = {
        "nav": "my", "draft": draft, "v": draft.version, "item": draft.item, "aform": aform, "sform": sform,
        "identity": aform.identity, "slots": _slots(draft, upload_errors, missing),
        "expected": expected_completion(draft.version),
    }
    return render(request, "portal/apply/edit.html", context, status=status)


@hall_login_required
@require_GET
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """"在线办理" on a guide: open (or resume) the account's draft of the item."""
    draft = drafts.draft_open(user=request.user, item_code=code)
    return redirect("portal:apply_edit", pk=draft.pk)


@hall_login_required
@require_http_methods(["GET", "POST"])
def apply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if draft.status == DraftStatus.SUBMITTED:
        return _submitted_redirect(request, draft)
    if request.method == "GET":
        _identity, aform, sform = _forms(request, draft)
        return _render_edit(request, draft, aform, sform)

    _identity, aform, sform = _forms(request, draft, request.POST)
    drafts.draft_save(user=request.user, draft=draft, applicant_data=aform.raw_data(), form_data=sform.raw_data())
    upload_errors = {}
    for spec in draft.version.materials.all():
        upload = request.FILES.get(SLOT % spec.pk)
        if upload is None:
            continue
        try:
            drafts.draft_attach_file(user=request.user, draft=draft, spec_id=spec.pk, upload=upload)
        except ApplicationError as exc:
            upload_errors[spec.pk] = exc.message
    remove = request.POST.get("remove", "")
    if remove.isdigit():
        drafts.draft_remove_file(user=request.user, draft=draft, spec_id=int(remove))
    draft = _draft(request, pk)  # fresh files

    if request.POST.get("action") == "review":
        missing = {m.pk for m in drafts.missing_required_materials(draft)}
        valid = aform.is_valid() & sform.is_valid()
        if valid and not upload_errors and not missing:
            return redirect("portal:apply_review", pk=draft.pk)
        messages.error(request, _("还有未完成的项目，请按标出的提示修改。已填写的内容已保存。"))
        return _render_edit(request, draft, aform, sform, upload_errors=upload_errors, missing=missing, status=400)
    if upload_errors:
        messages.error(request, _("有文件未能上传，请按提示重新选择。其他内容已保存。"))
        return _render_edit(request, draft, aform, sform, upload_errors=upload_errors, status=400)
    messages.success(request, _("草稿已保存。您可以随时回来继续填写。"))
    return redirect(reverse("portal:apply_edit", args=[draft.pk]) + (f"#{SLOT % int(remove)}" if remove.isdigit() else ""))


@hall_login_required
@require_POST
def apply_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Background save of the typed fields (portal.js, on every change)."""
    try:
        draft = _draft(request, pk)
        if draft.status == DraftStatus.SUBMITTED:
            return JsonResponse({"code": "draft_submitted", "message": _("该申请已经提交。")}, status=409)
        _identity, aform, sform = _forms(request, draft, request.POST)
        draft = drafts.draft_save(user=request.user, draft=draft, applicant_data=aform.raw_data(),
                                  form_data=sform.raw_data())
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    saved = timezone.localtime(draft.updated_at)
    return JsonResponse({"saved_at": saved.strftime("%H:%M"),
                         "message": _("已自动保存 %(time)s") % {"time": saved.strftime("%H:%M")}})


@hall_login_required
@require_http_methods(["GET", "POST"])
def apply_material(request: HttpRequest, pk: int, spec_id: int) -> HttpResponse:
    """GET: the uploaded file of a slot (inline, for the preview). POST: upload one slot (XMLHttpRequest)."""
    draft = _draft(request, pk)
    if request.method == "GET":
        stored = next((f for f in draft.files.all() if f.spec_id == spec_id), None)
        if stored is None:
            raise NotFound(_("该材料尚未上传。"))
        response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    upload = request.FILES.get("file") or request.FILES.get(SLOT % spec_id)
    if upload is None:
        return JsonResponse({"code": "required", "message": _("请选择要上传的文件。")}, status=400)
    try:
        stored = drafts.draft_attach_file(user=request.user, draft=draft, spec_id=spec_id, upload=upload)
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    return JsonResponse({
        "name": stored.original_name, "size": filesizeformat(stored.size), "content_type": stored.content_type,
        "is_image": stored.is_image, "url": reverse("portal:apply_material", args=[draft.pk, spec_id]),
        "message": _("“%(name)s”已上传。") % {"name": stored.original_name},
    })


@hall_login_required
@require_http_methods(["GET", "POST"])
def apply_review(request: HttpRequest, pk: int) -> HttpResponse:
    """核对: everything on one page; 提交申请 files the case (once)."""
    draft = _draft(request, pk)
    if draft.status == DraftStatus.SUBMITTED:
        return _submitted_redirect(request, draft)
    _identity, aform, sform = _bound_from_draft(request, draft)
    missing = drafts.missing_required_materials(draft)
    if not (aform.is_valid() & sform.is_valid()) or missing:
        messages.error(request, _("申请表还有未完成的项目，请先补充完整。"))
        return redirect("portal:apply_edit", pk=draft.pk)
    if request.method == "POST":
        try:
            case = drafts.draft_submit(user=request.user, draft=draft, applicant=aform.applicant_data(),
                                       form_data=sform.to_data())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            for key, errors in exc.fields.items():
                if key.startswith("applicant."):
                    messages.error(request, "；".join(errors))
            return redirect("portal:apply_edit", pk=draft.pk)
        if not getattr(case, "was_created", True):
            messages.info(request, _("该申请已经提交（办件编号 %(number)s），不会重复提交。") % {"number": case.number})
        return redirect("portal:apply_done", pk=draft.pk)
    context = {
        "nav": "my", "draft": draft, "v": draft.version, "item": draft.item, "aform": aform,
        "applicant": aform.applicant_data(), "answers": _answers(sform), "slots": _slots(draft),
        "expected": expected_completion(draft.version),
    }
    return render(request, "portal/apply/review.html", context)


def _answers(sform: SchemaForm) -> list[tuple[str, str]]:
    rows = []
    for key, field in sform.fields.items():
        value = sform.cleaned_data.get(key)
        if isinstance(value, bool):
            shown = _("是") if value else _("否")
        elif hasattr(field, "choices") and value not in (None, ""):
            shown = dict(field.choices).get(str(value), value)
        else:
            shown = value if value not in (None, "") else "—"
        rows.append((field.label, shown))
    return rows


@hall_login_required
@require_GET
def apply_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: case number, expected completion, and the one-time notice of what comes next."""
    draft = _draft(request, pk)
    if draft.status != DraftStatus.SUBMITTED or draft.case is None:
        return redirect("portal:apply_edit", pk=draft.pk)
    case = draft.case
    context = {
        "nav": "my", "draft": draft, "case": case, "v": draft.version, "item": draft.item,
        "expected": expected_completion(draft.version, start=draft.submitted_at),
        "is_instant": draft.version.handling_type == "instant",
    }
    return render(request, "portal/apply/done.html", context)
