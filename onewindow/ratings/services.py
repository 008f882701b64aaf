"""Writes of 好差评: invitations, ratings and their one amendment, bad-rating handling (差评整改), overdue
cards and the default-good sweep. Views, API, admin, commands, tasks and receivers call these only.

Integrity (issue 5): only the applicant (or the agent who filed online) of the case, or the holder of the
signed link sent to the applicant, may rate; one rating per invitation (409 for a second); one amendment
within RATINGS_AMEND_DAYS, then locked; nothing after the rating window; ratings are never deleted. Every
rating, amendment and bad-case step writes an audit row and moves the rollups in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import uuid

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases.models import Case, CaseEvent
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from onewindow.core.middleware import current_request_id
from onewindow.core.models import AuditEvent
from onewindow.org.permissions import has_role
from onewindow.workcalendar.clock import compute_deadline

from . import conf, rollups
from .adapters import alert_department_heads, tell_applicant_of_reply
from .constants import (
    APPEAL_JUDGES,
    COMPLETION_ACTIONS,
    EVENT_BY_ACTION,
    FOLLOW_UP_CALLERS,
    HANDLERS,
    HOTLINE_OPERATORS,
    READERS,
    REPLY_OUTCOMES,
    BadAction,
    BadCaseStatus,
    CardStage,
    Level,
    Outcome,
    RaterKind,
    RatingChannel,
    ServiceEvent,
    is_bad,
)
from .models import (
    BadRatingAction,
    BadRatingCase,
    Rating,
    RatingAmendment,
    RatingInvitation,
    RectificationCard,
)
from .tokens import make_token

__all__ = [
    "invitation_open",
    "invitation_for_case_event",
    "rating_submit",
    "rating_amend",
    "rating_record_hotline",
    "bad_case_open",
    "bad_case_verify",
    "bad_case_reply",
    "bad_case_appeal",
    "bad_case_decide_appeal",
    "bad_case_respond",
    "bad_case_follow_up",
    "bad_cases_record_view",
    "pad_bind",
    "pad_unbind",
    "overdue_scan",
    "invitations_expire",
]

logger = logging.getLogger("onewindow.ratings")

NOT_YOURS = "未找到可评价的办件服务。"
MAX_COMMENT = 500


# ------------------------------------------------------------------ helpers

def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "申请人"
    return actor.get_full_name() or actor.get_username()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _deadline(start: dt.datetime, days: int) -> tuple[dt.datetime, bool]:
    d = compute_deadline(start, days)
    return d.due_at, d.provisional


def _log(bad: BadRatingCase, action: str, actor=None, comment: str = "", data: dict | None = None) -> None:
    BadRatingAction.objects.create(bad_case=bad, action=action, actor=_user(actor),
                                   actor_label=_label(actor) if _user(actor) else "系统", comment=comment,
                                   data=data or {})


def _tail_matches(identifier: str, tail: str) -> bool:
    expected = (identifier or "")[-6:].upper().encode()
    given = (tail or "").strip().upper().encode()
    return len(expected) == 6 and hmac.compare_digest(expected, given)


def _text(value: str, field: str, message: str, *, required: bool = True, limit: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(message, code="required", fields={field: message})
    if len(value) > limit:
        raise ApplicationError(f"内容不能超过 {limit} 个字。", fields={field: f"不能超过 {limit} 个字。"})
    return value


# ------------------------------------------------------------------ invitations

def invitation_open(*, case: Case, service_event: str, case_event: CaseEvent | None = None, staff=None,
                    at: dt.datetime | None = None) -> RatingInvitation:
    """The invitation to rate one service event of a case (idempotent per case, event and case event)."""
    if service_event not in ServiceEvent.values:
        raise ApplicationError("服务环节无效。", fields={"service_event": "无效的服务环节。"})
    at = at or (case_event.created_at if case_event is not None else timezone.now())
    key = "" if service_event == ServiceEvent.WHOLE_CASE or case_event is None else str(case_event.pk)
    existing = RatingInvitation.objects.filter(case=case, service_event=service_event, event_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invitation = RatingInvitation.objects.create(
                case=case, service_event=service_event, event_key=key, case_event=case_event,
                staff=staff, token=f"pending-{uuid.uuid4().hex}", expires_at=at + dt.timedelta(days=conf.window_days()))
            invitation.token = make_token(invitation.pk)
            invitation.save(update_fields=["token"])
    except IntegrityError:  # opened concurrently
        return RatingInvitation.objects.get(case=case, service_event=service_event, event_key=key)
    return invitation


def invitation_for_case_event(*, case_id: int, event_id: int, action: str) -> RatingInvitation | None:
    """After a case event commits: count completions, open the invitation, put its link in the message."""
    if action not in EVENT_BY_ACTION and action not in COMPLETION_ACTIONS:
        return None
    event = CaseEvent.objects.select_related("case").get(pk=event_id)
    case = event.case
    if action in COMPLETION_ACTIONS:
        rollups.completed_add(case=case, instant=case.completed_at or event.created_at)
    service_event = EVENT_BY_ACTION.get(action)
    if service_event is None:
        return None
    staff = event.actor
    if service_event == ServiceEvent.WHOLE_CASE and case.accepted_by_id:
        staff = case.accepted_by  # the whole case is rated on the clerk who served at acceptance
    invitation = invitation_open(case=case, service_event=service_event, case_event=event, staff=staff)
    from .adapters import attach_rating_link

    attach_rating_link(event=event, invitation=invitation)
    return invitation


# ------------------------------------------------------------------ ratings

def _check_options(level: int, options: list | None) -> list[str]:
    allowed = conf.options().get(level, [])
    chosen = []
    for option in options or []:
        option = str(option).strip()
        if option not in allowed:
            raise ApplicationError("评价选项与评价等级不符。", code="invalid_option",
                                   fields={"options": f"“{option}”不是该等级的评价选项。"})
        if option not in chosen:
            chosen.append(option)
    return chosen


def _check_level(level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise ApplicationError("请选择评价等级。", code="invalid_level", fields={"level": "评价等级为 1 至 5。"})
    return level


def _rater(actor, case: Case) -> str | None:
    """The actor's standing on the case: applicant, the agent who filed it online, or None."""
    user = _user(actor)
    if user is None:
        return None
    if case.applicant.user_id == user.pk:
        return RaterKind.APPLICANT
    if case.created_by_id == user.pk and case.assisted_by_id is None and not has_role(user, READERS):
        return RaterKind.AGENT
    return None


def _lock_invitation(invitation_id: int) -> RatingInvitation:
    return (RatingInvitation.objects.select_for_update()
            .select_related("case__applicant", "case__department__region").get(pk=invitation_id))


@transaction.atomic
def rating_submit(*, invitation: RatingInvitation, level, options: list | None = None, comment: str = "",
                  channel: str, actor=None, via_token: bool = False, recorded_by=None,
                  real_name: bool = True) -> Rating:
    """Rate one service event. `via_token`: the caller holds the signed link (no login); otherwise `actor` must
    be the case's applicant or agent (anyone else: NotFound, the case is not disclosed)."""
    invitation = _lock_invitation(invitation.pk)
    case = invitation.case
    kind = RaterKind.APPLICANT if (via_token or recorded_by is not None) else _rater(actor, case)
    if kind is None:
        raise NotFound(NOT_YOURS)
    if channel not in RatingChannel.values or channel == RatingChannel.DEFAULT:
        raise ApplicationError("评价渠道无效。", fields={"channel": "无效的评价渠道。"})
    now = timezone.now()
    if Rating.objects.filter(invitation=invitation).exists():
        raise Conflict("该服务已经评价过，每项服务只能评价一次；如需修改，可在修改期内修改一次。", code="already_rated")
    if now > invitation.expires_at:
        raise Conflict(f"评价期已过（服务完成后 {conf.window_days()} 日内可以评价）。", code="window_closed")
    level = _check_level(level)
    chosen = _check_options(level, options)
    comment = _text(comment, "comment", "", required=False, limit=MAX_COMMENT)
    if is_bad(level) and not chosen and not comment:
        raise ApplicationError("差评请至少选择一项原因或填写评价内容。", code="reason_required",
                               fields={"options": "请选择差评原因。"})
    rating = Rating.objects.create(
        invitation=invitation, case=case, service_event=invitation.service_event, level=level, options=chosen,
        comment=comment, channel=channel, applicant=case.applicant, rater_kind=kind,
        rater_user=_user(actor) if not via_token and recorded_by is None else None,
        real_name=real_name, recorded_by=_user(recorded_by), department_id=case.department_id,
        hall_id=case.hall_id, window_id=case.window_id, staff_id=invitation.staff_id, item_id=case.item_id,
        rated_at=now, month=rollups.month_of(now), amend_until=now + dt.timedelta(days=conf.amend_days()))
    invitation.closed_at = now
    invitation.save(update_fields=["closed_at"])
    rollups.apply_change(rating, None)
    audit_log(actor=_user(actor) or _user(recorded_by), action="ratings.rate", obj=rating,
              new={"level": level, "channel": channel, "service_event": rating.service_event})
    if is_bad(level):
        bad_case_open(rating=rating)
    return rating


@transaction.atomic
def rating_record_hotline(*, actor, case_number: str, id_tail: str, service_event: str, level, options=None,
                          comment: str = "", real_name: bool = True) -> Rating:
    """12345 热线: an operator records a caller's rating after checking the case number and ID tail."""
    if not has_role(actor, HOTLINE_OPERATORS):
        raise PermissionDenied("只有 12345 热线话务员（大厅管理员）可以代录评价。")
    case = Case.objects.select_related("applicant").filter(number=(case_number or "").strip()).first()
    if case is None or not _tail_matches(case.applicant.identifier, id_tail):
        raise NotFound("未找到该办件，请核对办件编号和证件号码后六位。")
    invitation = (RatingInvitation.objects.filter(case=case, service_event=service_event, closed_at__isnull=True)
                  .order_by("-created_at").first())
    if invitation is None:
        invitation = RatingInvitation.objects.filter(case=case, service_event=service_event).order_by(
            "-created_at").first()
    if invitation is None:
        raise NotFound("该办件没有可评价的此项服务。")
    return rating_submit(invitation=invitation, level=level, options=options, comment=comment,
                         channel=RatingChannel.HOTLINE, recorded_by=actor, real_name=real_name)


@transaction.atomic
def rating_amend(*, rating: Rating, level, options: list | None = None, comment: str = "", channel: str,
                 actor=None, via_token: bool = False) -> Rating:
    """Change a rating once, within RATINGS_AMEND_DAYS; the amendment keeps the original."""
    rating = Rating.objects.select_for_update().select_related("case__applicant").get(pk=rating.pk)
    if not via_token and _rater(actor, rating.case) is None:
        raise NotFound(NOT_YOURS)
    if RatingAmendment.objects.filter(rating=rating).exists():
        raise Conflict("评价只能修改一次，已修改过的评价不能再改。", code="already_amended")
    if timezone.now() > rating.amend_until:
        raise Conflict("评价的修改期已过，不能再修改。", code="amend_window_closed")
    if rating.excluded:
        raise Conflict("该评价已经申诉复核，不能修改。", code="excluded")
    level = _check_level(level)
    chosen = _check_options(level, options)
    comment = _text(comment, "comment", "", required=False, limit=MAX_COMMENT)
    if is_bad(level) and not chosen and not comment:
        raise ApplicationError("差评请至少选择一项原因或填写评价内容。", code="reason_required",
                               fields={"options": "请选择差评原因。"})
    bad = BadRatingCase.objects.select_for_update().filter(rating=rating).first()
    before = rollups.snapshot(rating, bad)
    RatingAmendment.objects.create(rating=rating, old_level=rating.level, old_options=rating.options,
                                   old_comment=rating.comment, new_level=level, new_options=chosen,
                                   new_comment=comment, channel=channel)
    old_level = rating.level
    rating.level, rating.options, rating.comment = level, chosen, comment
    rating.amended_at = timezone.now()
    rating.exported_at = None  # the exchange gets the changed record again
    rating.save(update_fields=["level", "options", "comment", "amended_at", "exported_at"])
    rollups.apply_change(rating, before, bad)
    audit_log(actor=_user(actor), action="ratings.amend", obj=rating, old={"level": old_level},
              new={"level": level})
    if is_bad(level) and bad is None:
        bad_case_open(rating=rating)
    elif not is_bad(level) and bad is not None and bad.status != BadCaseStatus.CLOSED:
        bad.status = BadCaseStatus.CLOSED
        bad.closed_at = timezone.now()
        bad.save(update_fields=["status", "closed_at"])
        _log(bad, BadAction.SATISFIED, None, "申请人将差评修改为好评，整改单结束。", {"level": level})
        _resolve_cards(bad, None)
    return rating


# ------------------------------------------------------------------ bad-rating handling

def bad_case_url(pk: int) -> str:
    """The record's page in the workbench (差评整改), for alerts."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("workbench:bad_rating", args=[pk])
    except NoReverseMatch:  # the workbench screens are not installed
        return ""


def bad_case_open(*, rating: Rating) -> BadRatingCase:
    """Every bad rating opens a rectification record for the responsible department, with its deadlines."""
    existing = BadRatingCase.objects.filter(rating=rating).first()
    if existing is not None:
        return existing
    now = rating.rated_at
    region = rating.case.department.region.code if rating.case.department.region_id else ""
    verify_due, p1 = _deadline(now, conf.verify_days())
    reply_due, p2 = _deadline(now, conf.rectify_days(region))
    bad = BadRatingCase.objects.create(
        rating=rating, case_id=rating.case_id, department_id=rating.department_id, hall_id=rating.hall_id,
        opened_at=now, verify_due_at=verify_due, reply_due_at=reply_due, deadline_provisional=p1 or p2)
    _log(bad, BadAction.OPEN, None, data={"verify_due_at": verify_due, "reply_due_at": reply_due})
    audit_log(actor=None, action="ratings.bad_case_open", obj=bad, new={"rating": rating.pk})
    case = rating.case
    alert_department_heads(
        department_id=bad.department_id, key=f"ratings:bad:{bad.pk}",
        title=f"收到差评：{case.number}",
        body=f"{case.version.name} 的{rating.get_service_event_display()}服务收到“{rating.get_level_display()}”评价，"
             f"请于 {timezone.localtime(verify_due):%Y-%m-%d %H:%M} 前核实。",
        url=bad_case_url(bad.pk))
    return bad


def _lock_bad(bad: BadRatingCase | int) -> BadRatingCase:
    pk = bad.pk if isinstance(bad, BadRatingCase) else bad
    return BadRatingCase.objects.select_for_update().select_related(
        "rating", "department__region", "case__applicant").get(pk=pk)


def _require(actor, roles, bad: BadRatingCase, message: str) -> None:
    if not has_role(actor, roles, bad.department):
        if not has_role(actor, READERS, bad.department):
            raise NotFound("未找到该差评整改记录。")
        raise PermissionDenied(message)


def _expect(bad: BadRatingCase, allowed, what: str) -> None:
    if bad.status not in allowed:
        raise Conflict(f"整改单当前状态为“{bad.get_status_display()}”，不能{what}。", code="invalid_transition")


def _resolve_cards(bad: BadRatingCase, stage: str | None) -> None:
    cards = RectificationCard.objects.filter(bad_case=bad, resolved_at__isnull=True)
    if stage is not None:
        cards = cards.filter(stage=stage)
    cards.update(resolved_at=timezone.now())


@transaction.atomic
def bad_case_verify(*, actor, bad_case: BadRatingCase, note: str) -> BadRatingCase:
    """核实: the department checks what happened (within RATINGS_VERIFY_DAYS working days)."""
    bad = _lock_bad(bad_case)
    _require(actor, HANDLERS, bad, "只有责任部门的工作人员可以核实差评。")
    _expect(bad, (BadCaseStatus.VERIFYING,), "核实")
    bad.verify_note = _text(note, "note", "请填写核实情况。")
    bad.verified_at, bad.verified_by = timezone.now(), actor
    bad.status = BadCaseStatus.RECTIFYING
    bad.save(update_fields=["verify_note", "verified_at", "verified_by", "status"])
    _resolve_cards(bad, CardStage.VERIFY)
    _log(bad, BadAction.VERIFY, actor, bad.verify_note, {"on_time": bad.verified_at <= bad.verify_due_at})
    audit_log(actor=actor, action="ratings.bad_case_verify", obj=bad, new={"status": bad.status})
    return bad


@transaction.atomic
def bad_case_reply(*, actor, bad_case: BadRatingCase, outcome: str, reply: str, changes: str = "") -> BadRatingCase:
    """整改反馈: rectified (with what was changed) or explained (no legal basis for the demand)."""
    bad = _lock_bad(bad_case)
    _require(actor, HANDLERS, bad, "只有责任部门的工作人员可以反馈整改情况。")
    _expect(bad, (BadCaseStatus.RECTIFYING,), "反馈整改情况（请先核实）")
    if outcome not in REPLY_OUTCOMES:
        raise ApplicationError("处理结果只能是“已整改”或“已解释说明”。", fields={"outcome": "无效的处理结果。"})
    reply = _text(reply, "reply", "请填写给申请人的反馈内容。")
    changes = _text(changes, "changes", "已整改的请写明整改措施。", required=outcome == Outcome.RECTIFIED)
    before = rollups.snapshot(bad.rating, bad)
    now = timezone.now()
    first = bad.replied_at is None
    bad.outcome, bad.reply, bad.changes = outcome, reply, changes
    bad.replied_at, bad.replied_by = now, actor
    if first:
        bad.replied_on_time = now <= bad.reply_due_at
    bad.status = BadCaseStatus.REPLIED
    bad.follow_up_due_at, p = _deadline(now, conf.follow_up_days())
    bad.deadline_provisional = bad.deadline_provisional or p
    bad.save(update_fields=["outcome", "reply", "changes", "replied_at", "replied_by", "replied_on_time", "status",
                            "follow_up_due_at", "deadline_provisional"])
    rollups.apply_change(bad.rating, before, bad)
    _resolve_cards(bad, CardStage.REPLY)
    _log(bad, BadAction.REPLY, actor, reply, {"outcome": outcome, "changes": changes, "round": bad.round,
                                              "on_time": now <= bad.reply_due_at})
    audit_log(actor=actor, action="ratings.bad_case_reply", obj=bad, new={"outcome": outcome, "round": bad.round})
    tell_applicant_of_reply(bad=bad)
    return bad


@transaction.atomic
def bad_case_appeal(*, actor, bad_case: BadRatingCase, reason: str) -> BadRatingCase:
    """申诉: the department contends the rating is malicious or mistaken; the hall manager or inspector reviews."""
    bad = _lock_bad(bad_case)
    _require(actor, HANDLERS, bad, "只有责任部门的工作人员可以提出申诉。")
    _expect(bad, (BadCaseStatus.VERIFYING, BadCaseStatus.RECTIFYING), "申诉")
    if bad.replied_at is not None or bad.appealed_at is not None:
        raise Conflict("每条差评只能申诉一次，且已反馈的差评不能再申诉。", code="appeal_not_allowed")
    bad.appeal_reason = _text(reason, "reason", "请写明申诉理由（恶意评价或误评的依据）。")
    bad.appealed_at = timezone.now()
    bad.status = BadCaseStatus.APPEALED
    bad.save(update_fields=["appeal_reason", "appealed_at", "status"])
    _log(bad, BadAction.APPEAL, actor, bad.appeal_reason)
    audit_log(actor=actor, action="ratings.bad_case_appeal", obj=bad, new={"status": bad.status})
    return bad


@transaction.atomic
def bad_case_decide_appeal(*, actor, bad_case: BadRatingCase, upheld: bool, comment: str) -> BadRatingCase:
    """申诉复核 by the hall manager or inspector. Upheld: the rating stays on record, out of the statistics."""
    bad = _lock_bad(bad_case)
    _require(actor, APPEAL_JUDGES, bad, "只有大厅管理员或电子监察员可以复核申诉。")
    _expect(bad, (BadCaseStatus.APPEALED,), "复核申诉")
    comment = _text(comment, "comment", "请填写复核意见。")
    rating = Rating.objects.select_for_update().get(pk=bad.rating_id)
    now = timezone.now()
    bad.appeal_upheld, bad.appeal_comment = bool(upheld), comment
    bad.appeal_decided_at, bad.appeal_decided_by = now, actor
    if upheld:
        before = rollups.snapshot(rating, bad)
        rating.excluded, rating.exported_at = True, None
        rating.save(update_fields=["excluded", "exported_at"])
        rollups.apply_change(rating, before, bad)
        bad.status, bad.outcome, bad.closed_at = BadCaseStatus.CLOSED, Outcome.APPEAL_UPHELD, now
        _resolve_cards(bad, None)
    else:
        bad.status = BadCaseStatus.RECTIFYING if bad.verified_at else BadCaseStatus.VERIFYING
    bad.save(update_fields=["appeal_upheld", "appeal_comment", "appeal_decided_at", "appeal_decided_by", "status",
                            "outcome", "closed_at"])
    _log(bad, BadAction.APPEAL_UPHELD if upheld else BadAction.APPEAL_REJECTED, actor, comment)
    audit_log(actor=actor, action="ratings.bad_case_decide_appeal", obj=bad, new={"upheld": bool(upheld)})
    return bad


@transaction.atomic
def bad_case_respond(*, bad_case: BadRatingCase, satisfied: bool, comment: str = "", actor=None,
                     via_token: bool = False) -> BadRatingCase:
    """The applicant says whether the rectification satisfies them; an unsatisfied first reply goes back once,
    escalated to the department head, with a new deadline."""
    bad = _lock_bad(bad_case)
    if not via_token and _rater(actor, bad.case) is None:
        raise NotFound("未找到该差评整改记录。")
    _expect(bad, (BadCaseStatus.REPLIED,), "评价整改结果")
    comment = _text(comment, "comment", "", required=False, limit=MAX_COMMENT)
    now = timezone.now()
    bad.applicant_satisfied, bad.applicant_comment, bad.applicant_responded_at = bool(satisfied), comment, now
    fields = ["applicant_satisfied", "applicant_comment", "applicant_responded_at", "status"]
    if satisfied or bad.round >= 2:
        bad.status = BadCaseStatus.FOLLOW_UP
        _log(bad, BadAction.SATISFIED if satisfied else BadAction.UNSATISFIED, actor, comment)
    else:
        region = bad.department.region.code if bad.department.region_id else ""
        bad.round, bad.escalated, bad.status = 2, True, BadCaseStatus.RECTIFYING
        bad.reply_due_at, p = _deadline(now, conf.rectify_days(region))
        bad.follow_up_due_at = None
        bad.deadline_provisional = bad.deadline_provisional or p
        fields += ["round", "escalated", "reply_due_at", "follow_up_due_at", "deadline_provisional"]
        _log(bad, BadAction.UNSATISFIED, actor, comment)
        _log(bad, BadAction.ESCALATE, None, "申请人对整改不满意，退回重新整改并升级督办。",
             {"reply_due_at": bad.reply_due_at})
    bad.save(update_fields=fields)
    audit_log(actor=_user(actor), action="ratings.bad_case_respond", obj=bad, new={"satisfied": bool(satisfied)})
    return bad


@transaction.atomic
def bad_case_follow_up(*, actor, bad_case: BadRatingCase, reached: bool, note: str,
                       satisfied: bool | None = None) -> BadRatingCase:
    """回访: a call to the applicant after the reply; closes the record."""
    bad = _lock_bad(bad_case)
    _require(actor, FOLLOW_UP_CALLERS + HANDLERS, bad, "您无权回访该差评。")
    _expect(bad, (BadCaseStatus.REPLIED, BadCaseStatus.FOLLOW_UP), "回访")
    note = _text(note, "note", "请填写回访记录。")
    before = rollups.snapshot(bad.rating, bad)
    now = timezone.now()
    bad.followed_up_at, bad.followed_up_by, bad.follow_up_reached, bad.follow_up_note = now, actor, bool(reached), note
    if satisfied is not None and bad.applicant_satisfied is None:
        bad.applicant_satisfied = bool(satisfied)
    bad.status, bad.closed_at = BadCaseStatus.CLOSED, now
    bad.save(update_fields=["followed_up_at", "followed_up_by", "follow_up_reached", "follow_up_note",
                            "applicant_satisfied", "status", "closed_at"])
    rollups.apply_change(bad.rating, before, bad)
    _resolve_cards(bad, None)
    _log(bad, BadAction.FOLLOW_UP, actor, note, {"reached": bool(reached), "satisfied": satisfied})
    audit_log(actor=actor, action="ratings.bad_case_follow_up", obj=bad, new={"reached": bool(reached)})
    return bad


def bad_cases_record_view(*, actor, bad_cases, reason: str = "") -> None:
    """Every staff read of a bad-rating case's personal data is audited: one AuditEvent per case shown, written
    in one INSERT (the same fields as core.audit.audit_log) so a list page costs the same whatever its length."""
    rows = [AuditEvent(actor=_user(actor), actor_label=_label(actor), action="ratings.bad_case_view",
                       object_type=BadRatingCase._meta.label_lower, object_id=str(bad.pk), object_repr=str(bad),
                       new_values={"fields": ["applicant"], "case": bad.case_id}, reason=reason,
                       request_id=current_request_id())
            for bad in bad_cases]
    if rows:
        AuditEvent.objects.bulk_create(rows)


# ------------------------------------------------------------------ window rating pad (评价器)

PAD_SALT = "onewindow.ratings.pad"


def pad_bind(*, actor, window_id) -> str:
    """Bind a browser to one of the actor's windows: the signed value of the pad cookie, and an audit row.
    Nothing else changes in the database; the cookie is the binding."""
    from .selectors import pad_windows_for_user

    window = pad_windows_for_user(actor).filter(pk=int(window_id) if str(window_id).isdigit() else 0).first()
    if window is None:
        raise ApplicationError("请选择本人所在大厅的一个窗口。", code="window", fields={"window": "请选择窗口。"})
    audit_log(actor=actor, action="ratings.pad_bind", obj=window, new={"window": window.pk})
    return signing.dumps({"w": window.pk, "by": actor.pk}, salt=PAD_SALT, compress=False)


def pad_unbind(*, actor, window=None) -> None:
    """The browser stops being this window's pad (the view deletes the cookie); audited."""
    audit_log(actor=actor, action="ratings.pad_unbind", obj=window, new={"window": getattr(window, "pk", None)})


# ------------------------------------------------------------------ periodic work

def overdue_scan(*, now: dt.datetime | None = None) -> dict:
    """Red cards for rectification steps past their stored due instants (indexed range queries). Idempotent."""
    now = now or timezone.now()
    made = {CardStage.VERIFY: 0, CardStage.REPLY: 0, CardStage.FOLLOW_UP: 0}
    checks = [
        (CardStage.VERIFY, "verify_due_at", (BadCaseStatus.VERIFYING,)),
        (CardStage.REPLY, "reply_due_at", (BadCaseStatus.VERIFYING, BadCaseStatus.RECTIFYING)),
        (CardStage.FOLLOW_UP, "follow_up_due_at", (BadCaseStatus.REPLIED, BadCaseStatus.FOLLOW_UP)),
    ]
    for stage, field, statuses in checks:
        due = BadRatingCase.objects.filter(status__in=statuses, **{f"{field}__lt": now}).exclude(
            cards__stage=stage).only("pk", "department_id", "round", field)
        for bad in due.iterator(chunk_size=500):
            if RectificationCard.objects.filter(bad_case=bad, stage=stage, round=bad.round).exists():
                continue
            try:
                with transaction.atomic():
                    RectificationCard.objects.create(bad_case=bad, stage=stage, round=bad.round,
                                                     department_id=bad.department_id,
                                                     deadline_at=getattr(bad, field), issued_at=getattr(bad, field))
                    _log(bad, BadAction.OVERDUE, None, data={"stage": stage, "deadline_at": getattr(bad, field)})
            except IntegrityError:
                continue
            made[stage] += 1
            alert_department_heads(
                department_id=bad.department_id, key=f"ratings:overdue:{bad.pk}:{stage}:{bad.round}",
                title=f"差评整改超期：{CardStage(stage).label}", url=bad_case_url(bad.pk),
                body=f"差评整改单 {bad.pk} 的“{CardStage(stage).label}”环节已超过期限，已生成红牌。")
    return {str(k): v for k, v in made.items()}


def invitations_expire(*, now: dt.datetime | None = None) -> dict:
    """Close invitations whose window passed; with RATINGS_DEFAULT_GOOD, an unrated whole case gets a
    默认好评 (channel `default`, reported separately from the ratings people gave)."""
    now = now or timezone.now()
    expired = RatingInvitation.objects.filter(closed_at__isnull=True, expires_at__lt=now)
    defaults = 0
    for invitation in expired.select_related("case").iterator(chunk_size=500):
        with transaction.atomic():
            inv = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
            if inv.closed_at is not None:
                continue
            inv.closed_at = now
            inv.save(update_fields=["closed_at"])
            if (conf.default_good() and inv.service_event == ServiceEvent.WHOLE_CASE
                    and not Rating.objects.filter(invitation=inv).exists()):
                case = invitation.case
                rating = Rating.objects.create(
                    invitation=inv, case=case, service_event=inv.service_event, level=Level.VERY_SATISFIED,
                    channel=RatingChannel.DEFAULT, applicant_id=case.applicant_id, real_name=False,
                    department_id=case.department_id, hall_id=case.hall_id, window_id=case.window_id,
                    staff_id=inv.staff_id, item_id=case.item_id, rated_at=inv.expires_at,
                    month=rollups.month_of(inv.expires_at), amend_until=inv.expires_at)
                rollups.apply_change(rating, None)
                defaults += 1
    return {"default_good": defaults}
