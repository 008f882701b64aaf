from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue.constants import SpecialProcedure


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待受理")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理（审查中）")
    SUSPENDED = "suspended", _("特别程序中")
    DECIDED = "decided", _("已决定")
    COMPLETED = "completed", _("已办结")
    DELIVERED = "delivered", _("已送达")
    REFUSED = "refused", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("已终止")


OPEN_STATUSES = {
    CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
}
# Statuses in which the legal clock runs (accepted and not yet completed).
CLOCK_RUNNING = {CaseStatus.ACCEPTED, CaseStatus.DECIDED}
FINAL_STATUSES = {CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED}


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    COMPANY = "company", _("法人")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上办事大厅")
    WINDOW = "window", _("窗口")
    MOBILE = "mobile", _("移动端")
    TERMINAL = "terminal", _("自助终端")
    API = "api", _("系统对接")


class Decision(models.TextChoices):
    APPROVE = "approve", _("准予")
    DENY = "deny", _("不予")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    MAIL = "mail", _("免费邮寄")
    ELECTRONIC = "electronic", _("电子送达")


class MaterialStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("合格")
    DEFECTIVE = "defective", _("需补正")
    WAIVED = "waived", _("容缺后补")


# 特别程序 that stop the clock (行政许可法 第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审): the
# catalogue's list of special procedures, less 现场核查, whose time counts toward the limit. One list, not two.
SuspensionKind = models.TextChoices(
    "SuspensionKind",
    [(p.name, (p.value, p.label)) for p in SpecialProcedure if p != SpecialProcedure.SITE_CHECK],
)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Action(models.TextChoices):
    """Case events: one per transition, also the applicant's timeline."""

    CREATE = "create", _("创建")
    SUBMIT = "submit", _("提交申请")
    ACCEPT = "accept", _("受理")
    ACCEPT_WITH_WAIVER = "accept_with_waiver", _("容缺受理")
    REFUSE = "refuse", _("不予受理")
    REQUEST_CORRECTION = "request_correction", _("一次性告知补正")
    RESUBMIT = "resubmit", _("补正提交")
    SUPPLY_WAIVED = "supply_waived", _("补交容缺材料")
    DECIDE = "decide", _("作出决定")
    COMPLETE = "complete", _("办结")
    INSTANT = "instant", _("即办办结")
    DELIVER = "deliver", _("送达")
    WITHDRAW = "withdraw", _("撤回申请")
    TERMINATE = "terminate", _("终止办理")
    SUSPEND = "suspend", _("启动特别程序")
    RESUME = "resume", _("特别程序结束")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("不批准延期")
    VISIT = "visit", _("到现场")
    VIEW_PERSONAL_DATA = "view_personal_data", _("查看个人信息")
