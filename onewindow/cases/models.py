"""办件: one application of one item version by one applicant, with its materials, events and clock."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.core.identifiers import CreditCodeField, ResidentIdField, mask_id

from .constants import (
    Action,
    ApplicantKind,
    CaseStatus,
    Channel,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    MaterialStatus,
    SuspensionKind,
)


class Applicant(models.Model):
    """申请人: a natural person (居民身份证) or a legal person (统一社会信用代码)."""

    kind = models.CharField(_("申请人类型"), max_length=8, choices=ApplicantKind.choices)
    name = models.CharField(_("姓名/名称"), max_length=200)
    id_number = ResidentIdField(_("居民身份证号码"), blank=True)
    credit_code = CreditCodeField(_("统一社会信用代码"), blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("联系地址"), max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("网上账户"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="applicants")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=Q(kind=ApplicantKind.PERSON),
                                    name="cases_applicant_unique_person"),
            models.UniqueConstraint(fields=["credit_code"], condition=Q(kind=ApplicantKind.COMPANY),
                                    name="cases_applicant_unique_company"),
            models.CheckConstraint(
                condition=(Q(kind=ApplicantKind.PERSON) & ~Q(id_number=""))
                | (Q(kind=ApplicantKind.COMPANY) & ~Q(credit_code="")),
                name="cases_applicant_has_identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.id_number if self.kind == ApplicantKind.PERSON else self.credit_code

    @property
    def identifier_masked(self) -> str:
        return mask_id(self.identifier)


class CaseNumberSequence(models.Model):
    """Per region and day counter for readable case numbers; locked row, so numbers never repeat."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "day"], name="cases_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.region_code}-{self.day:%Y%m%d}:{self.last}"


class Case(models.Model):
    number = models.CharField(_("办件编号"), max_length=40, unique=True)
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="cases")
    version = models.ForeignKey("catalogue.ItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT,
                                related_name="cases")
    # Denormalised from the item for data scope and supervision queries (department and region never change).
    department = models.ForeignKey("org.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT,
                                   related_name="cases")
    region = models.ForeignKey("org.Region", verbose_name=_("受理区划"), on_delete=models.PROTECT,
                               related_name="cases")
    hall = models.ForeignKey("org.Hall", verbose_name=_("受理大厅"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases")
    window = models.ForeignKey("org.Window", verbose_name=_("受理窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="cases")
    agent_name = models.CharField(_("代办人"), max_length=64, blank=True)
    agent_id_number = ResidentIdField(_("代办人身份证号码"), blank=True)
    agent_phone = models.CharField(_("代办人电话"), max_length=20, blank=True)
    assisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("帮代办员"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("申请渠道"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT,
                              db_index=True)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("决定"), max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_basis = models.TextField(_("决定依据"), blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    closed_reason = models.TextField(_("不予受理/撤回/终止理由"), blank=True)

    delivery_method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True)
    delivery_address = models.CharField(_("邮寄地址"), max_length=300, blank=True)
    tracking_number = models.CharField(_("快递单号"), max_length=40, blank=True)

    # The clock (DESIGN.md §7): stored when it starts, pauses, resumes or is extended.
    due_at = models.DateTimeField(_("办结期限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("期限待定（日历未配置）"), default=False)
    paused_at = models.DateTimeField(_("计时暂停于"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    visits = models.PositiveSmallIntegerField(_("到现场次数"), default=0)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"]),
            models.Index(fields=["status", "warn_at"]),
            models.Index(fields=["applicant", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="cases_case_idempotency"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseMaterial(models.Model):
    """One uploaded file for one material slot of the version."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    spec = models.ForeignKey("catalogue.MaterialSpec", verbose_name=_("材料"), on_delete=models.PROTECT,
                             related_name="+")
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/", blank=True)
    # Received as paper at the window (the clerk ticked it); no file then.
    on_paper = models.BooleanField(_("纸质材料已收"), default=False)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=MaterialStatus.choices,
                              default=MaterialStatus.SUBMITTED)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    superseded = models.BooleanField(_("已被替换"), default=False)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["spec__sort", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name or str(self.spec)


class CaseEvent(models.Model):
    """Immutable record of every transition: the audit trail of the case and the applicant's timeline."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=24, blank=True)
    action = models.CharField(_("动作"), max_length=24, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    clock = models.JSONField(_("计时快照"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    public = models.BooleanField(_("申请人可见"), default=True)

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Case events are append-only.")


class CorrectionNotice(models.Model):
    """补正材料通知: ONE notice listing every missing or defective material."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="correction_notices")
    items = models.JSONField(_("补正内容"), default=list)  # [{"spec_id", "name", "reason"}]
    comment = models.TextField(_("其他说明"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("告知时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("补正时间"), null=True, blank=True)
    during_review = models.BooleanField(_("受理后补正"), default=False)

    class Meta:
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.case} 补正"


class Pause(models.Model):
    """Ledger of clock pauses: corrections during review and special procedures (特别程序)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=16)  # "correction" or a SuspensionKind value
    reason = models.TextField(_("原因"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    expected_end = models.DateField(_("预计结束"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True), name="cases_one_open_pause"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"

    @property
    def kind_label(self) -> str:
        if self.kind == "correction":
            return str(_("补正"))
        return str(SuspensionKind(self.kind).label) if self.kind in SuspensionKind.values else self.kind


class Extension(models.Model):
    """延期: requested by the reviewer, approved once by the department head."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(_("状态"), max_length=12, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"


class WaiverPromise(models.Model):
    """容缺受理: the applicant's promise to supply a waived material by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="waivers")
    spec = models.ForeignKey("catalogue.MaterialSpec", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("补交期限"))
    supplied_at = models.DateTimeField(_("补交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺承诺")
        verbose_name_plural = _("容缺承诺")
        constraints = [models.UniqueConstraint(fields=["case", "spec"], name="cases_waiver_unique")]

    def __str__(self) -> str:
        return f"{self.case} {self.spec}"


class Commitment(models.Model):
    """告知承诺: the applicant's signed commitment, recorded for the later check."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="commitment")
    text = models.TextField(_("承诺内容"))
    signed_name = models.CharField(_("承诺人"), max_length=64)
    signed_at = models.DateTimeField(_("承诺时间"))
    check_due = models.DateField(_("核查期限"), null=True, blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("告知承诺")
        verbose_name_plural = _("告知承诺")

    def __str__(self) -> str:
        return f"{self.case} 承诺"
