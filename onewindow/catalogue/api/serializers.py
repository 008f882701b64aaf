"""Read-only representations of the public catalogue.

Every choice is given twice: the stable value (``handling_type: "instant"``) for programs and a
``<field>_label`` companion (``handling_type_label: "即办件"``) in the request's language for people.
Serializers only read attributes the selectors already fetched: they never query.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onewindow.api.schema import EnumField
from onewindow.org.constants import DelegationMode, RegionKind, RegionLevel

from ..constants import (
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
    SpecialProcedure,
    StepKind,
    TimeUnit,
)


def choice(choices_class, **kwargs) -> EnumField:
    return EnumField(choices_class, read_only=True, **kwargs)


def label(field: str, **kwargs) -> serializers.CharField:
    """The display text of a choice field (``get_<field>_display``)."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True, **kwargs)


# Dictionaries ---------------------------------------------------------------------------------


class ItemTypeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="事项类型代码（国家统一），如 01。")
    name = serializers.CharField(help_text="事项类型名称，如 行政许可。")
    is_power = serializers.BooleanField(help_text="属于行政权力（否则为公共服务）。")


class ItemTypeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ThemeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="主题代码。")
    name = serializers.CharField(help_text="主题名称。")
    audience = choice(Audience)
    audience_label = label("audience")


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="行政区划代码（GB/T 2260）。")
    name = serializers.CharField()
    level = choice(RegionLevel)
    level_label = label("level")


class RegionSerializer(RegionRefSerializer):
    kind = choice(RegionKind)
    kind_label = label("kind")
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None,
                                        help_text="上级区划代码；最高一级为 null。")


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class DepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="部门编号，用作事项查询的 department 参数。")
    name = serializers.CharField()
    short_name = serializers.CharField()
    credit_code = serializers.CharField(help_text="统一社会信用代码。")
    phone = serializers.CharField()
    address = serializers.CharField()
    region = RegionRefSerializer()


# Items ----------------------------------------------------------------------------------------


class ItemSummarySerializer(serializers.Serializer):
    """One row of the item search: enough for a result list, without the guide's children."""

    implementation_code = serializers.CharField(source="item.implementation_code", help_text="实施编码。")
    basic_code = serializers.CharField(source="item.basic_code", help_text="基本编码。")
    name = serializers.CharField(help_text="事项名称。")
    version = serializers.IntegerField(source="number", help_text="现行版本号。")
    item_type = ItemTypeRefSerializer()
    department = DepartmentRefSerializer(source="item.department")
    for_person = serializers.BooleanField(help_text="服务对象含自然人。")
    for_company = serializers.BooleanField(help_text="服务对象含法人。")
    audience_label = serializers.CharField(help_text="服务对象，如 自然人、法人。")
    handling_type = choice(HandlingType)
    handling_type_label = label("handling_type")
    legal_days = serializers.IntegerField(allow_null=True, help_text="法定办结时限；null 表示无法定时限。")
    legal_days_unit = choice(TimeUnit)
    legal_days_unit_label = label("legal_days_unit")
    promised_days = serializers.IntegerField(help_text="承诺办结时限；0 表示即办。")
    promised_days_unit = choice(TimeUnit)
    promised_days_unit_label = label("promised_days_unit")
    online_depth = choice(OnlineDepth, help_text="网上办理深度 1–4。")
    online_depth_label = label("online_depth")
    visits_required = serializers.IntegerField(help_text="到办事现场次数；0 为零跑动。")
    has_fee = serializers.BooleanField()
    url = serializers.SerializerMethodField(help_text="该事项办事指南的 API 地址。")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version) -> str:
        path = reverse("catalogue-api:item-detail", kwargs={"implementation_code": version.item.implementation_code})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ItemPageSerializer(serializers.Serializer):
    """One page of items. No total count: `has_next` says whether another page follows."""

    results = ItemSummarySerializer(many=True)
    page = serializers.IntegerField(help_text="当前页码。")
    page_size = serializers.IntegerField(help_text="每页条数。")
    has_next = serializers.BooleanField(help_text="是否还有下一页。")
    next = serializers.URLField(allow_null=True, help_text="下一页的完整地址；没有则为 null。")
    previous = serializers.URLField(allow_null=True, help_text="上一页的完整地址；没有则为 null。")


class MaterialSerializer(serializers.Serializer):
    sort = serializers.IntegerField(help_text="序号。")
    name = serializers.CharField()
    necessity = choice(Necessity, help_text="必要性：required 必要，conditional 情形必要，waivable 容缺。")
    necessity_label = label("necessity")
    condition = serializers.CharField(help_text="适用情形（情形必要的材料）。")
    form = choice(MaterialForm)
    form_label = label("form")
    count = serializers.IntegerField(help_text="份数。")
    source = choice(MaterialSource)
    source_label = label("source")
    issuing_body = serializers.CharField(help_text="出具单位。")
    certificate_type = serializers.CharField(help_text="可替代的电子证照类型；空表示不能免提交。")
    reusable = serializers.BooleanField(source="is_reusable", help_text="免提交：可用电子证照或共享数据代替。")
    acceptance_standard = serializers.CharField(help_text="受理标准。")
    blank_form = serializers.FileField(use_url=True, allow_null=True, help_text="空白表格下载地址；没有为 null。")
    sample = serializers.FileField(use_url=True, allow_null=True, help_text="示例样表下载地址；没有为 null。")


class StepSerializer(serializers.Serializer):
    sort = serializers.IntegerField()
    kind = choice(StepKind)
    kind_label = label("kind")
    name = serializers.SerializerMethodField(help_text="环节名称；未单独命名时为环节类型的名称。")
    days = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False,
                                    help_text="环节时限（与承诺时限同单位）。")
    handler = serializers.CharField(help_text="办理人员（岗位）。")
    standard = serializers.CharField(help_text="审查标准。")

    def get_name(self, step) -> str:
        return step.name or step.get_kind_display()


class FeeSerializer(serializers.Serializer):
    sort = serializers.IntegerField()
    name = serializers.CharField(help_text="收费项目。")
    standard = serializers.CharField(help_text="收费标准。")
    basis = serializers.CharField(help_text="收费依据。")
    reducible = serializers.BooleanField(help_text="可减免。")
    note = serializers.CharField(help_text="减免说明。")


class FaqSerializer(serializers.Serializer):
    sort = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.CharField()


class DelegationSerializer(serializers.Serializer):
    region = RegionRefSerializer(help_text="承接的乡镇（街道）、村（社区）或园区。")
    mode = choice(DelegationMode)
    mode_label = label("mode")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    document = serializers.CharField(help_text="赋权文件。")


class SpecialProcedureSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="特别程序代码，如 hearing。")
    label = serializers.CharField(help_text="特别程序名称，如 听证。")


_SPECIAL_LABELS = dict(SpecialProcedure.choices)


class ItemDetailSerializer(ItemSummarySerializer):
    """The whole service guide (办事指南) of the published version."""

    url = None
    department = DepartmentSerializer(source="item.department")
    valid_from = serializers.DateField(allow_null=True, help_text="现行版本生效日期。")
    change_summary = serializers.CharField(help_text="本版本的修订说明。")
    legal_basis = serializers.CharField(help_text="设定依据。")
    exercise_level = choice(ExerciseLevel)
    exercise_level_label = label("exercise_level")
    acceptance_conditions = serializers.CharField(help_text="受理条件。")
    keywords = serializers.SerializerMethodField(help_text="关键词。")
    themes = ThemeSerializer(many=True)
    time_limit_note = serializers.CharField(help_text="时限说明。")
    time_reduction_rate = serializers.FloatField(
        allow_null=True, help_text="时限压缩率 = 1 − 承诺时限/法定时限（0–1）；无法定时限或单位不同时为 null。")
    special_procedures = serializers.SerializerMethodField(help_text="特别程序（不计入办理时限）。")
    special_procedure_note = serializers.CharField()
    handling_form = choice(HandlingForm)
    handling_form_label = label("handling_form")
    place = serializers.CharField(help_text="办理地点。")
    office_hours = serializers.CharField(help_text="办理时间。")
    supports_appointment = serializers.BooleanField(help_text="支持预约办理。")
    supports_mail_delivery = serializers.BooleanField(help_text="支持物流快递（免费寄递）。")
    supports_online_payment = serializers.BooleanField(help_text="支持网上支付。")
    supports_self_service = serializers.BooleanField(help_text="支持自助终端办理。")
    cross_region_scope = choice(CrossRegionScope)
    cross_region_scope_label = label("cross_region_scope")
    result_type = choice(ResultType)
    result_type_label = label("result_type")
    result_name = serializers.CharField(help_text="审批结果名称。")
    result_sample = serializers.FileField(use_url=True, allow_null=True, help_text="审批结果样本地址；没有为 null。")
    consult_phone = serializers.CharField(help_text="咨询电话。")
    complaint_phone = serializers.CharField(help_text="监督投诉电话。")
    materials = MaterialSerializer(many=True)
    steps = StepSerializer(many=True)
    fees = FeeSerializer(many=True)
    faqs = FaqSerializer(many=True)
    delegations = serializers.SerializerMethodField(help_text="现行及将生效的赋权（就近办理的乡镇、村、园区）。")

    def get_keywords(self, version) -> list[str]:
        return [k for k in re.split(r"[\s,，、;；]+", version.keywords or "") if k]

    @extend_schema_field(SpecialProcedureSerializer(many=True))
    def get_special_procedures(self, version):
        return [{"value": code, "label": str(_SPECIAL_LABELS.get(code, code))}
                for code in (version.special_procedures or [])]

    @extend_schema_field(DelegationSerializer(many=True))
    def get_delegations(self, version):
        today = timezone.localdate()
        current = [d for d in version.item.delegations.all() if d.effective_to is None or d.effective_to >= today]
        return DelegationSerializer(current, many=True, context=self.context).data


# Lists and indicators -------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="行数据中的键。")
    label = serializers.CharField(help_text="列标题。")


class PublishedListSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="清单种类。")
    title = serializers.CharField()
    description = serializers.CharField()
    count = serializers.IntegerField(help_text="行数。")
    columns = ColumnSerializer(many=True, help_text="列，按显示顺序；第一列固定为 index 序号。")
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="每行一个对象，键为 columns 中的 key；index 为序号（整数）。",
    )


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码：instant、online、full_online、nearby、one_visit、zero_visit。")
    label = serializers.CharField(help_text="指标名称，如 马上办。")
    description = serializers.CharField()
    count = serializers.IntegerField(help_text="达到该指标的已发布事项数。")
    percent = serializers.FloatField(help_text="占已发布事项的百分比（0–100，两位小数）。")


class IndicatorsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="已发布事项总数。")
    department = DepartmentRefSerializer(allow_null=True, help_text="统计范围的部门；全部事项时为 null。")
    items = IndicatorSerializer(many=True)
