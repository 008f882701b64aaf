"""What the applicant is told after each public step of their case.

Each text has a template key (SMS gateways send pre-registered templates: register one per key with the
parameters listed in docs/notifications.md), a title for the in-app message and e-mail subject, and a body
that is the in-app text, the e-mail text and the SMS text. Texts go to citizens in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from onewindow.cases.constants import Action, Decision, DeliveryMethod, SuspensionKind
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalogue.constants import TimeUnit


@dataclass
class Text:
    template: str
    title: str
    body: str
    params: dict


def short_date(value: dt.date | dt.datetime | None, today: dt.date | None = None) -> str:
    """9月30日; the year is added when it is not the current one (2026年1月5日)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    today = today or timezone.localdate()
    prefix = f"{value.year}年" if value.year != today.year else ""
    return f"{prefix}{value.month}月{value.day}日"


def _due(event: CaseEvent, case: Case) -> dt.datetime | None:
    raw = (event.clock or {}).get("due_at")
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and raw:
        return parse_datetime(raw)
    return case.due_at


def _clause(text: str) -> str:
    return (text or "").strip().rstrip("。.；;")


def _date(raw) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def text_for_event(event: CaseEvent) -> Text | None:
    """The message for a public event, or None for events the applicant is not told about."""
    case = event.case
    item = case.version.name
    number = case.number
    data = event.data or {}
    today = timezone.localtime(event.created_at).date()
    due = short_date(_due(event, case), today)
    due_clause = f"预计{due}前办结" if due else "将在承诺时限内办结"
    params = {"item": item, "number": number}
    action = event.action

    def text(key: str, title: str, body: str, **extra) -> Text:
        return Text(template=f"case_{key}", title=title, body=body, params={**params, **extra})

    if action == Action.SUBMIT:
        return text("submitted", "申请已提交", f"您的【{item}】申请已提交，办件编号{number}。我们将尽快审查，请留意办理进度通知。")
    if action == Action.ACCEPT:
        return text("accepted", "申请已受理", f"您的【{item}】申请已受理，办件编号{number}，{due_clause}。", due=due)
    if action == Action.ACCEPT_WITH_WAIVER:
        names = {str(w.spec_id): w.spec.name for w in case.waivers.select_related("spec")}
        waivers = sorted((data.get("waivers") or {}).items(), key=lambda kv: str(kv[1]))
        owed = "、".join(names.get(str(k), "容缺材料") for k, _ in waivers)
        by = short_date(_date(waivers[0][1]), today) if waivers else ""
        return text("accepted_waiver", "申请已容缺受理",
                    f"您的【{item}】申请已容缺受理，办件编号{number}，{due_clause}。请于{by}前补交：{owed}。",
                    due=due, materials=owed, supply_by=by)
    if action == Action.REFUSE:
        reason = _clause(event.comment)
        return text("refused", "申请不予受理",
                    f"您的【{item}】申请不予受理，理由：{reason}。详见《不予受理决定书》，办件编号{number}。", reason=reason)
    if action == Action.REQUEST_CORRECTION:
        names = "、".join(i.get("name", "") for i in data.get("items") or []) or _clause(event.comment) or "相关材料"
        return text("correction", "请补正材料",
                    f"您的【{item}】申请需要补正：{names}。请按《补正材料通知书》一次补齐后提交，办件编号{number}。",
                    materials=names)
    if action == Action.RESUBMIT:
        return text("resubmitted", "已收到补正材料", f"您的【{item}】申请已收到补正材料，我们将继续办理，办件编号{number}。")
    if action == Action.SUPPLY_WAIVED:
        return text("waiver_supplied", "已收到容缺材料", f"您的【{item}】申请已收到补交的容缺材料，办件编号{number}。")
    if action in (Action.DECIDE, Action.INSTANT):
        decision = data.get("decision") or case.decision
        if decision == Decision.DENY:
            reason = _clause(case.decision_reason or event.comment)
            return text("denied", "申请未获准予",
                        f"您的【{item}】申请经审查决定不予准予，理由：{reason}。详见《不予许可决定书》；如不服，可自收到决定书之日起"
                        f"六十日内申请行政复议，或六个月内提起行政诉讼。办件编号{number}。", reason=reason)
        if action == Action.INSTANT:
            return text("completed_instantly", "申请已当场办结", f"您的【{item}】申请已当场办结，办件编号{number}。")
        return text("approved", "申请已准予", f"您的【{item}】申请已审查通过，决定准予。详见《准予许可决定书》，办件编号{number}。")
    if action == Action.COMPLETE:
        result = case.version.result_name
        tail = f"{result}将按您选择的方式送达。" if result and case.decision == Decision.APPROVE else ""
        return text("completed", "申请已办结", f"您的【{item}】申请已办结，办件编号{number}。{tail}")
    if action == Action.DELIVER:
        method = data.get("method") or case.delivery_method
        tracking = data.get("tracking_number") or case.tracking_number
        how = {
            DeliveryMethod.MAIL: f"已免费邮寄，快递单号{tracking}" if tracking else "已免费邮寄",
            DeliveryMethod.ELECTRONIC: "已电子送达至您的网上办事大厅账户",
            DeliveryMethod.WINDOW: "已在窗口送达",
        }.get(method, "已送达")
        return text("delivered", "办理结果已送达", f"您的【{item}】申请办理结果{how}，办件编号{number}。", tracking=tracking)
    if action == Action.WITHDRAW:
        return text("withdrawn", "申请已撤回", f"您的【{item}】申请已撤回，办件编号{number}。")
    if action == Action.TERMINATE:
        reason = _clause(event.comment)
        return text("terminated", "办理已终止", f"您的【{item}】申请已终止办理，理由：{reason}。办件编号{number}。",
                    reason=reason)
    if action == Action.SUSPEND:
        kind = data.get("kind", "")
        label = str(SuspensionKind(kind).label) if kind in SuspensionKind.values else "特别程序"
        end = short_date(_date(data.get("expected_end")), today)
        until = f"，预计{end}前结束" if end else ""
        return text("suspended", f"进入{label}程序",
                    f"您的【{item}】申请需要进行{label}，所需时间不计入办理时限{until}。详见《特别程序告知书》，办件编号{number}。",
                    procedure=label, until=end)
    if action == Action.RESUME:
        return text("resumed", "特别程序已结束", f"您的【{item}】申请特别程序已结束，继续办理，{due_clause}。办件编号{number}。",
                    due=due)
    if action == Action.APPROVE_EXTENSION:
        unit = "工作日" if case.version.promised_days_unit == TimeUnit.WORKDAY else "日"
        days = data.get("days") or case.extension_days
        return text("extended", "办理期限延长",
                    f"您的【{item}】申请办理期限延长{days}个{unit}，{due_clause}。详见《延期通知书》，办件编号{number}。",
                    days=days, due=due)
    return None
