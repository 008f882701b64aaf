"""The catalogue: items (stable identity) and their versions (all elements, immutable once published)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constants import (
    Audience,
    CrossRegionScope,
    ExerciseLevel,
    HandlingForm,
    HandlingType,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    ResultType,
    StepKind,
    TimeUnit,
    VersionStatus,
)


class ItemType(models.Model):
    """事项类型: a configurable dictionary seeded with the national codes."""

    code = models.CharField(_("类型代码"), max_length=4, unique=True)
    name = models.CharField(_("类型名称"), max_length=32)
    is_power = models.BooleanField(_("属于行政权力"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("事项类型")
        verbose_name_plural = _("事项类型")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A life event (个人) or business event (法人) theme for browsing the catalogue."""

    code = models.SlugField(_("主题代码"), max_length=40, unique=True)
    name = models.CharField(_("主题名称"), max_length=32)
    audience = models.CharField(_("服务对象"), max_length=8, choices=Audience.choices)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["audience", "sort", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """政务服务事项: the identity that versions implement. Codes never change."""

    implementation_code = models.CharField(_("实施编码"), max_length=60, unique=True)
    basic_code = models.CharField(_("基本编码"), max_length=40, db_index=True)
    # The published name (or the first draft's, before anything is published): lists need no join.
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="items"
    )
    published_version = models.OneToOneField(
        "ItemVersion", verbose_name=_("现行版本"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    popularity = models.PositiveIntegerField(_("热度"), default=0, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["implementation_code"]
        indexes = [models.Index(fields=["id"], include=["popularity"], name="catalogue_item_pop_cover")]

    def __str__(self) -> str:
        return self.name or self.implementation_code


class ItemVersion(models.Model):
    """实施清单 of one item at one time: every element of the standard guide."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT,
                              db_index=True)
    change_summary = models.CharField(_("修订说明"), max_length=500, blank=True)

    # Basic elements
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.ForeignKey(ItemType, verbose_name=_("事项类型"), on_delete=models.PROTECT, related_name="+")
    legal_basis = models.TextField(_("设定依据"), blank=True)
    exercise_level = models.CharField(_("行使层级"), max_length=16, choices=ExerciseLevel.choices,
                                      default=ExerciseLevel.COUNTY)
    for_person = models.BooleanField(_("服务对象：自然人"), default=False)
    for_company = models.BooleanField(_("服务对象：法人"), default=False)
    acceptance_conditions = models.TextField(_("受理条件"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True,
                                help_text=_("空格分隔，供搜索使用，如：餐饮 饭店 小吃"))
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), blank=True, related_name="versions")

    # Time limits
    legal_days = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    legal_days_unit = models.CharField(_("法定时限单位"), max_length=8, choices=TimeUnit.choices,
                                       default=TimeUnit.WORKDAY)
    promised_days = models.PositiveIntegerField(_("承诺办结时限"), default=0)
    promised_days_unit = models.CharField(_("承诺时限单位"), max_length=8, choices=TimeUnit.choices,
                                          default=TimeUnit.WORKDAY)
    time_limit_note = models.CharField(_("时限说明"), max_length=500, blank=True)
    handling_type = models.CharField(_("办件类型"), max_length=8, choices=HandlingType.choices)
    special_procedures = models.JSONField(_("特别程序"), default=list, blank=True)
    special_procedure_note = models.CharField(_("特别程序说明"), max_length=500, blank=True)

    # How and where
    handling_form = models.CharField(_("办理形式"), max_length=20, choices=HandlingForm.choices,
                                     default=HandlingForm.ONLINE_AND_WINDOW)
    place = models.CharField(_("办理地点"), max_length=300, blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    visits_required = models.PositiveSmallIntegerField(_("到办事现场次数"), default=1,
                                                       validators=[MaxValueValidator(9)])
    online_depth = models.PositiveSmallIntegerField(_("网上办理深度"), choices=OnlineDepth.choices,
                                                    default=OnlineDepth.PREREVIEW,
                                                    validators=[MinValueValidator(1), MaxValueValidator(4)])
    supports_appointment = models.BooleanField(_("支持预约办理"), default=False)
    supports_mail_delivery = models.BooleanField(_("支持物流快递"), default=False)
    supports_online_payment = models.BooleanField(_("支持网上支付"), default=False)
    supports_self_service = models.BooleanField(_("支持自助终端办理"), default=False)
    cross_region_scope = models.CharField(_("通办范围"), max_length=16, choices=CrossRegionScope.choices,
                                          default=CrossRegionScope.NONE)
    has_fee = models.BooleanField(_("是否收费"), default=False)

    # Result
    result_type = models.CharField(_("审批结果类型"), max_length=16, choices=ResultType.choices,
                                   default=ResultType.CERTIFICATE)
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    result_sample = models.FileField(_("审批结果样本"), upload_to="catalogue/samples/", blank=True)

    # Contacts
    consult_phone = models.CharField(_("咨询电话"), max_length=100, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=100, blank=True)

    # Schema of the application form (JSON Schema); cases validate their form data against it.
    form_schema = models.JSONField(_("申请表单结构"), default=dict, blank=True)

    # Workflow
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编辑人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalogue_version_unique_number"),
            models.UniqueConstraint(fields=["item"], condition=Q(status=VersionStatus.PUBLISHED),
                                    name="catalogue_version_one_published"),
            models.UniqueConstraint(fields=["item"],
                                    condition=Q(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]),
                                    name="catalogue_version_one_open_draft"),
            # 承诺时限 ≤ 法定时限 whenever both are in the same unit (the quality rules handle mixed units).
            models.CheckConstraint(
                condition=Q(legal_days__isnull=True) | ~Q(legal_days_unit=F("promised_days_unit"))
                | Q(promised_days__lte=F("legal_days")),
                name="catalogue_version_promised_le_legal",
            ),
            models.CheckConstraint(condition=Q(online_depth__gte=1, online_depth__lte=4),
                                   name="catalogue_version_online_depth_range"),
        ]
        indexes = [
            models.Index(fields=["status", "item"]),
            # Ranking joins read id, item and name of published versions from the index (bench/README.md).
            models.Index(fields=["id"], include=["item", "name"], condition=Q(status="published"),
                         name="catalogue_ver_published_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版）"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def time_reduction_rate(self) -> float | None:
        """时限压缩率 = 1 − promised/legal, when both use the same unit."""
        if not self.legal_days or self.legal_days_unit != self.promised_days_unit:
            return None
        return round(1 - self.promised_days / self.legal_days, 4)

    @property
    def audience_label(self) -> str:
        parts = [str(_("自然人"))] if self.for_person else []
        if self.for_company:
            parts.append(str(_("法人")))
        return str(_("、")).join(parts)


class MaterialSpec(models.Model):
    """申请材料: one document the applicant must bring or upload."""

    version = models.ForeignKey(ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="materials")
    sort = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    necessity = models.CharField(_("必要性"), max_length=16, choices=Necessity.choices, default=Necessity.REQUIRED)
    condition = models.CharField(_("适用情形"), max_length=300, blank=True)
    form = models.CharField(_("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("份数"), default=1)
    source = models.CharField(_("来源渠道"), max_length=16, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    issuing_body = models.CharField(_("出具单位"), max_length=200, blank=True)
    certificate_type = models.CharField(_("可替代的电子证照类型"), max_length=100, blank=True)
    acceptance_standard = models.CharField(_("受理标准"), max_length=500, blank=True)
    blank_form = models.FileField(_("空白表格"), upload_to="catalogue/forms/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalogue/samples/", blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version_id", "sort", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(necessity=Necessity.CONDITIONAL) | ~Q(condition=""),
                                   name="catalogue_material_conditional_has_condition"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reusable(self) -> bool:
        """免提交: an electronic certificate can stand in for the paper."""
        return bool(self.certificate_type)


class Step(models.Model):
    """办理环节 with its share of the promised time."""

    version = models.ForeignKey(ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="steps")
    sort = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("环节"), max_length=16, choices=StepKind.choices)
    name = models.CharField(_("环节名称"), max_length=100, blank=True)
    days = models.DecimalField(_("环节时限"), max_digits=5, decimal_places=1, default=0)
    handler = models.CharField(_("办理人员"), max_length=100, blank=True)
    standard = models.CharField(_("审查标准"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["version_id", "sort", "id"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class Fee(models.Model):
    """收费项目: every fee needs its legal basis."""

    version = models.ForeignKey(ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="fees")
    sort = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("收费项目"), max_length=200)
    standard = models.CharField(_("收费标准"), max_length=300)
    basis = models.CharField(_("收费依据"), max_length=500, blank=True)
    reducible = models.BooleanField(_("可减免"), default=False)
    note = models.CharField(_("减免说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        ordering = ["version_id", "sort", "id"]

    def __str__(self) -> str:
        return self.name


class Faq(models.Model):
    version = models.ForeignKey(ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="faqs")
    sort = models.PositiveSmallIntegerField(_("序号"), default=0)
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["version_id", "sort", "id"]

    def __str__(self) -> str:
        return self.question


class SearchTerm(models.Model):
    """Inverted index of published versions: one row per (version, term) with its best weight.

    Built when a version is published (jieba segmentation + pinyin initials), so a search is one
    indexed query that works the same on PostgreSQL and SQLite.
    """

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=64, db_index=True)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("搜索词")
        verbose_name_plural = _("搜索词")
        constraints = [models.UniqueConstraint(fields=["version", "term"], name="catalogue_searchterm_unique")]
        # Candidates and scores come from the index alone (index-only scan).
        indexes = [models.Index(fields=["term", "weight", "version"], name="catalogue_st_term_weight_ver")]

    def __str__(self) -> str:
        return f"{self.term}×{self.weight}"
