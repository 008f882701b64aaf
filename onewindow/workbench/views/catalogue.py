"""事项管理: the item list, a new item, the draft editor, revisions, discarding, retiring and history."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import Fee, ItemVersion, MaterialSpec, Step
from onewindow.catalogue.quality import check_version
from onewindow.catalogue.selectors import items_with_latest_versions
from onewindow.core.errors import ApplicationError
from onewindow.core.models import AuditEvent

from ..access import (
    can_edit_item,
    can_review_item,
    catalogue_departments,
    catalogue_user_required,
    item_for_user,
    version_for_user,
)
from ..catalogue_diff import version_children, version_sections
from ..catalogue_forms import (
    CHILD_FORMS,
    SECTIONS,
    WIDE_FIELDS,
    NewItemForm,
    RetireForm,
    VersionForm,
    child_formset,
    formset_rows,
)
from ..quality_panel import attach_issues, quality_panel
from .common import apply_error, is_htmx

PAGE_SIZE = 25
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)
SORTS = {
    "code": ("implementation_code",),
    "name": ("name", "implementation_code"),
    "department": ("department__sort", "department__name", "implementation_code"),
    "published": ("published_version__valid_from", "implementation_code"),
}
STATUS_FILTERS = {
    "draft": gettext_lazy("有草稿"),
    "rejected": gettext_lazy("已退回"),
    "in_review": gettext_lazy("待审核"),
    "published": gettext_lazy("已发布"),
    "unpublished": gettext_lazy("未发布"),
}


def _open_version(item):
    """The draft or in-review version among the prefetched versions (newest first), if any."""
    return next((v for v in item.versions.all() if v.status in OPEN_STATUSES), None)


# ---------------------------------------------------------------------------------------------------------------
# List


@catalogue_user_required
def item_list(request):
    """Items of the departments in the user's scope, filtered, sorted and paginated on the server.

    A fixed number of queries: departments for the filter, count, one page of items, their versions.
    """
    scope = catalogue_departments(request.user)
    departments = list(scope.select_related(None).order_by("sort", "name"))
    qs = items_with_latest_versions(departments=scope)
    department_id = request.GET.get("department", "")
    if department_id.isdigit():
        qs = qs.filter(department_id=int(department_id))
    status = request.GET.get("status", "")
    versions = ItemVersion.objects.filter(item=OuterRef("pk"))
    if status == "draft":
        qs = qs.filter(Exists(versions.filter(status=VersionStatus.DRAFT)))
    elif status == "rejected":
        qs = qs.filter(Exists(versions.filter(status=VersionStatus.DRAFT).exclude(review_comment="")))
    elif status == "in_review":
        qs = qs.filter(Exists(versions.filter(status=VersionStatus.IN_REVIEW)))
    elif status == "published":
        qs = qs.filter(published_version__isnull=False)
    elif status == "unpublished":
        qs = qs.filter(published_version__isnull=True)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        open_named = versions.filter(status__in=OPEN_STATUSES, name__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Q(implementation_code__icontains=q) | Q(basic_code__icontains=q)
                       | Exists(open_named))
    sort = request.GET.get("sort", "code")
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = "code", "code"
    order = SORTS[key]
    qs = qs.order_by(*(f"-{f}" if sort.startswith("-") else f for f in order), "pk")
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"item": item, "open": _open_version(item), "can_review": can_review_item(request.user, item)}
            for item in page.object_list]
    context = {
        "nav": "items",
        "departments": departments,
        "department_id": department_id,
        "status": status,
        "status_filters": STATUS_FILTERS,
        "q": q,
        "sort": sort,
        "page": page,
        "rows": rows,
        "can_create": bool(departments),  # every catalogue role may edit the items of its departments
    }
    template = "workbench/catalogue/_item_table.html" if is_htmx(request) else "workbench/catalogue/item_list.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------------------------
# New item


@catalogue_user_required
@require_http_methods(["GET", "POST"])
def item_new(request):
    scope = catalogue_departments(request.user).order_by("sort", "name")
    form = NewItemForm(request.POST or None, departments=scope)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.item_create(
                actor=request.user, department=form.cleaned_data["department"],
                implementation_code=form.cleaned_data["implementation_code"],
                basic_code=form.cleaned_data["basic_code"], data=form.service_data(),
            )
        except ApplicationError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("事项已创建，请继续填写草稿的各项要素。"))
            return redirect("workbench:version", pk=version.pk)
    return render(request, "workbench/catalogue/item_new.html", {"nav": "items", "form": form})


# ---------------------------------------------------------------------------------------------------------------
# Item: current version, history, new revision


@catalogue_user_required
def item_detail(request, pk: int):
    """An item opens on the version people work on: the open draft, else the published one, else the latest."""
    item = item_for_user(request.user, pk)
    versions = list(item.versions.order_by("-number"))
    target = (next((v for v in versions if v.status in OPEN_STATUSES), None)
              or next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
              or (versions[0] if versions else None))
    if target is None:
        return redirect("workbench:items")
    return redirect("workbench:version", pk=target.pk)


HISTORY_ACTIONS = {
    "catalogue.version_start_draft": gettext_lazy("新建草稿"),
    "catalogue.version_submit": gettext_lazy("提交审核"),
    "catalogue.version_reject": gettext_lazy("退回修改"),
    "catalogue.version_publish": gettext_lazy("审核通过并发布"),
    "catalogue.version_publish_unreviewed": gettext_lazy("导入发布"),
    "catalogue.version_retire": gettext_lazy("废止"),
}


@catalogue_user_required
def item_history(request, pk: int):
    """Every version with who created, submitted and reviewed it, and the review trail from the audit log."""
    item = item_for_user(request.user, pk)
    versions = list(item.versions.select_related("created_by", "submitted_by", "reviewed_by")
                    .order_by("-number"))
    events = AuditEvent.objects.filter(
        object_type="catalogue.itemversion", object_id__in=[str(v.pk) for v in versions],
        action__in=list(HISTORY_ACTIONS),
    ).order_by("created_at", "id")
    trail: dict[str, list] = {}
    for event in events:
        event.label = HISTORY_ACTIONS[event.action]
        trail.setdefault(event.object_id, []).append(event)
    for version in versions:
        version.trail = trail.get(str(version.pk), [])
    return render(request, "workbench/catalogue/item_history.html", {
        "nav": "items", "item": item, "versions": versions,
        "can_edit": can_edit_item(request.user, item),
    })


@catalogue_user_required
@require_POST
def item_revise(request, pk: int):
    """新建修订版本: a new draft copied from the latest version."""
    item = item_for_user(request.user, pk)
    try:
        version = services.version_start_draft(actor=request.user, item=item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:item", pk=item.pk)
    messages.success(request, _("已新建第 %(n)s 版草稿，修改后提交审核；审核发布前，现行版本继续有效。") % {"n": version.number})
    return redirect("workbench:version", pk=version.pk)


@catalogue_user_required
@require_POST
def version_withdraw(request, pk: int):
    """撤回修改: take an in-review version back to draft."""
    version = version_for_user(request.user, pk)
    try:
        services.version_withdraw(actor=request.user, version=version)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("第 %(n)s 版已撤回为草稿，可以继续修改。") % {"n": version.number})
    return redirect("workbench:version", pk=version.pk)


# ---------------------------------------------------------------------------------------------------------------
# Version: editor (drafts) or read-only view


def _formsets(version, data=None, files=None):
    return [child_formset(relation, version, data, files) for relation in CHILD_FORMS]


def _stamp(version) -> str:
    return version.updated_at.isoformat()


def _version_context(request, version, **extra) -> dict:
    item = version.item
    open_version = None
    if version.status not in OPEN_STATUSES:
        open_version = item.versions.filter(status__in=OPEN_STATUSES).first()
    return {
        "nav": "items",
        "version": version,
        "item": item,
        "can_edit": can_edit_item(request.user, item),
        "can_review": can_review_item(request.user, item),
        "open_version": open_version,
        **extra,
    }


def _render_editor(request, version, form, formsets, panel, *, status=200, alert=None):
    if not alert:
        form.fields["name"].widget.attrs["autofocus"] = True  # else the alert takes the focus
    sections = [(key, label, names) for key, label, names in SECTIONS]
    context = _version_context(
        request, version, form=form, formsets=formsets, sections=sections, wide_fields=WIDE_FIELDS, panel=panel,
        alert=alert, stamp=_stamp(version), editing=True,
    )
    return render(request, "workbench/catalogue/version_edit.html", context, status=status)


def _fresh_editor(request, version, *, alert=None, status=200):
    """The editor built from the saved draft: the quality issues line up with the rows."""
    form = VersionForm.for_version(version)
    formsets = _formsets(version)
    panel = quality_panel(check_version(version))
    attach_issues(panel, form, formsets)
    return _render_editor(request, version, form, formsets, panel, alert=alert, status=status)


@catalogue_user_required
@require_http_methods(["GET", "POST"])
def version_detail(request, pk: int):
    version = version_for_user(request.user, pk)
    editable = version.status == VersionStatus.DRAFT and can_edit_item(request.user, version.item)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("该版本不能修改：只有草稿可以编辑，且须有该部门的编辑权限。"))
            return redirect("workbench:version", pk=version.pk)
        return _save(request, version)
    if editable:
        return _fresh_editor(request, version)
    panel = quality_panel(check_version(version))
    return render(request, "workbench/catalogue/version_view.html",
                  _version_context(request, version, panel=panel, **readonly_context(version, panel)))


def readonly_context(version, panel) -> dict:
    return {
        "sections": version_sections(version, SECTIONS, WIDE_FIELDS),
        "children": version_children(version),
        "panel_fields": set(panel.by_field),
    }


def _save(request, version):
    form = VersionForm.for_version(version, data=request.POST)
    formsets = _formsets(version, request.POST, request.FILES)
    action = request.POST.get("action", "save")
    saved_panel = quality_panel(check_version(version))
    if request.POST.get("stamp") != _stamp(version):
        alert = {"level": "warning", "stale": True, "message": _(
            "该草稿在您打开之后已被他人修改（%(when)s）。为避免覆盖他人的修改，本次未保存；"
            "请核对后再次点击“保存草稿”以覆盖，或刷新页面放弃本次修改。")
            % {"when": f"{version.updated_at:%Y-%m-%d %H:%M}"}}
        # The form now carries the current stamp: a second save overwrites deliberately.
        return _render_editor(request, version, form, formsets, saved_panel, status=409, alert=alert)
    valid = form.is_valid() & all(fs.is_valid() for fs in formsets)
    if not valid:
        count = len(form.errors) + sum(len(f.errors) for fs in formsets for f in fs.forms if f.errors) + sum(
            1 for fs in formsets if fs.non_form_errors())
        alert = {"level": "error", "message": _("有 %(n)s 处填写有误，草稿未保存，请按红色提示修改。") % {"n": count}}
        return _render_editor(request, version, form, formsets, saved_panel, status=400, alert=alert)
    data = form.service_data()
    for fs in formsets:
        data[fs.relation] = formset_rows(fs)
    try:
        services.version_update(actor=request.user, version=version, data=data,
                                expected_updated_at=version.updated_at)
    except ApplicationError as exc:
        apply_error(request, form, exc, show_message=False)
        alert = {"level": "error", "message": exc.message}
        return _render_editor(request, version, form, formsets, saved_panel, status=exc.status_code, alert=alert)
    version = version_for_user(request.user, version.pk)
    if action != "submit":
        messages.success(request, _("草稿已保存。"))
        return redirect("workbench:version", pk=version.pk)
    try:
        services.version_submit(actor=request.user, version=version)
    except ApplicationError as exc:
        alert = {"level": "error", "message": _("草稿已保存，但未能提交审核：%(msg)s") % {"msg": exc.message},
                 "list_all": True}
        return _fresh_editor(request, version, alert=alert, status=exc.status_code)
    messages.success(request, _("已提交审核。部门负责人审核通过后即发布。"))
    return redirect("workbench:version", pk=version.pk)


@catalogue_user_required
@require_POST
def version_check(request, pk: int):
    """Live quality panel (htmx): the rules applied to the editor's unsaved content. Nothing is written."""
    version = version_for_user(request.user, pk)
    if version.status != VersionStatus.DRAFT or not can_edit_item(request.user, version.item):
        return HttpResponseNotAllowed(["GET"])
    form = VersionForm.for_version(version, data=request.POST)
    formsets = _formsets(version, request.POST)
    form_errors = []
    if form.is_valid() and all(fs.is_valid() for fs in formsets):
        probe = copy.copy(version)
        for name, value in form.service_data().items():
            if name != "themes":
                setattr(probe, name, value)
        rows = {fs.relation: formset_rows(fs) for fs in formsets}
        strip = {"blank_form", "sample"}
        children = {
            "materials": [MaterialSpec(**{k: v for k, v in r.items() if k not in strip}) for r in rows["materials"]],
            "steps": [Step(**r) for r in rows["steps"]],
            "fees": [Fee(**r) for r in rows["fees"]],
        }
        violations = check_version(probe, **children)
        live = True
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            form_errors.append(_("%(label)s：%(error)s") % {"label": label, "error": errors[0]} if label else errors[0])
        for fs in formsets:
            for i, row in enumerate(fs.forms, start=1):
                for name, errors in row.errors.items():
                    label = row.fields[name].label if name in row.fields else ""
                    form_errors.append(_("%(table)s 第%(row)s行 · %(label)s：%(error)s") % {
                        "table": fs.title, "row": i, "label": label, "error": errors[0]})
        violations = check_version(version)
        live = False
    return render(request, "workbench/catalogue/_quality_panel.html", {
        "panel": quality_panel(violations), "live": live, "form_errors": form_errors, "version": version,
        "editing": True,
    })


@catalogue_user_required
@require_http_methods(["GET", "POST"])
def version_discard(request, pk: int):
    version = version_for_user(request.user, pk)
    item = version.item
    if request.method == "POST":
        try:
            services.version_discard(actor=request.user, version=version)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("workbench:version", pk=version.pk)
        messages.success(request, _("草稿已删除。"))
        if item.versions.exists():
            return redirect("workbench:item", pk=item.pk)
        return redirect("workbench:items")
    return render(request, "workbench/catalogue/version_discard.html", _version_context(request, version))


@catalogue_user_required
@require_http_methods(["GET", "POST"])
def version_retire(request, pk: int):
    """废止: withdraw a published version from the public catalogue, with a reason (confirm step)."""
    version = version_for_user(request.user, pk)
    form = RetireForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.version_retire(actor=request.user, version=version, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            apply_error(request, form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("第 %(n)s 版已废止，事项已从办事指南中下线。") % {"n": version.number})
            return redirect("workbench:version", pk=version.pk)
    return render(request, "workbench/catalogue/version_retire.html",
                  _version_context(request, version, form=form), status=status)
