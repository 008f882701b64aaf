"""Withdraw, terminate, special procedures (the clock stops), extensions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied

from .. import permissions as perm
from ..constants import OPEN_STATUSES, Action, CaseStatus, ExtensionStatus, SuspensionKind
from ..models import Case, Extension, Pause
from .common import MAX_EXTENSION_DAYS_DEFAULT, _event, _expect, _lock, _required, _save, case_clock_recompute


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

