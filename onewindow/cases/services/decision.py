"""Review and decision: decide, complete, 即办 in one step, deliver the result."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.catalogue.constants import HandlingType
from onewindow.core.errors import ApplicationError, Conflict

from .. import permissions as perm
from ..constants import Action, CaseStatus, Decision, DeliveryMethod
from ..models import Case
from .acceptance import _missing_required
from .common import _event, _expect, _lock, _required, _save, case_clock_recompute


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
