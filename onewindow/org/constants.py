from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")


class RegionKind(models.TextChoices):
    ADMINISTRATIVE = "admin", _("行政区划")
    PARK = "park", _("园区")


class WindowKind(models.TextChoices):
    DEPARTMENT = "department", _("部门窗口")
    COMPREHENSIVE = "comprehensive", _("综合窗口")


class Role(models.TextChoices):
    CLERK = "clerk", _("窗口人员")
    REVIEWER = "reviewer", _("审批人员")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    HALL_MANAGER = "hall_manager", _("大厅管理员")
    INSPECTOR = "inspector", _("电子监察员")
    AGENT_HELPER = "agent_helper", _("帮代办员")
    CATALOGUE_EDITOR = "catalogue_editor", _("事项编辑员")
    ADMIN = "admin", _("系统管理员")


class DelegationMode(models.TextChoices):
    DIRECT = "direct", _("直接赋权")
    ENTRUSTED = "entrusted", _("委托行使")
    FRONT_DESK_ONLY = "front_desk_only", _("服务前移")
    REPORT_UP = "report_up", _("审批直报")


# Which levels a delegation may go to: townships, villages (服务前移 to 便民服务站) and parks.
DELEGATION_TARGET_LEVELS = {RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}
