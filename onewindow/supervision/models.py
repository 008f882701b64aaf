"""电子监察: yellow and red cards, alerts, step limits and anomaly findings.

Cards and alerts are permanent records for assessment: never deleted; after issue only their
resolution fields change (resolved_at, late_by, escalated_at, alerted_at).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import STEP_LIMITED, AnomalyRule, CardLevel, CardStep, Verdict


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        raise RuntimeError("Supervision records are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RuntimeError("Supervision records are never deleted.")


OPEN_CARD = Q(resolved_at__isnull=True, escalated_at__isnull=True)


class Card(AppendOnlyModel):
    """黄牌 / 红牌: a case (or one of its steps) reached its warning or due instant."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="supervision_cards")
    level = models.CharField(_("级别"), max_length=8, choices=CardLevel.choices)
    step = models.CharField(_("环节"), max_length=12, choices=CardStep.choices, default=CardStep.CASE)
    issued_at = models.DateTimeField(_("亮牌时间"), help_text=_("达到预警或期限的时刻（不是扫描时刻）。"))
    deadline_at = models.DateTimeField(_("对应期限"), help_text=_("亮牌时该环节或办件的办结期限。"))
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    # Denormalised from the case for filtering without joins (department, hall, window, item never change).
    department = models.ForeignKey("org.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    hall = models.ForeignKey("org.Hall", verbose_name=_("大厅"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    window = models.ForeignKey("org.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", db_index=False)
    escalated_at = models.DateTimeField(_("转为红牌时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("结束时间"), null=True, blank=True,
                                       help_text=_("办件（或该环节）离开计时的时刻：办结、受理、不予受理、撤回、终止。"))
    late_by = models.DurationField(_("超期时长"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("预警发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监察亮牌")
        verbose_name_plural = _("监察亮牌")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level", "step"], name="supervision_card_unique"),
        ]
        indexes = [
            models.Index(fields=["department", "level", "-issued_at", "-id"], name="sup_card_dept"),
            models.Index(fields=["department", "level", "-issued_at", "-id"], condition=OPEN_CARD,
                         name="sup_card_dept_open"),
            models.Index(fields=["department", "-issued_at", "-id"], name="sup_card_dept_time"),  # both levels
            models.Index(fields=["level", "-issued_at", "-id"], name="sup_card_level"),
            models.Index(fields=["hall", "level", "-issued_at", "-id"], name="sup_card_hall"),
            models.Index(fields=["window", "level", "-issued_at", "-id"], name="sup_card_window"),
            models.Index(fields=["responsible", "level", "-issued_at", "-id"], name="sup_card_staff"),
            models.Index(fields=["item", "level", "-issued_at", "-id"], name="sup_card_item"),
            # The alert task reads only cards still waiting for their alert.
            models.Index(fields=["id"], name="sup_card_alert_due",
                         condition=Q(alerted_at__isnull=True, resolved_at__isnull=True, escalated_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_step_display()} {self.get_level_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.escalated_at is None


class Alert(AppendOnlyModel):
    """预警 sent for one card: to the responsible person and the department head(s). One per card."""

    card = models.OneToOneField(Card, verbose_name=_("亮牌"), on_delete=models.PROTECT, related_name="alert")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=8, choices=CardLevel.choices)
    step = models.CharField(_("环节"), max_length=12, choices=CardStep.choices, default=CardStep.CASE)
    recipients = models.JSONField(_("接收人"), default=list, blank=True, encoder=DjangoJSONEncoder)
    message = models.TextField(_("内容"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    delivered = models.BooleanField(_("已交通知服务"), default=False)

    class Meta:
        verbose_name = _("监察预警")
        verbose_name_plural = _("监察预警")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level", "step"], name="supervision_alert_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()} → {len(self.recipients)}"


class StepLimit(models.Model):
    """A step's own time limit: bureau-wide (no item) or for one item; the settings give the defaults."""

    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("留空表示适用于所有事项的默认值。"))
    step = models.CharField(_("环节"), max_length=12, choices=[(s.value, s.label) for s in STEP_LIMITED])
    working_days = models.PositiveSmallIntegerField(
        _("时限（工作日）"), validators=[MaxValueValidator(60)],
        help_text=_("0 表示当日（当天下班前）；1 表示次一个工作日下班前，依此类推。"))
    yellow_ratio = models.DecimalField(
        _("黄牌比例"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("剩余时间占该环节时限的比例达到此值时亮黄牌，如 0.20；留空则只亮红牌。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")
        ordering = ["step", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "step"], name="supervision_steplimit_unique_item"),
            models.UniqueConstraint(fields=["step"], condition=Q(item__isnull=True),
                                    name="supervision_steplimit_unique_default"),
        ]

    def __str__(self) -> str:
        return f"{self.item or _('默认')} · {self.get_step_display()} · {self.working_days}"


class Anomaly(AppendOnlyModel):
    """A sign of 体外循环 (work done off the platform), listed for inspectors to review."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="supervision_anomalies")
    rule = models.CharField(_("规则"), max_length=20, choices=AnomalyRule.choices)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作账号"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_index=False)
    department = models.ForeignKey("org.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    hall = models.ForeignKey("org.Hall", verbose_name=_("大厅"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    window = models.ForeignKey("org.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    occurred_at = models.DateTimeField(_("发生时间"))
    detail = models.JSONField(_("详情"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    verdict = models.CharField(_("核查结论"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    review_comment = models.TextField(_("核查说明"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异常办件")
        verbose_name_plural = _("异常办件")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule"], name="supervision_anomaly_unique"),
        ]
        indexes = [
            models.Index(fields=["department", "verdict", "-occurred_at", "-id"], name="sup_anomaly_dept"),
            models.Index(fields=["verdict", "-occurred_at", "-id"], name="sup_anomaly_verdict"),
            models.Index(fields=["account", "-occurred_at", "-id"], name="sup_anomaly_account"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_rule_display()}"


class ScanState(models.Model):
    """Watermarks of the periodic work (one row per kind): where the last run got to."""

    key = models.CharField(max_length=32, unique=True)
    through = models.DateTimeField(null=True, blank=True)
    full_through = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监察扫描进度")
        verbose_name_plural = _("监察扫描进度")

    def __str__(self) -> str:
        return f"{self.key}: {self.through}"
