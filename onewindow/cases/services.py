"""The case lifecycle. Each transition: permission check, row lock, state change, clock, one CaseEvent.

Every function is atomic; the row lock (`select_for_update`) means that of two people acting on the
same case at once exactly one succeeds and the other gets a Conflict with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.catalogue.constants import HandlingType, Necessity, VersionStatus
from onewindow.catalogue.models import ItemVersion, MaterialSpec, ServiceItem
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied
from onewindow.core.identifiers import normalize_ric, normalize_uscc
from onewindow.org.constants import Role
from onewindow.org.models import Window
from onewindow.workcalendar.clock import compute_deadline

from . import permissions as perm
from .constants import (
    OPEN_STATUSES,
    Action,
    ApplicantKind,
    CaseStatus,
    Channel,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    MaterialStatus,
    SuspensionKind,
)
from .files import check_upload
from .models import (
    Applicant,
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNumberSequence,
    Commitment,
    CorrectionNotice,
    Extension,
    Pause,
    WaiverPromise,
)
from .signals import case_event_committed

__all__ = [
    "applicant_get_or_create",
    "case_submit",
    "case_attach_material",
    "case_accept",
    "case_refuse",
    "case_request_correction",
    "case_resubmit",
    "case_decide",
    "case_complete",
    "case_complete_instantly",
    "case_deliver",
    "case_withdraw",
    "case_terminate",
    "case_suspend",
    "case_resume",
    "case_request_extension",
    "case_decide_extension",
    "case_supply_waived",
    "case_record_visit",
    "case_clock_recompute",
    "case_personal_data_view",
    "can_view_personal_data",
]

logger = logging.getLogger("onewindow.cases")
MAX_EXTENSION_DAYS_DEFAULT = 10  # 《行政许可法》第四十二条: extension of at most ten days


# ------------------------------------------------------------------ helpers

def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return actor.get_full_name() or actor.get_username()


def _event(case: Case, *, actor, action: str, from_status: str, comment: str = "", data: dict | None = None,
           role: str = "", public: bool = True) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, actor=actor if getattr(actor, "is_authenticated", False) else None, actor_label=_label(actor),
        role=role, action=action, from_status=from_status, to_status=case.status, comment=comment,
        data=data or {}, public=public,
        clock={"due_at": case.due_at, "warn_at": case.warn_at, "provisional": case.deadline_provisional,
               "paused_at": case.paused_at, "extension_days": case.extension_days},
    )
    case_id, event_id = case.pk, event.pk
    # send_robust: a failing receiver (documents, notifications ...) never reaches the request or skips the others.
    transaction.on_commit(lambda: _notify(case_id, event_id, action))
    return event


def _notify(case_id: int, event_id: int, action: str) -> None:
    for receiver, result in case_event_committed.send_robust(sender=Case, case_id=case_id, event_id=event_id,
                                                             action=action):
        if isinstance(result, Exception):
            logger.error("case event receiver %s failed for case %s event %s", receiver, case_id, event_id,
                         exc_info=result)


def _lock(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    # of=("self",): lock the case row only. Locking the joined item, department or region rows would queue
    # every transition of a department behind every other (and deadlock with concurrent filings).
    return Case.objects.select_for_update(of=("self",)).select_related(
        "version__item_type", "department__region", "applicant", "item").get(pk=pk)


def _expect(case: Case, allowed: set[str] | tuple[str, ...], what: str) -> None:
    if case.status not in allowed:
        raise Conflict(f"办件当前状态为“{case.get_status_display()}”，不能{what}。", code="invalid_transition")


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", fields={field: message})
    return value


def _next_number(region_code: str, day: dt.date) -> str:
    try:
        with transaction.atomic():
            seq, _ = CaseNumberSequence.objects.select_for_update().get_or_create(region_code=region_code, day=day)
    except IntegrityError:  # created concurrently: the row exists now
        seq = CaseNumberSequence.objects.select_for_update().get(region_code=region_code, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{region_code}{day:%Y%m%d}{seq.last:05d}"


def case_clock_recompute(case: Case) -> None:
    """Store due/warn instants from the acceptance time, the pause ledger and approved extensions."""
    if case.accepted_at is None:
        case.due_at = case.warn_at = None
        case.deadline_provisional = False
        return
    version = case.version
    pauses = [(p.started_at, p.ended_at) for p in case.pauses.order_by("started_at")]
    deadline = compute_deadline(case.accepted_at, version.promised_days, version.promised_days_unit,
                                pauses=pauses, extensions=[case.extension_days] if case.extension_days else [])
    case.due_at, case.warn_at = deadline.due_at, deadline.warn_at
    case.deadline_provisional = deadline.provisional


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=list(fields))


# ------------------------------------------------------------------ applicants and submission

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


# ------------------------------------------------------------------ acceptance

def _missing_required(case: Case) -> list[MaterialSpec]:
    """Materials still missing. 免提交 (reusable) ones never block: the department fetches the electronic
    certificate itself, so the online hall lets the applicant leave them out."""
    have = set(case.materials.filter(superseded=False).values_list("spec_id", flat=True))
    return [m for m in case.version.materials.all()
            if m.necessity != Necessity.CONDITIONAL and not m.is_reusable and m.pk not in have]


@transaction.atomic
def case_accept(*, actor, case: Case, waivers: dict[int, dt.date] | None = None, comment: str = "",
                commitment: dict | None = None) -> Case:
    """受理: starts the clock. Missing 容缺 materials may be waived against a promise with a due date;
    a missing required (non-waivable) material blocks acceptance (request a correction instead)."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS, "您无权受理该部门的办件。")
    _expect(case, {CaseStatus.SUBMITTED}, "受理")
    waivers = {int(k): v for k, v in (waivers or {}).items()}
    missing = _missing_required(case)
    blocking = [m for m in missing if not (m.necessity == Necessity.WAIVABLE and m.pk in waivers)]
    if blocking:
        names = "、".join(m.name for m in blocking)
        raise ApplicationError(f"以下材料尚未提交，不能受理：{names}。请一次性告知申请人补正，或对容缺材料办理容缺受理。",
                               code="materials_missing",
                               fields={f"materials.{m.pk}": "材料未提交。" for m in blocking})
    for spec_id, due in waivers.items():
        spec = next((m for m in case.version.materials.all() if m.pk == spec_id), None)
        if spec is None or spec.necessity != Necessity.WAIVABLE:
            raise ApplicationError("只有标注为“容缺”的材料可以容缺受理。", code="not_waivable",
                                   fields={f"waivers.{spec_id}": "该材料不可容缺。"})
        if due is None or due < timezone.localdate():
            raise ApplicationError("容缺材料的补交期限不能早于今天。", fields={f"waivers.{spec_id}": "补交期限无效。"})
        WaiverPromise.objects.create(case=case, spec=spec, due_date=due)
    if commitment:
        Commitment.objects.create(case=case, text=_required(commitment.get("text", ""), "commitment.text",
                                                            "请填写承诺内容。"),
                                  signed_name=_required(commitment.get("signed_name", ""),
                                                        "commitment.signed_name", "请填写承诺人。"),
                                  signed_at=timezone.now(), check_due=commitment.get("check_due"))
    previous = case.status
    case.status = CaseStatus.ACCEPTED
    case.accepted_at = timezone.now()
    case.accepted_by = actor
    case_clock_recompute(case)
    _save(case, "status", "accepted_at", "accepted_by", "due_at", "warn_at", "deadline_provisional")
    action = Action.ACCEPT_WITH_WAIVER if waivers else Action.ACCEPT
    _event(case, actor=actor, action=action, from_status=previous, comment=comment,
           data={"waivers": {str(k): v for k, v in waivers.items()}, "commitment": bool(commitment)})
    return case


@transaction.atomic
def case_refuse(*, actor, case: Case, reason: str) -> Case:
    """不予受理: needs a written reason."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS, "您无权办理该部门的办件。")
    _expect(case, {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED}, "作出不予受理决定")
    reason = _required(reason, "reason", "不予受理必须书面说明理由。")
    previous = case.status
    case.status = CaseStatus.REFUSED
    case.closed_reason = reason
    _save(case, "status", "closed_reason")
    _event(case, actor=actor, action=Action.REFUSE, from_status=previous, comment=reason)
    return case


@transaction.atomic
def case_request_correction(*, actor, case: Case, items: list[dict], comment: str = "") -> CorrectionNotice:
    """一次性告知: ONE notice listing every missing or defective material. Before acceptance the clock has
    not started; during review the clock pauses until the applicant resubmits."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS + perm.DECIDERS, "您无权办理该部门的办件。")
    _expect(case, {CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}, "要求补正")
    specs = {m.pk: m for m in case.version.materials.all()}
    notice_items = []
    for row in items or []:
        spec = specs.get(int(row.get("spec_id") or 0))
        if spec is None:
            raise ApplicationError("补正清单中有不属于该事项的材料。", fields={"items": "未知的材料。"})
        notice_items.append({"spec_id": spec.pk, "name": spec.name,
                             "reason": (row.get("reason") or "").strip() or "未提交"})
    if not notice_items and not (comment or "").strip():
        raise ApplicationError("补正通知必须列明需要补正的材料或内容。", code="required",
                               fields={"items": "请至少选择一项需要补正的材料。"})
    during_review = case.status == CaseStatus.ACCEPTED
    previous = case.status
    now = timezone.now()
    if during_review:
        Pause.objects.create(case=case, kind="correction", reason=comment or "补正材料", started_at=now)
        case.paused_at = now
    notice = CorrectionNotice.objects.create(case=case, items=notice_items, comment=(comment or "").strip(),
                                             issued_by=actor, during_review=during_review)
    defective = [i["spec_id"] for i in notice_items]
    case.materials.filter(spec_id__in=defective, superseded=False).update(status=MaterialStatus.DEFECTIVE)
    case.status = CaseStatus.CORRECTION_REQUESTED
    case_clock_recompute(case)
    _save(case, "status", "paused_at", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.REQUEST_CORRECTION, from_status=previous, comment=comment,
           data={"notice": notice.pk, "items": notice_items})
    return notice


@transaction.atomic
def case_resubmit(*, actor, case: Case, files: dict[int, Any] | None = None, paper: list[int] | None = None,
                  comment: str = "") -> Case:
    """补正提交: the applicant (or a clerk for them) supplies what the notice asked; the clock resumes."""
    case = _lock(case)
    if not (perm.is_applicant(actor, case) or perm.can_accept(actor, case)):
        raise PermissionDenied("只有申请人或受理人员可以提交补正材料。")
    _expect(case, {CaseStatus.CORRECTION_REQUESTED}, "提交补正")
    notice = case.correction_notices.filter(resolved_at__isnull=True).first()
    asked = {i["spec_id"] for i in (notice.items if notice else [])}
    files = {int(k): v for k, v in (files or {}).items()}
    specs = {m.pk: m for m in case.version.materials.all()}
    paper_ids = _paper_ids(actor, case.item, specs, paper)
    unknown = set(files) - set(specs)
    if unknown:
        raise ApplicationError("上传的材料不属于该事项。", fields={f"materials.{u}": "未知的材料。" for u in unknown})
    still_missing = asked - set(files) - set(paper_ids)
    if still_missing:
        names = "、".join(i["name"] for i in notice.items if i["spec_id"] in still_missing)
        raise ApplicationError(f"请提交补正通知中列明的全部材料：{names}。", code="correction_incomplete",
                               fields={f"materials.{s}": "请上传补正材料。" for s in still_missing})
    checked = {spec_id: check_upload(f, field=f"materials.{spec_id}") for spec_id, f in files.items()}
    creator = actor if getattr(actor, "is_authenticated", False) else None
    paper_only = [i for i in paper_ids if i not in checked]
    case.materials.filter(spec_id__in=[*checked, *paper_only], superseded=False).update(superseded=True)
    CaseMaterial.objects.bulk_create(
        [_material(case, specs[spec_id], cf, creator) for spec_id, cf in checked.items()]
        + [CaseMaterial(case=case, spec_id=i, on_paper=True, uploaded_by=creator) for i in paper_only])
    now = timezone.now()
    if notice is not None:
        notice.resolved_at = now
        notice.save(update_fields=["resolved_at"])
    previous = case.status
    if notice is not None and notice.during_review:
        case.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        case.paused_at = None
        case.status = CaseStatus.ACCEPTED
    else:
        case.status = CaseStatus.SUBMITTED
    case_clock_recompute(case)
    _save(case, "status", "paused_at", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.RESUBMIT, from_status=previous, comment=comment,
           data={"materials": sorted(checked), "paper": paper_only})
    return case


@transaction.atomic
def case_supply_waived(*, actor, case: Case, spec_id: int, upload) -> Case:
    """Supply a material that was waived at acceptance (容缺后补)."""
    case = _lock(case)
    if not (perm.is_applicant(actor, case) or perm.can_accept(actor, case)):
        raise PermissionDenied("只有申请人或受理人员可以补交材料。")
    promise = case.waivers.filter(spec_id=spec_id, supplied_at__isnull=True).first()
    if promise is None:
        raise Conflict("该材料没有待补交的容缺承诺。")
    cf = check_upload(upload)
    CaseMaterial.objects.create(case=case, spec_id=spec_id, file=cf.content, original_name=cf.original_name,
                                content_type=cf.content_type, size=cf.size, sha256=cf.sha256,
                                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    promise.supplied_at = timezone.now()
    promise.save(update_fields=["supplied_at"])
    _event(case, actor=actor, action=Action.SUPPLY_WAIVED, from_status=case.status, data={"spec": spec_id})
    return case


# ------------------------------------------------------------------ review and decision

@transaction.atomic
def case_decide(*, actor, case: Case, decision: str, reason: str = "", basis: str = "") -> Case:
    """准予 / 不予: a denial needs reasons and its legal basis."""
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS, "您无权对该部门的办件作出决定。")
    _expect(case, {CaseStatus.ACCEPTED}, "作出决定")
    if decision not in Decision.values:
        raise ApplicationError("决定只能是准予或不予。", fields={"decision": "无效的决定。"})
    pending_waivers = case.waivers.filter(supplied_at__isnull=True)
    if decision == Decision.APPROVE and pending_waivers.exists():
        names = "、".join(w.spec.name for w in pending_waivers.select_related("spec"))
        raise Conflict(f"容缺材料尚未补齐（{names}），补齐后才能作出准予决定。", code="waivers_pending")
    if decision == Decision.DENY:
        reason = _required(reason, "reason", "不予许可必须说明理由。")
        basis = _required(basis, "basis", "不予许可必须写明法律依据。")
    previous = case.status
    case.status = CaseStatus.DECIDED
    case.decision = decision
    case.decision_reason = (reason or "").strip()
    case.decision_basis = (basis or "").strip()
    case.decided_at = timezone.now()
    case.decided_by = actor
    _save(case, "status", "decision", "decision_reason", "decision_basis", "decided_at", "decided_by")
    _event(case, actor=actor, action=Action.DECIDE, from_status=previous, comment=case.decision_reason,
           data={"decision": decision, "basis": case.decision_basis})
    return case


@transaction.atomic
def case_complete(*, actor, case: Case) -> Case:
    """办结: the clock stops; a late completion stays on the record (supervision keeps the red card)."""
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS + perm.ACCEPTORS, "您无权办结该部门的办件。")
    _expect(case, {CaseStatus.DECIDED}, "办结")
    previous = case.status
    case.status = CaseStatus.COMPLETED
    case.completed_at = timezone.now()
    _save(case, "status", "completed_at")
    late = bool(case.due_at and case.completed_at > case.due_at)
    _event(case, actor=actor, action=Action.COMPLETE, from_status=previous, data={"late": late})
    return case


@transaction.atomic
def case_complete_instantly(*, actor, case: Case, decision: str = Decision.APPROVE, reason: str = "",
                            basis: str = "") -> Case:
    """即办件: accept, decide and complete at the window in one step."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS, "您无权受理该部门的办件。")
    if case.version.handling_type != HandlingType.INSTANT:
        raise Conflict("该事项是承诺件，不能当场办结。", code="not_instant")
    _expect(case, {CaseStatus.SUBMITTED}, "当场办结")
    missing = _missing_required(case)
    if missing:
        names = "、".join(m.name for m in missing)
        raise ApplicationError(f"以下材料尚未提交，不能办结：{names}。", code="materials_missing",
                               fields={f"materials.{m.pk}": "材料未提交。" for m in missing})
    if decision == Decision.DENY:
        reason = _required(reason, "reason", "不予许可必须说明理由。")
        basis = _required(basis, "basis", "不予许可必须写明法律依据。")
    now = timezone.now()
    previous = case.status
    case.status = CaseStatus.COMPLETED
    case.accepted_at = case.decided_at = case.completed_at = now
    case.accepted_by = case.decided_by = actor
    case.decision, case.decision_reason, case.decision_basis = decision, reason, basis
    case_clock_recompute(case)
    _save(case, "status", "accepted_at", "decided_at", "completed_at", "accepted_by", "decided_by", "decision",
          "decision_reason", "decision_basis", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.INSTANT, from_status=previous, data={"decision": decision})
    return case


@transaction.atomic
def case_deliver(*, actor, case: Case, method: str, address: str = "", tracking_number: str = "") -> Case:
    """送达: window pickup, free mail with a tracking number, or electronic."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS + perm.DECIDERS, "您无权办理该部门的办件。")
    _expect(case, {CaseStatus.COMPLETED}, "送达")
    if method not in DeliveryMethod.values:
        raise ApplicationError("送达方式无效。", fields={"method": "请选择窗口领取、免费邮寄或电子送达。"})
    if method == DeliveryMethod.MAIL:
        address = _required(address, "address", "邮寄送达须填写收件地址。")
        tracking_number = _required(tracking_number, "tracking_number", "邮寄送达须填写快递单号。")
    previous = case.status
    case.status = CaseStatus.DELIVERED
    case.delivery_method, case.delivery_address, case.tracking_number = method, address, tracking_number
    case.delivered_at = timezone.now()
    _save(case, "status", "delivery_method", "delivery_address", "tracking_number", "delivered_at")
    _event(case, actor=actor, action=Action.DELIVER, from_status=previous,
           data={"method": method, "tracking_number": tracking_number})
    return case


# ------------------------------------------------------------------ withdraw, terminate, pauses, extensions

@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str = "") -> Case:
    """撤回: the applicant withdraws before a decision."""
    case = _lock(case)
    if not (perm.is_applicant(actor, case) or perm.can_accept(actor, case)):
        raise PermissionDenied("只有申请人可以撤回申请。")
    _expect(case, {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED,
                   CaseStatus.SUSPENDED}, "撤回（已作出决定的办件不能撤回）")
    previous = case.status
    case.status = CaseStatus.WITHDRAWN
    case.closed_reason = (reason or "").strip() or "申请人撤回"
    case.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    case.paused_at = None
    _save(case, "status", "closed_reason", "paused_at")
    _event(case, actor=actor, action=Action.WITHDRAW, from_status=previous, comment=case.closed_reason)
    return case


@transaction.atomic
def case_terminate(*, actor, case: Case, reason: str) -> Case:
    """终止: handling ends without a decision (e.g. the applicant died, the company was dissolved)."""
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS, "您无权终止该部门的办件。")
    _expect(case, OPEN_STATUSES - {CaseStatus.DECIDED}, "终止")
    reason = _required(reason, "reason", "终止办理必须说明理由。")
    previous = case.status
    case.status = CaseStatus.TERMINATED
    case.closed_reason = reason
    case.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    case.paused_at = None
    _save(case, "status", "closed_reason", "paused_at")
    _event(case, actor=actor, action=Action.TERMINATE, from_status=previous, comment=reason)
    return case


@transaction.atomic
def case_suspend(*, actor, case: Case, kind: str, reason: str, expected_end: dt.date | None = None) -> Case:
    """特别程序 (听证, 检验, 专家评审 ...): time not counted until it ends."""
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS, "您无权对该部门的办件启动特别程序。")
    _expect(case, {CaseStatus.ACCEPTED}, "启动特别程序")
    if kind not in SuspensionKind.values:
        raise ApplicationError("特别程序类型无效。", fields={"kind": "请选择听证、招标、拍卖、检验、检测、检疫、鉴定或专家评审。"})
    reason = _required(reason, "reason", "启动特别程序必须说明理由。")
    now = timezone.now()
    Pause.objects.create(case=case, kind=kind, reason=reason, started_at=now, expected_end=expected_end)
    previous = case.status
    case.status = CaseStatus.SUSPENDED
    case.paused_at = now
    case_clock_recompute(case)
    _save(case, "status", "paused_at", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.SUSPEND, from_status=previous, comment=reason,
           data={"kind": kind, "expected_end": expected_end})
    return case


@transaction.atomic
def case_resume(*, actor, case: Case, comment: str = "") -> Case:
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS, "您无权办理该部门的办件。")
    _expect(case, {CaseStatus.SUSPENDED}, "结束特别程序")
    now = timezone.now()
    case.pauses.filter(ended_at__isnull=True).update(ended_at=now)
    previous = case.status
    case.status = CaseStatus.ACCEPTED
    case.paused_at = None
    case_clock_recompute(case)
    _save(case, "status", "paused_at", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.RESUME, from_status=previous, comment=comment)
    return case


@transaction.atomic
def case_request_extension(*, actor, case: Case, days: int, reason: str) -> Extension:
    """延期申请 by the reviewer; once per case, bounded by the law (10 days unless the item says otherwise)."""
    case = _lock(case)
    perm.require(actor, case, perm.DECIDERS, "您无权为该部门的办件申请延期。")
    _expect(case, {CaseStatus.ACCEPTED}, "申请延期")
    reason = _required(reason, "reason", "申请延期必须说明理由。")
    if case.extensions.exclude(status=ExtensionStatus.REJECTED).exists():
        raise Conflict("每个办件只能延期一次。", code="extension_exists")
    limit = MAX_EXTENSION_DAYS_DEFAULT
    if not isinstance(days, int) or days < 1 or days > limit:
        raise ApplicationError(f"延长天数应为 1 至 {limit} 天。", fields={"days": f"延长天数应为 1 至 {limit} 天。"})
    extension = Extension.objects.create(case=case, days=days, reason=reason, requested_by=actor)
    _event(case, actor=actor, action=Action.REQUEST_EXTENSION, from_status=case.status, comment=reason,
           data={"days": days, "extension": extension.pk}, public=False)
    return extension


@transaction.atomic
def case_decide_extension(*, actor, case: Case, approve: bool, comment: str = "") -> Extension:
    """部门负责人 approves or rejects the pending extension; approval moves the deadline."""
    case = _lock(case)
    perm.require(actor, case, perm.HEADS, "只有部门负责人可以审批延期。")
    _expect(case, {CaseStatus.ACCEPTED, CaseStatus.SUSPENDED, CaseStatus.CORRECTION_REQUESTED}, "审批延期")
    extension = case.extensions.select_for_update().filter(status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise Conflict("该办件没有待审批的延期申请。", code="no_pending_extension")
    if extension.requested_by_id == actor.pk:
        raise PermissionDenied("不能审批本人提出的延期申请。", code="four_eyes")
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_comment = (comment or "").strip()
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if approve:
        case.extension_days = extension.days
        case_clock_recompute(case)
        _save(case, "extension_days", "due_at", "warn_at", "deadline_provisional")
    _event(case, actor=actor, action=Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION,
           from_status=case.status, comment=comment, data={"days": extension.days, "extension": extension.pk})
    return extension


PERSONAL_DATA_ROLES = (Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD)


def can_view_personal_data(user, case: Case) -> bool:
    return perm.has_role(user, PERSONAL_DATA_ROLES, case.department)


@transaction.atomic
def case_personal_data_view(*, actor, case: Case, reason: str = "") -> None:
    """A full view of the applicant's (and agent's) ID numbers: allowed to the roles that work with the
    identity, written to the audit log and, not public, to the case's own trail."""
    if not can_view_personal_data(actor, case):
        raise PermissionDenied("您无权查看完整的证件号码；只有该部门的窗口、审批人员和负责人可以查看。",
                               code="personal_data_denied")
    fields = ["applicant.identifier"] + (["agent.id_number"] if case.agent_id_number else [])
    audit_log(actor=actor, action="cases.view_personal_data", obj=case, new={"fields": fields}, reason=reason)
    _event(case, actor=actor, action=Action.VIEW_PERSONAL_DATA, from_status=case.status, comment=reason,
           data={"fields": fields}, public=False)


@transaction.atomic
def case_record_visit(*, actor, case: Case, purpose: str = "") -> Case:
    """One in-person visit of the applicant (跑动次数), recorded at the window."""
    case = _lock(case)
    perm.require(actor, case, perm.ACCEPTORS, "您无权办理该部门的办件。")
    case.visits += 1
    _save(case, "visits")
    _event(case, actor=actor, action=Action.VISIT, from_status=case.status, comment=purpose,
           data={"visits": case.visits})
    return case
