"""好差评 records. Ratings, amendments, bad-rating cases and their action log are never deleted
(the same guards as core.AuditEvent / cases.CaseEvent); rollups are counters kept in the rating's transaction."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import (
    BadAction,
    BadCaseStatus,
    CardStage,
    ExportStatus,
    Level,
    Outcome,
    RaterKind,
    RatingChannel,
    ServiceEvent,
)


class NeverDeletedQuerySet(models.QuerySet):
    def delete(self):
        raise RuntimeError("Rating records are never deleted.")


class NeverDeleted(models.Model):
    objects = NeverDeletedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RuntimeError("Rating records are never deleted.")


class AppendOnlyQuerySet(NeverDeletedQuerySet):
    def update(self, **kwargs):
        raise RuntimeError("Rating logs are append-only.")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Rating logs are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Rating logs are append-only.")


class RatingInvitation(NeverDeleted):
    """邀请评价: one per service event of a case; its signed token is the no-login rating link."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="rating_invitations")
    service_event = models.CharField(_("服务环节"), max_length=12, choices=ServiceEvent.choices)
    event_key = models.CharField(_("事件标识"), max_length=40, blank=True,
                                 help_text=_("办件事件编号；整体办件评价为空。"))
    case_event = models.ForeignKey("cases.CaseEvent", verbose_name=_("办件事件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # Who and where served (the pad shows the clerk; the rating is attributed to them).
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("服务人员"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("评价令牌"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("评价截止"), db_index=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True,
                                     help_text=_("已评价或评价期满的时刻。"))

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "service_event", "event_key"], name="ratings_one_invitation"),
        ]
        indexes = [models.Index(fields=["closed_at", "expires_at"], name="ratings_inv_open")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_service_event_display()}"


class Rating(NeverDeleted):
    """One rating of one service event. Level, options and comment change at most once (RatingAmendment)."""

    invitation = models.OneToOneField(RatingInvitation, verbose_name=_("评价邀请"), on_delete=models.PROTECT,
                                      related_name="rating")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="ratings")
    service_event = models.CharField(_("服务环节"), max_length=12, choices=ServiceEvent.choices)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    options = models.JSONField(_("评价选项"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=12, choices=RatingChannel.choices)
    # The rater: only for the record and, for bad ratings, the responsible department (never on stats).
    applicant = models.ForeignKey("cases.Applicant", verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="+")
    rater_kind = models.CharField(_("评价人身份"), max_length=10, choices=RaterKind.choices,
                                  default=RaterKind.APPLICANT)
    rater_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价账户"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    real_name = models.BooleanField(_("实名评价"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text=_("12345 热线话务员代录时填写。"))
    # Rated objects (denormalised from the case and the invitation; they never change).
    department = models.ForeignKey("org.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    hall = models.ForeignKey("org.Hall", verbose_name=_("大厅"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    window = models.ForeignKey("org.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("服务人员"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+")
    rated_at = models.DateTimeField(_("评价时间"), db_index=True)
    month = models.DateField(_("统计月份"), help_text=_("评价时间所在月份的第一天（本地时间）。"))
    amended_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    amend_until = models.DateTimeField(_("可修改至"))
    excluded = models.BooleanField(_("不计入统计"), default=False, help_text=_("申诉成立的差评：保留记录，不计入统计。"))
    exported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at", "-id"]
        indexes = [
            models.Index(fields=["department", "month"], name="ratings_rating_dept_month"),
            models.Index(fields=["id"], condition=Q(exported_at__isnull=True), name="ratings_rating_unexported"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_service_event_display()} {self.get_level_display()}"


class RatingAmendment(AppendOnly):
    """The one amendment of a rating, keeping what it said before."""

    rating = models.OneToOneField(Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="amendment")
    old_level = models.PositiveSmallIntegerField(_("原评价等级"), choices=Level.choices)
    old_options = models.JSONField(_("原评价选项"), default=list, blank=True)
    old_comment = models.TextField(_("原评价内容"), blank=True)
    new_level = models.PositiveSmallIntegerField(_("新评价等级"), choices=Level.choices)
    new_options = models.JSONField(_("新评价选项"), default=list, blank=True)
    new_comment = models.TextField(_("新评价内容"), blank=True)
    channel = models.CharField(_("修改渠道"), max_length=12, choices=RatingChannel.choices)
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价修改记录")
        verbose_name_plural = _("评价修改记录")

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.old_level} → {self.new_level}"


class BadRatingCase(NeverDeleted):
    """差评整改: opened by every bad rating, assigned to the responsible department (谁办理、谁负责)."""

    rating = models.OneToOneField(Rating, verbose_name=_("差评"), on_delete=models.PROTECT,
                                  related_name="bad_case")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("责任部门"), on_delete=models.PROTECT,
                                   related_name="+")
    hall = models.ForeignKey("org.Hall", verbose_name=_("大厅"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=BadCaseStatus.choices,
                              default=BadCaseStatus.VERIFYING)
    round = models.PositiveSmallIntegerField(_("整改轮次"), default=1)
    escalated = models.BooleanField(_("已升级督办"), default=False)
    opened_at = models.DateTimeField(_("生成时间"))
    # Deadlines are data (DESIGN.md §7): stored when set, never computed at read time.
    verify_due_at = models.DateTimeField(_("核实期限"))
    reply_due_at = models.DateTimeField(_("整改反馈期限"))
    follow_up_due_at = models.DateTimeField(_("回访期限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("期限待定（日历未配置）"), default=False)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verify_note = models.TextField(_("核实情况"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("反馈内容"), blank=True)
    changes = models.TextField(_("整改措施"), blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    replied_on_time = models.BooleanField(_("按期反馈"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appeal_decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    appeal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    appeal_upheld = models.BooleanField(_("申诉成立"), null=True, blank=True)
    appeal_comment = models.TextField(_("复核意见"), blank=True)
    applicant_satisfied = models.BooleanField(_("申请人对整改满意"), null=True, blank=True)
    applicant_comment = models.TextField(_("申请人意见"), blank=True)
    applicant_responded_at = models.DateTimeField(_("申请人评价时间"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    follow_up_reached = models.BooleanField(_("回访接通"), null=True, blank=True)
    follow_up_note = models.TextField(_("回访记录"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "-opened_at"], name="ratings_bad_dept"),
            models.Index(fields=["status", "verify_due_at"], name="ratings_bad_verify_due"),
            models.Index(fields=["status", "reply_due_at"], name="ratings_bad_reply_due"),
            models.Index(fields=["status", "follow_up_due_at"], name="ratings_bad_follow_due"),
        ]

    def __str__(self) -> str:
        return f"{_('差评整改')} {self.pk}"


class BadRatingAction(AppendOnly):
    """Every step of a bad-rating case, with who did it: the case's own trail."""

    bad_case = models.ForeignKey(BadRatingCase, verbose_name=_("差评整改"), on_delete=models.PROTECT,
                                 related_name="actions")
    action = models.CharField(_("动作"), max_length=16, choices=BadAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("差评整改记录")
        verbose_name_plural = _("差评整改记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.bad_case_id} {self.action}"


class RectificationCard(NeverDeleted):
    """红牌 for an overdue rectification step. Supervision's Card needs a case step, so ratings keeps its own
    cards in the same spirit (docs/ratings.md §Overdue): permanent, resolved when the step is done."""

    bad_case = models.ForeignKey(BadRatingCase, verbose_name=_("差评整改"), on_delete=models.PROTECT,
                                 related_name="cards")
    stage = models.CharField(_("环节"), max_length=12, choices=CardStage.choices)
    round = models.PositiveSmallIntegerField(_("整改轮次"), default=1)
    department = models.ForeignKey("org.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    deadline_at = models.DateTimeField(_("对应期限"))
    issued_at = models.DateTimeField(_("亮牌时间"))
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改超期亮牌")
        verbose_name_plural = _("整改超期亮牌")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bad_case", "stage", "round"], name="ratings_card_unique"),
        ]
        indexes = [models.Index(fields=["department", "-issued_at"], name="ratings_card_dept")]

    def __str__(self) -> str:
        return f"{self.bad_case_id} {self.get_stage_display()}"


class RatingRollup(models.Model):
    """Counters by dimension (department, window, staff, item, hall) × month × service event × level × channel.

    `key` is the id of the dimension's object (0 when the rating has none, e.g. an online case has no window);
    `department` is carried on every row so that scope filtering is one indexed column. Every rating, amendment,
    appeal outcome and bad-case step changes these counters in its own transaction (rollups.py).
    """

    dimension = models.CharField(max_length=12)
    key = models.BigIntegerField()
    department_id = models.BigIntegerField()
    month = models.DateField()
    service_event = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=12)
    rated = models.IntegerField(default=0)  # counted ratings (appeal upheld: moved to `excluded`)
    excluded = models.IntegerField(default=0)
    real_name = models.IntegerField(default=0)  # counted real-name ratings
    replied = models.IntegerField(default=0)  # bad ratings replied to (first reply)
    replied_on_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)  # real-name bad ratings with a follow-up call recorded

    class Meta:
        verbose_name = _("评价统计")
        verbose_name_plural = _("评价统计")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "month", "department_id", "key", "service_event", "level", "channel"],
                name="ratings_rollup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.month:%Y-%m} L{self.level} {self.channel} = {self.rated}"


class CompletedRollup(models.Model):
    """Completed cases by dimension × month (the denominator of 评价率), kept from case events."""

    dimension = models.CharField(max_length=12)
    key = models.BigIntegerField()
    department_id = models.BigIntegerField()
    month = models.DateField()
    completed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("办结统计")
        verbose_name_plural = _("办结统计")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "month", "department_id", "key"],
                                    name="ratings_completed_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.month:%Y-%m} = {self.completed}"


class CompletedCase(models.Model):
    """Which completed cases are already counted (the receiver may run twice for one event)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()

    class Meta:
        verbose_name = _("已计入的办结办件")
        verbose_name_plural = _("已计入的办结办件")

    def __str__(self) -> str:
        return f"{self.case_id} {self.month:%Y-%m}"


class ExportBatch(models.Model):
    """One POST of rating records to the provincial / national exchange, retried with backoff."""

    plugin = models.CharField(_("对接插件"), max_length=32)
    status = models.CharField(_("状态"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rating_ids = models.JSONField(_("评价编号"), default=list)
    payload = models.JSONField(_("报文"), default=dict, encoder=DjangoJSONEncoder)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    response = models.CharField(_("对方回执"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价数据报送")
        verbose_name_plural = _("评价数据报送")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="ratings_export_due")]

    def __str__(self) -> str:
        return f"{self.plugin} #{self.pk} {self.get_status_display()}"
