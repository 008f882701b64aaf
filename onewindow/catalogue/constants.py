from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已废止")


class TimeUnit(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    NATURAL_DAY = "natural", _("自然日")


class HandlingType(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class ExerciseLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


class OnlineDepth(models.IntegerChoices):
    INFO = 1, _("Ⅰ级 办事指南公开")
    DOWNLOAD = 2, _("Ⅱ级 表格下载")
    PREREVIEW = 3, _("Ⅲ级 在线预审")
    FULL = 4, _("Ⅳ级 全程网办")


class HandlingForm(models.TextChoices):
    WINDOW = "window", _("窗口办理")
    ONLINE_AND_WINDOW = "online_and_window", _("网上办理、窗口办理")
    ONLINE = "online", _("全程网上办理")


class CrossRegionScope(models.TextChoices):
    NONE = "none", _("不支持通办")
    COUNTY = "county", _("全县通办")
    CITY = "city", _("全市通办")
    PROVINCE = "province", _("全省通办")
    NATIONAL = "national", _("跨省通办")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("证照")
    APPROVAL = "approval", _("批文")
    RECORD = "record", _("登记/备案结果")
    OTHER = "other", _("其他")


class SpecialProcedure(models.TextChoices):
    HEARING = "hearing", _("听证")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    SITE_CHECK = "site_check", _("现场核查")


class StepKind(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    DECIDE = "decide", _("决定")
    COMPLETE = "complete", _("办结")
    DELIVER = "deliver", _("送达")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    CONDITIONAL = "conditional", _("情形必要")
    WAIVABLE = "waivable", _("容缺")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "original_and_copy", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子件")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT = "government", _("政府部门核发")
    INTERMEDIARY = "intermediary", _("中介机构出具")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("法人")


class ListKind(models.TextChoices):
    """Published lists (清单) that bureaus must put on the web."""

    POWERS = "powers", _("权责清单")
    LICENSING = "licensing", _("行政许可事项清单")
    PUBLIC_SERVICE = "public-service", _("公共服务事项清单")
    FEES = "fees", _("收费目录清单")
    WAIVABLE = "waivable", _("容缺受理事项清单")


# National item type codes (事项类型). The ItemType table is seeded with these and stays editable.
# The names are marked for the English catalogue; pages show them with {% translate %}, so a renamed type
# falls back to its stored name.
ITEM_TYPE_SEED = [
    ("01", gettext_noop("行政许可"), True),
    ("02", gettext_noop("行政处罚"), True),
    ("03", gettext_noop("行政强制"), True),
    ("04", gettext_noop("行政征收"), True),
    ("05", gettext_noop("行政给付"), True),
    ("06", gettext_noop("行政检查"), True),
    ("07", gettext_noop("行政确认"), True),
    ("08", gettext_noop("行政奖励"), True),
    ("09", gettext_noop("行政裁决"), True),
    ("10", gettext_noop("其他行政权力"), True),
    ("20", gettext_noop("公共服务"), False),
]
LICENSING_TYPE_CODE = "01"
PUBLIC_SERVICE_TYPE_CODE = "20"
