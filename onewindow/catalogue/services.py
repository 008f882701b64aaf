"""Writes to the catalogue. Every state change is atomic, locked per item and audited."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied
from onewindow.core.models import AuditEvent

from .constants import VersionStatus
from .models import Faq, Fee, ItemVersion, MaterialSpec, SearchTerm, ServiceItem, Step, Theme
from .permissions import require_edit, require_review
from .quality import check_version, errors_only
from .search import terms_for

__all__ = [
    "VERSION_FIELDS",
    "CHILD_FIELDS",
    "item_create",
    "version_start_draft",
    "version_update",
    "version_submit",
    "version_approve",
    "version_reject",
    "version_withdraw",
    "version_editors",
    "version_retire",
    "version_discard",
    "version_publish_unreviewed",
    "search_index_build",
]

# Scalar elements of a version that editors may set (everything but workflow fields).
VERSION_FIELDS = [
    "name", "item_type", "legal_basis", "exercise_level", "for_person", "for_company", "acceptance_conditions",
    "keywords", "legal_days", "legal_days_unit", "promised_days", "promised_days_unit", "time_limit_note",
    "handling_type", "special_procedures", "special_procedure_note", "handling_form", "place", "office_hours",
    "visits_required", "online_depth", "supports_appointment", "supports_mail_delivery",
    "supports_online_payment", "supports_self_service", "cross_region_scope", "has_fee", "result_type",
    "result_name", "consult_phone", "complaint_phone", "form_schema", "change_summary", "valid_from", "valid_to",
]
CHILD_FIELDS: dict[str, tuple[type, list[str]]] = {
    "materials": (MaterialSpec, ["name", "necessity", "condition", "form", "count", "source", "issuing_body",
                                 "certificate_type", "acceptance_standard", "blank_form", "sample"]),
    "steps": (Step, ["kind", "name", "days", "handler", "standard"]),
    "fees": (Fee, ["name", "standard", "basis", "reducible", "note"]),
    "faqs": (Faq, ["question", "answer"]),
}


def _validate_code(value: str, pattern: str, field: str, label: str) -> None:
    if not re.fullmatch(pattern, value or ""):
        raise ApplicationError(f"{label}“{value}”格式不正确。", code="invalid_code", fields={field: f"{label}格式不正确。"})


def _lock_item(item_id: int) -> ServiceItem:
    return ServiceItem.objects.select_for_update().select_related("department__region").get(pk=item_id)


def _lock_version(version: ItemVersion) -> tuple[ServiceItem, ItemVersion]:
    item = _lock_item(version.item_id)
    fresh = ItemVersion.objects.select_related("item_type").get(pk=version.pk)
    return item, fresh


def _apply(version: ItemVersion, data: dict[str, Any]) -> None:
    """Set scalar fields, themes and children from `data`; keys that are absent stay as they are."""
    for name in VERSION_FIELDS:
        if name in data:
            setattr(version, name, data[name])
    if version.special_procedures is None:
        version.special_procedures = []
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        raise ApplicationError("承诺办结时限不能超过法定办结时限。", code="promised_exceeds_legal",
                               fields={"promised_days": "承诺办结时限不能超过法定办结时限。"}) from exc
    if "themes" in data:
        themes = data["themes"]
        if themes and isinstance(themes[0], str):
            themes = list(Theme.objects.filter(code__in=themes))
        version.themes.set(themes)
    for relation, (model, fields) in CHILD_FIELDS.items():
        if relation not in data:
            continue
        model.objects.filter(version=version).delete()
        rows = []
        for sort, row in enumerate(data[relation] or [], start=1):
            rows.append(model(version=version, sort=sort, **{f: row[f] for f in fields if f in row}))
        model.objects.bulk_create(rows)


def _snapshot(version: ItemVersion) -> dict[str, Any]:
    return {"status": version.status, "number": version.number}


@transaction.atomic
def item_create(*, actor, department, implementation_code: str, basic_code: str, data: dict[str, Any]) -> ItemVersion:
    """A new item with its first draft version."""
    _validate_code(implementation_code, settings.CATALOGUE_IMPLEMENTATION_CODE_PATTERN, "implementation_code", "实施编码")
    _validate_code(basic_code, settings.CATALOGUE_BASIC_CODE_PATTERN, "basic_code", "基本编码")
    probe = ServiceItem(department=department)
    if actor is not None:
        require_edit(actor, probe)
    if ServiceItem.objects.filter(implementation_code=implementation_code).exists():
        raise ApplicationError(f"实施编码“{implementation_code}”已存在。", code="duplicate_code",
                               fields={"implementation_code": "该实施编码已存在。"})
    item = ServiceItem.objects.create(implementation_code=implementation_code, basic_code=basic_code,
                                      department=department, name=data.get("name", ""))
    version = ItemVersion(item=item, number=1, created_by=actor if _is_user(actor) else None)
    _apply(version, data)
    audit_log(actor=actor, action="catalogue.item_create", obj=item,
              new={"implementation_code": implementation_code, "department": department.pk, "version": 1})
    return version


def _is_user(actor) -> bool:
    return getattr(actor, "is_authenticated", False)


@transaction.atomic
def version_start_draft(*, actor, item: ServiceItem) -> ItemVersion:
    """A new draft copied from the latest version; an item has at most one open draft."""
    item = _lock_item(item.pk)
    if actor is not None:
        require_edit(actor, item)
    if item.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]).exists():
        raise Conflict("该事项已有未发布的草稿或待审核版本，请先处理该版本。", code="draft_exists")
    source = item.versions.order_by("-number").prefetch_related("materials", "steps", "fees", "faqs", "themes").first()
    version = ItemVersion(item=item, number=(source.number + 1) if source else 1,
                          created_by=actor if _is_user(actor) else None)
    data: dict[str, Any] = {}
    if source is not None:
        data = {f: getattr(source, f) for f in VERSION_FIELDS}
        data["change_summary"] = ""
        data["valid_from"] = None
        data["valid_to"] = None
        data["themes"] = list(source.themes.all())
        for relation, (_model, fields) in CHILD_FIELDS.items():
            data[relation] = [{f: getattr(child, f) for f in fields} for child in getattr(source, relation).all()]
    _apply(version, data)
    audit_log(actor=actor, action="catalogue.version_start_draft", obj=version,
              new={"number": version.number, "from": source.number if source else None})
    return version


@transaction.atomic
def version_update(*, actor, version: ItemVersion, data: dict[str, Any],
                   expected_updated_at=None) -> ItemVersion:
    """Change a draft. With `expected_updated_at` (when the editor opened it) a save that would overwrite
    someone else's newer save is refused with a Conflict (code "stale")."""
    item, version = _lock_version(version)
    if actor is not None:
        require_edit(actor, item)
    if version.status != VersionStatus.DRAFT:
        raise Conflict(f"“{version.get_status_display()}”状态的版本不能修改；已发布版本请新建草稿后修改。",
                       code="version_not_editable")
    if expected_updated_at is not None and version.updated_at != expected_updated_at:
        raise Conflict(f"该草稿在您打开之后已被他人修改（{timezone.localtime(version.updated_at):%Y-%m-%d %H:%M}），"
                       "为避免覆盖他人的修改，本次未保存。", code="stale")
    old = {f: getattr(version, f) for f in ("name", "promised_days", "legal_days", "handling_type")}
    _apply(version, data)
    if not item.published_version_id and version.name != item.name:
        item.name = version.name
        item.save(update_fields=["name"])
    audit_log(actor=actor, action="catalogue.version_update", obj=version, old=old,
              new={f: getattr(version, f) for f in old} | {"changed": sorted(k for k in data if k != "item_type")})
    return version


def _raise_if_violations(version: ItemVersion) -> None:
    errors = errors_only(check_version(version))
    if errors:
        raise ApplicationError(
            f"事项信息有 {len(errors)} 处不符合规范，请修改后再提交。",
            code="quality_violations",
            fields={v.field: [x.message for x in errors if x.field == v.field] for v in errors},
        )


@transaction.atomic
def version_submit(*, actor, version: ItemVersion) -> ItemVersion:
    item, version = _lock_version(version)
    require_edit(actor, item)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("只有草稿可以提交审核。", code="not_draft")
    _raise_if_violations(version)
    old = _snapshot(version)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_by = actor
    version.submitted_at = timezone.now()
    version.review_comment = ""
    version.save(update_fields=["status", "submitted_by", "submitted_at", "review_comment", "updated_at"])
    audit_log(actor=actor, action="catalogue.version_submit", obj=version, old=old, new=_snapshot(version))
    return version


def _publish(item: ServiceItem, version: ItemVersion) -> None:
    today = timezone.localdate()
    previous = item.published_version
    if previous is not None and previous.pk != version.pk:
        previous.status = VersionStatus.RETIRED
        previous.valid_to = today
        previous.save(update_fields=["status", "valid_to", "updated_at"])
        SearchTerm.objects.filter(version=previous).delete()
    version.status = VersionStatus.PUBLISHED
    version.valid_from = version.valid_from or today
    version.save()
    item.published_version = version
    item.name = version.name
    item.save(update_fields=["published_version", "name"])
    search_index_build(version=version)


@transaction.atomic
def version_approve(*, actor, version: ItemVersion, comment: str = "") -> ItemVersion:
    """Review passed: publish. Four-eyes: the reviewer is not the person who submitted or edited it."""
    item, version = _lock_version(version)
    require_review(actor, item)
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict("只有待审核的版本可以审核发布。", code="not_in_review")
    if actor.pk in version_editors(version=version):
        raise PermissionDenied("审核发布须由编辑、提交人以外的人员进行（双人复核）。", code="four_eyes")
    _raise_if_violations(version)
    old = _snapshot(version)
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_comment = comment
    _publish(item, version)
    audit_log(actor=actor, action="catalogue.version_publish", obj=version, old=old, new=_snapshot(version),
              reason=comment)
    return version


EDIT_ACTIONS = ("catalogue.version_update", "catalogue.version_start_draft")


def version_editors(*, version: ItemVersion) -> set[int]:
    """Everyone who created, edited or submitted this version (from the version and its audit trail):
    none of them may approve it."""
    edited = AuditEvent.objects.filter(object_type="catalogue.itemversion", object_id=str(version.pk),
                                       action__in=EDIT_ACTIONS, actor__isnull=False).values_list("actor_id", flat=True)
    return ({version.created_by_id, version.submitted_by_id} | set(edited)) - {None}


@transaction.atomic
def version_withdraw(*, actor, version: ItemVersion) -> ItemVersion:
    """Take a version back from review to draft (the editor spotted a mistake before the reviewer did)."""
    item, version = _lock_version(version)
    require_edit(actor, item)
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict("只有待审核的版本可以撤回修改。", code="not_in_review")
    old = _snapshot(version)
    version.status = VersionStatus.DRAFT
    version.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="catalogue.version_withdraw", obj=version, old=old, new=_snapshot(version))
    return version


@transaction.atomic
def version_reject(*, actor, version: ItemVersion, comment: str) -> ItemVersion:
    item, version = _lock_version(version)
    require_review(actor, item)
    if version.status != VersionStatus.IN_REVIEW:
        raise Conflict("只有待审核的版本可以退回。", code="not_in_review")
    if not (comment or "").strip():
        raise ApplicationError("退回修改须填写审核意见。", code="comment_required", fields={"comment": "请填写审核意见。"})
    old = _snapshot(version)
    version.status = VersionStatus.DRAFT
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.review_comment = comment.strip()
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    audit_log(actor=actor, action="catalogue.version_reject", obj=version, old=old, new=_snapshot(version),
              reason=comment)
    return version


@transaction.atomic
def version_retire(*, actor, version: ItemVersion, reason: str) -> ItemVersion:
    """Withdraw a published version from the public catalogue (the item is no longer offered)."""
    item, version = _lock_version(version)
    require_review(actor, item)
    if version.status != VersionStatus.PUBLISHED:
        raise Conflict("只有已发布的版本可以废止。", code="not_published")
    if not (reason or "").strip():
        raise ApplicationError("废止事项须填写原因。", code="reason_required", fields={"reason": "请填写废止原因。"})
    old = _snapshot(version)
    version.status = VersionStatus.RETIRED
    version.valid_to = timezone.localdate()
    version.save(update_fields=["status", "valid_to", "updated_at"])
    SearchTerm.objects.filter(version=version).delete()
    item.published_version = None
    item.save(update_fields=["published_version"])
    audit_log(actor=actor, action="catalogue.version_retire", obj=version, old=old, new=_snapshot(version),
              reason=reason)
    return version


@transaction.atomic
def version_discard(*, actor, version: ItemVersion) -> None:
    """Throw away a draft. An item that never had another version goes with it."""
    item, version = _lock_version(version)
    require_edit(actor, item)
    if version.status != VersionStatus.DRAFT:
        raise Conflict("只有草稿可以删除。", code="not_draft")
    audit_log(actor=actor, action="catalogue.version_discard", obj=version, old=_snapshot(version))
    version.delete()
    if not item.versions.exists():
        audit_log(actor=actor, action="catalogue.item_delete", obj=item)
        item.delete()


@transaction.atomic
def version_publish_unreviewed(*, actor, version: ItemVersion, reason: str) -> ItemVersion:
    """Publish without four-eyes review: only for a system administrator's bulk load (import --publish)."""
    item, version = _lock_version(version)
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有系统管理员可以批量导入并直接发布事项。")
    if version.status not in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW):
        raise Conflict("只有草稿或待审核版本可以发布。", code="not_draft")
    _raise_if_violations(version)
    old = _snapshot(version)
    _publish(item, version)
    audit_log(actor=actor, action="catalogue.version_publish_unreviewed", obj=version, old=old,
              new=_snapshot(version), reason=reason)
    return version


def search_index_build(*, version: ItemVersion) -> int:
    """(Re)build the search terms of a published version. Returns the number of terms."""
    SearchTerm.objects.filter(version=version).delete()
    weights = terms_for(
        name=version.name,
        keywords=version.keywords,
        themes=[t.name for t in version.themes.all()],
        department=version.item.department.name,
        materials=list(version.materials.values_list("name", flat=True)),
    )
    SearchTerm.objects.bulk_create([SearchTerm(version=version, term=t, weight=w) for t, w in weights.items()])
    return len(weights)
