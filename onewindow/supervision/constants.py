from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.constants import CaseStatus, Channel
from onewindow.org.constants import Role


class CardLevel(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class CardStep(models.TextChoices):
    """What a card measures: the case's promised time, or one step's own limit."""

    CASE = "case", _("办结时限")
    ACCEPTANCE = "acceptance", _("窗口受理")
    PREREVIEW = "prereview", _("网上预审")


# Steps with a limit of their own (StepLimit rows and settings.SUPERVISION_STEP_LIMITS).
STEP_LIMITED = (CardStep.ACCEPTANCE, CardStep.PREREVIEW)


class AnomalyRule(models.TextChoices):
    """体外循环 signals: each rule explained in docs/supervision.md."""

    QUICK_DECISION = "quick_decision", _("受理后短时间内作出决定")
    NO_DECIDE_STEP = "no_decide_step", _("未经决定环节办结")
    BULK_ENTRY = "bulk_entry", _("集中批量补录受理")
    AFTER_HOURS = "after_hours", _("多次在工作时间外作出决定")


class Verdict(models.TextChoices):
    PENDING = "pending", _("待核查")
    EXPLAINED = "explained", _("已说明（正常）")
    CONFIRMED = "confirmed", _("确认违规")


class ReviewVerdict(models.TextChoices):
    """What an inspector may conclude (a subset of Verdict)."""

    EXPLAINED = Verdict.EXPLAINED.value, Verdict.EXPLAINED.label
    CONFIRMED = Verdict.CONFIRMED.value, Verdict.CONFIRMED.label


# The legal clock runs (cases.constants.CLOCK_RUNNING), listed for queries.
RUNNING_STATUSES = [CaseStatus.ACCEPTED, CaseStatus.DECIDED]
# Off the clock for good: open cards of such cases are resolved.
OFF_CLOCK_STATUSES = [CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN,
                      CaseStatus.TERMINATED]

# Which pre-acceptance step an application's channel goes through.
STEP_BY_CHANNEL = {
    Channel.WINDOW: CardStep.ACCEPTANCE,
    Channel.ONLINE: CardStep.PREREVIEW,
    Channel.MOBILE: CardStep.PREREVIEW,
    Channel.TERMINAL: CardStep.PREREVIEW,
    Channel.API: CardStep.PREREVIEW,
}

# Who may look at supervision data (each within their data scope) and who reviews anomalies.
SUPERVISORS = (Role.INSPECTOR, Role.HALL_MANAGER, Role.DEPARTMENT_HEAD, Role.ADMIN)
ANOMALY_REVIEWERS = (Role.INSPECTOR, Role.ADMIN)
