"""Applicants and submission: the applicant record, the filing with its materials, a late attachment."""

from __future__ import annotations

from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, MaterialSpec, ServiceItem
from onewindow.core.errors import ApplicationError, PermissionDenied
from onewindow.core.identifiers import normalize_ric, normalize_uscc
from onewindow.org.models import Window

from .. import permissions as perm
from ..constants import Action, ApplicantKind, CaseStatus, Channel
from ..files import check_upload
from ..models import Applicant, Case, CaseMaterial
from .common import _event, _expect, _lock, _next_number, _required


def applicant_get_or_create(*, kind: str, name: str, id_number: str = "", credit_code: str = "",
                            legal_representative: str = "", phone: str = "", address: str = "",
                            email: str = "", user=None, may_update: bool = False) -> Applicant:
    """The applicant with this 居民身份证 / 统一社会信用代码, created if new.

    An existing applicant's name and contact data change only with `may_update` (the caller is the linked
    account or staff who checked the identity): typing someone's ID number must not alter their record.
    """
    name = _required(name, "applicant.name", "请填写申请人姓名或名称。")
    try:
        if kind == ApplicantKind.PERSON:
            key = {"kind": kind, "id_number": normalize_ric(id_number)}
        elif kind == ApplicantKind.COMPANY:
            key = {"kind": kind, "credit_code": normalize_uscc(credit_code)}
        else:
            raise ApplicationError("申请人类型只能是自然人或法人。", fields={"applicant.kind": "无效的申请人类型。"})
    except ValidationError as exc:
        field = "applicant.id_number" if kind == ApplicantKind.PERSON else "applicant.credit_code"
        raise ApplicationError(exc.messages[0], code="invalid_identifier", fields={field: exc.messages[0]}) from exc
    applicant, created = Applicant.objects.get_or_create(
        **key, defaults={"name": name, "legal_representative": legal_representative, "phone": phone,
                         "email": email, "address": address, "user": user})
    own = user is not None and applicant.user_id == getattr(user, "pk", None)
    if not created and (may_update or own):
        changed = []
        for field, value in (("name", name), ("phone", phone), ("address", address), ("email", email),
                             ("legal_representative", legal_representative)):
            if value and getattr(applicant, field) != value:
                setattr(applicant, field, value)
                changed.append(field)
        if user is not None and applicant.user_id is None:
            applicant.user = user
            changed.append("user")
        if changed:
            applicant.save(update_fields=changed)
    return applicant


def _validate_form(version: ItemVersion, form_data: dict) -> None:
    """Check form data against the version's JSON Schema; every problem becomes a field error."""
    schema = version.form_schema or {}
    if not schema:
        return
    fields: dict[str, list[str]] = {}
    for err in jsonschema.Draft202012Validator(schema).iter_errors(form_data or {}):
        path = [str(p) for p in err.absolute_path]
        if err.validator == "required":
            path.append(err.message.split("'")[1])
            message = "此项为必填项。"
        else:
            title = err.schema.get("title") if isinstance(err.schema, dict) else None
            message = f"“{title or '.'.join(path)}”填写不正确。"
        fields.setdefault(".".join(["form_data", *path]), []).append(message)
    if fields:
        raise ApplicationError("申请表填写有误，请检查标出的项目。", code="invalid_form", fields=fields)


@transaction.atomic
def case_submit(*, actor, item_code: str, applicant: Applicant, channel: str, form_data: dict | None = None,
                files: dict[int, Any] | None = None, paper: list[int] | None = None, window: Window | None = None,
                agent: dict | None = None, assisted: bool = False, idempotency_key: str = "") -> Case:
    """File an application of the published version of an item. Idempotent per (actor, key): a retry with
    the same key returns the first case, with `was_created` False.

    `files` maps MaterialSpec ids to uploaded files; each is checked by content before anything is saved.
    `paper` lists MaterialSpec ids received as paper at the window (staff only).
    Anyone may file (citizens online, clerks at the window, connected systems); what they may do with the
    case afterwards is decided by the transition services.
    """
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise ApplicationError("幂等键不能超过 64 个字符。", code="invalid", fields={"idempotency_key": "幂等键过长。"})
    creator = actor if getattr(actor, "is_authenticated", False) else None
    if key and creator is not None:
        existing = Case.objects.filter(created_by=creator, idempotency_key=key).first()
        if existing is not None:
            existing.was_created = False
            return existing
    item = ServiceItem.objects.select_related("published_version__item_type", "department__region").filter(
        implementation_code=item_code).first()
    if item is None or item.published_version is None or item.published_version.status != VersionStatus.PUBLISHED:
        raise ApplicationError("该事项不存在或未发布，不能申请。", code="item_not_published",
                               fields={"item": "事项不存在或未发布。"})
    version = item.published_version
    if channel not in Channel.values:
        raise ApplicationError("申请渠道无效。", fields={"channel": "无效的申请渠道。"})
    _validate_form(version, form_data or {})
    specs = {m.pk: m for m in version.materials.all()}
    checked = {}
    for spec_id, upload in (files or {}).items():
        if int(spec_id) not in specs:
            raise ApplicationError("上传的材料不属于该事项。", fields={f"materials.{spec_id}": "未知的材料。"})
        checked[int(spec_id)] = check_upload(upload, field=f"materials.{spec_id}")
    paper_ids = _paper_ids(actor, item, specs, paper)
    agent = agent or {}
    hall = window.hall if window is not None else None
    now = timezone.now()
    case = Case(
        number=_next_number(item.department.region.code, timezone.localdate(now)),
        item=item, version=version, department=item.department, region=item.department.region,
        hall=hall, window=window, applicant=applicant, channel=channel, status=CaseStatus.SUBMITTED,
        form_data=form_data or {}, created_by=creator, idempotency_key=key if creator else "",
        agent_name=agent.get("name", ""), agent_id_number=agent.get("id_number", ""),
        agent_phone=agent.get("phone", ""), assisted_by=creator if assisted else None, submitted_at=now,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # The same key was used by a concurrent retry that committed first: return its case.
        existing = Case.objects.filter(created_by=creator, idempotency_key=key).first()
        if existing is not None:
            existing.was_created = False
            return existing
        raise
    # One INSERT for all materials (the file fields write their files to storage as the rows are prepared).
    CaseMaterial.objects.bulk_create(
        [_material(case, specs[spec_id], cf, creator) for spec_id, cf in checked.items()]
        + [CaseMaterial(case=case, spec=specs[i], on_paper=True, uploaded_by=creator)
           for i in paper_ids if i not in checked])
    _event(case, actor=actor, action=Action.SUBMIT, from_status=CaseStatus.DRAFT,
           data={"channel": channel, "materials": sorted(checked), "paper": sorted(paper_ids)})
    case.was_created = True  # tells a retried call (False) from the first one
    return case


def _material(case: Case, spec: MaterialSpec, cf, creator) -> CaseMaterial:
    return CaseMaterial(case=case, spec=spec, file=cf.content, original_name=cf.original_name,
                        content_type=cf.content_type, size=cf.size, sha256=cf.sha256, uploaded_by=creator)


def _paper_ids(actor, item, specs: dict, paper: list[int] | None) -> list[int]:
    """Materials received as paper: only staff at a window may record them, and only this item's."""
    ids = sorted({int(i) for i in (paper or [])})
    if not ids:
        return []
    if not (perm.has_role(actor, perm.ACCEPTORS, item.department) or item.pk in perm.window_items(actor)):
        raise PermissionDenied("只有窗口工作人员可以登记纸质材料。")
    unknown = [i for i in ids if i not in specs]
    if unknown:
        raise ApplicationError("登记的纸质材料不属于该事项。", fields={f"materials.{i}": "未知的材料。" for i in unknown})
    return ids


@transaction.atomic
def case_attach_material(*, actor, case: Case, spec_id: int, upload) -> CaseMaterial:
    """Add or replace the file of one material slot while the case is still open to materials."""
    case = _lock(case)
    if not (perm.is_applicant(actor, case) or perm.can_accept(actor, case)):
        raise PermissionDenied("您无权为该办件上传材料。")
    _expect(case, {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED}, "上传材料")
    spec = MaterialSpec.objects.filter(pk=spec_id, version=case.version).first()
    if spec is None:
        raise ApplicationError("该材料不属于此办件的事项。", fields={"spec": "未知的材料。"})
    cf = check_upload(upload)
    case.materials.filter(spec=spec, superseded=False).update(superseded=True)
    material = CaseMaterial.objects.create(case=case, spec=spec, file=cf.content, original_name=cf.original_name,
                                           content_type=cf.content_type, size=cf.size, sha256=cf.sha256,
                                           uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    return material
