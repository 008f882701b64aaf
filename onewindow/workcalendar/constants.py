"""Day kinds, sources and the names of the statutory holidays (法定节假日)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    REST = "rest", _("休息日")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP = "makeup", _("调休上班")


# Kinds on which the office is open.
WORKING_KINDS = frozenset({DayKind.WORKDAY.value, DayKind.MAKEUP.value})
# Kinds that differ from the plain Monday–Friday week; only these reach the clock's snapshot.
EXCEPTION_KINDS = (DayKind.HOLIDAY.value, DayKind.MAKEUP.value)


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar 数据包")
    IMPORT = "import", _("年度导入")
    MANUAL = "manual", _("手工维护")


class DeadlineUnit(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    NATURAL = "natural", _("自然日")


# chinese_calendar names its holidays in English; what bureau staff read is Chinese.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# The API and the clock accept at most this many days (ten years), which keeps every answer bounded.
MAX_DAYS = 3650
