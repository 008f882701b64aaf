"""好差评: levels, service events, channels, bad-rating handling states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.constants import Action
from onewindow.org.constants import Role


class Level(models.IntegerChoices):
    """Five levels; 1 and 2 are 差评 (bad)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)


def is_bad(level: int) -> bool:
    return int(level) in BAD_LEVELS


class ServiceEvent(models.TextChoices):
    """一次一评 per service event; 一事一评 for the whole case when it completes."""

    CONSULT = "consult", _("咨询")
    ACCEPT = "accept", _("受理")
    CORRECT = "correct", _("补正")
    PAY = "pay", _("缴费")
    DELIVER = "deliver", _("送达")
    WHOLE_CASE = "whole_case", _("整体办件")


# Which case event opens which rating invitation (consult and pay have no case event yet: other apps call
# services.invitation_open for them).
EVENT_BY_ACTION = {
    Action.ACCEPT: ServiceEvent.ACCEPT,
    Action.ACCEPT_WITH_WAIVER: ServiceEvent.ACCEPT,
    Action.REQUEST_CORRECTION: ServiceEvent.CORRECT,
    Action.DELIVER: ServiceEvent.DELIVER,
    Action.COMPLETE: ServiceEvent.WHOLE_CASE,
    Action.INSTANT: ServiceEvent.WHOLE_CASE,
}
COMPLETION_ACTIONS = (Action.COMPLETE, Action.INSTANT)


class RatingChannel(models.TextChoices):
    WINDOW_PAD = "window_pad", _("窗口评价器")
    ONLINE = "online", _("网上评价")
    MOBILE_LINK = "mobile_link", _("短信链接")
    HOTLINE = "hotline", _("12345热线")
    DEFAULT = "default", _("默认好评")


class RaterKind(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    AGENT = "agent", _("代理人")


class BadCaseStatus(models.TextChoices):
    VERIFYING = "verifying", _("待核实")
    RECTIFYING = "rectifying", _("整改中")
    APPEALED = "appealed", _("申诉复核中")
    REPLIED = "replied", _("已反馈，待评价")
    FOLLOW_UP = "follow_up", _("待回访")
    CLOSED = "closed", _("已办结")


OPEN_BAD_STATUSES = (BadCaseStatus.VERIFYING, BadCaseStatus.RECTIFYING, BadCaseStatus.APPEALED,
                     BadCaseStatus.REPLIED, BadCaseStatus.FOLLOW_UP)


class Outcome(models.TextChoices):
    RECTIFIED = "rectified", _("核实属实，已整改")
    EXPLAINED = "explained", _("已解释说明（诉求无政策依据）")
    APPEAL_UPHELD = "appeal_upheld", _("申诉成立（恶意或误评）")


REPLY_OUTCOMES = (Outcome.RECTIFIED, Outcome.EXPLAINED)


class BadAction(models.TextChoices):
    OPEN = "open", _("生成整改单")
    VIEW = "view", _("查看申请人信息")
    VERIFY = "verify", _("核实")
    REPLY = "reply", _("整改反馈")
    APPEAL = "appeal", _("提出申诉")
    APPEAL_UPHELD = "appeal_upheld", _("申诉成立")
    APPEAL_REJECTED = "appeal_rejected", _("申诉不成立")
    SATISFIED = "satisfied", _("申请人对整改满意")
    UNSATISFIED = "unsatisfied", _("申请人对整改不满意")
    ESCALATE = "escalate", _("升级督办")
    FOLLOW_UP = "follow_up", _("回访")
    OVERDUE = "overdue", _("超期亮牌")


class CardStage(models.TextChoices):
    VERIFY = "verify", _("核实超期")
    REPLY = "reply", _("整改反馈超期")
    FOLLOW_UP = "follow_up", _("回访超期")


class StatsGroup(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    WINDOW = "window", _("窗口")
    STAFF = "staff", _("工作人员")
    ITEM = "item", _("事项")
    CHANNEL = "channel", _("评价渠道")
    HALL = "hall", _("大厅")
    MONTH = "month", _("月份")


# Rollup dimensions (every rating adds one row per dimension). Channel is a column of each row.
DIMENSIONS = ("department", "window", "staff", "item", "hall")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


# Who works on a department's bad-rating cases (谁办理、谁负责), who decides appeals, who reads stats.
HANDLERS = (Role.DEPARTMENT_HEAD, Role.REVIEWER, Role.CLERK)
APPEAL_JUDGES = (Role.HALL_MANAGER, Role.INSPECTOR)
FOLLOW_UP_CALLERS = (Role.HALL_MANAGER, Role.INSPECTOR, Role.DEPARTMENT_HEAD)
READERS = (Role.DEPARTMENT_HEAD, Role.REVIEWER, Role.CLERK, Role.HALL_MANAGER, Role.INSPECTOR, Role.ADMIN)
STATS_READERS = (Role.DEPARTMENT_HEAD, Role.HALL_MANAGER, Role.INSPECTOR, Role.ADMIN)
HOTLINE_OPERATORS = (Role.HALL_MANAGER, Role.ADMIN)
