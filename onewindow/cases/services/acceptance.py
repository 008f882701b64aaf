"""Acceptance at the window: accept (with 容缺 and 告知承诺), refuse, one-time correction notice, resubmission, the waived material supplied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.catalogue.constants import Necessity
from onewindow.catalogue.models import MaterialSpec
from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied

from .. import permissions as perm
from ..constants import Action, CaseStatus, MaterialStatus
from ..files import check_upload
from ..models import Case, CaseMaterial, Commitment, CorrectionNotice, Pause, WaiverPromise
from .common import _event, _expect, _lock, _required, _save, case_clock_recompute
from .intake import _material, _paper_ids


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
