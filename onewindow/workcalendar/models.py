"""The working-day calendar: one row per day, and one row per year saying whether the year is configured.

A year is *configured* when its CalendarYear row is complete. Deadlines that touch a year that is not
configured are still computed (Monday–Friday plus any days already entered) but marked provisional.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CalendarSource, DayKind


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    is_complete = models.BooleanField(
        _("已配置完成"), default=False,
        help_text=_("勾选后该年度的办理期限不再是“临时”期限；请先录入全部法定节假日和调休上班日。"),
    )
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.MANUAL)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1900, year__lte=9999), name="workcalendar_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    holiday_name = models.CharField(
        _("节日名称"), max_length=60, blank=True,
        help_text=_("法定节假日的名称；调休上班日填写所补的节日，如“国庆节”。"),
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.MANUAL)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        indexes = [models.Index(fields=["kind", "date"], name="workcalendar_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="workcalendar_day_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=[DayKind.HOLIDAY, DayKind.MAKEUP]) | ~models.Q(holiday_name=""),
                name="workcalendar_day_named",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label}{f'（{self.holiday_name}）' if self.holiday_name else ''}"

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)
