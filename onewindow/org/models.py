from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.core.identifiers import CreditCodeField

from .constants import DelegationMode, RegionKind, RegionLevel, Role, WindowKind

region_code_validator = RegexValidator(r"^\d{6}(\d{3}(\d{3})?)?$", _("行政区划代码应为 6、9 或 12 位数字（GB/T 2260）。"))


class Region(models.Model):
    """行政区划 by GB/T 2260 code (6 digits to county, 9 to township, 12 to village); parks too."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[region_code_validator])
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    kind = models.CharField(_("类别"), max_length=8, choices=RegionKind.choices, default=RegionKind.ADMINISTRATIVE)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """部门 / 实施主体: the body that legally owns items."""

    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = CreditCodeField(_("统一社会信用代码"), unique=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments")
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Hall(models.Model):
    """政务服务中心 (county) / 便民服务中心 (township) / 便民服务站 (village)."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="halls")
    address = models.CharField(_("地址"), max_length=200)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """窗口. A comprehensive window accepts any item in its scope (无差别受理)."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=16)
    name = models.CharField(_("窗口名称"), max_length=100)
    kind = models.CharField(_("窗口类型"), max_length=16, choices=WindowKind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="windows"
    )
    items = models.ManyToManyField(
        "catalogue.ServiceItem", verbose_name=_("可受理事项"), blank=True, related_name="windows"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="org_window_unique_number"),
            models.CheckConstraint(
                condition=Q(kind=WindowKind.COMPREHENSIVE) | Q(department__isnull=False),
                name="org_window_department_window_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} {self.number}号窗口 {self.name}"


class StaffRole(models.Model):
    """A staff member's role and its data scope: a department, a region (and below), or both."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff_roles"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff_roles"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_roles"
    )

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        scope = self.department or self.region or _("全局")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Delegations in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class Delegation(models.Model):
    """赋权: a county department's item handed to a township, village or park, in one of four modes."""

    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="delegations")
    region = models.ForeignKey(Region, verbose_name=_("承接区划"), on_delete=models.PROTECT, related_name="delegations")
    mode = models.CharField(_("赋权方式"), max_length=16, choices=DelegationMode.choices)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    document = models.CharField(_("赋权文件"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("赋权")
        verbose_name_plural = _("赋权")
        ordering = ["region__code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "region"], name="org_delegation_unique_item_region"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="org_delegation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.region}（{self.get_mode_display()}）"
