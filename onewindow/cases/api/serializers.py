"""Case API shapes: input serializers (Chinese field errors) and read-only representations.

Output serializers only read what the selectors fetched. Personal data: the applicant's 证件号码 and the
agent's 身份证号码 are masked (last 4 visible) unless the view was asked to reveal them and allowed it
(context["reveal"]); applicants get the public timeline without staff names or internal data.
"""

from __future__ import annotations

import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onewindow.api.schema import EnumField
from onewindow.catalogue.api.serializers import DepartmentRefSerializer
from onewindow.catalogue.constants import Necessity
from onewindow.core.identifiers import CreditCodeSerializerField, ResidentIdSerializerField, mask_id

from ..constants import (
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
from ..selectors import CLOCK_FILTERS, ClockState, case_clock_state

MAX_TEXT = 2000


def choice(choices_class, **kwargs) -> EnumField:
    return EnumField(choices_class, read_only=True, **kwargs)


def label(field: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(source=f"get_{field}_display", read_only=True, **kwargs)


def text(max_length: int = MAX_TEXT, **kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    return serializers.CharField(max_length=max_length, **kwargs)


# ------------------------------------------------------------------ input


@extend_schema_field(OpenApiTypes.OBJECT)
class JsonObjectField(serializers.Field):
    """A JSON object; in multipart requests, a part holding the object as JSON text."""

    default_error_messages = {"invalid": "应为 JSON 对象，如 {{\"shop_name\": \"好味小吃\"}}。"}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class CaseApplicantInputSerializer(serializers.Serializer):
    kind = EnumField(ApplicantKind, help_text="申请人类型：person 自然人，company 法人。")
    name = serializers.CharField(max_length=200, help_text="姓名或单位名称。")
    id_number = ResidentIdSerializerField(required=False, allow_blank=True, default="",
                                          help_text="居民身份证号码（自然人必填），18 位，末位可为 X。")
    credit_code = CreditCodeSerializerField(required=False, allow_blank=True, default="",
                                            help_text="统一社会信用代码（法人必填），18 位。")
    legal_representative = text(64, help_text="法定代表人（法人）。")
    phone = text(20, help_text="联系电话。")
    address = text(300, help_text="联系地址。")

    def validate(self, attrs):
        if attrs["kind"] == ApplicantKind.PERSON and not attrs.get("id_number"):
            raise serializers.ValidationError({"id_number": "自然人申请须填写居民身份证号码。"})
        if attrs["kind"] == ApplicantKind.COMPANY and not attrs.get("credit_code"):
            raise serializers.ValidationError({"credit_code": "法人申请须填写统一社会信用代码。"})
        return attrs


class CaseAgentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, help_text="代办人姓名。")
    id_number = ResidentIdSerializerField(required=False, allow_blank=True, default="",
                                          help_text="代办人居民身份证号码。")
    phone = text(20, help_text="代办人电话。")


class CaseCreateSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=60, help_text="事项实施编码（见 /api/v1/catalogue/items）。")
    channel = EnumField(Channel, required=False,
                        help_text="申请渠道；默认：群众 online，窗口人员 window，接入系统 api。")
    applicant = CaseApplicantInputSerializer()
    form_data = JsonObjectField(required=False, default=dict,
                                help_text="申请表内容，须符合事项申请表的 JSON Schema；multipart 请求中为 JSON 文本。")
    agent = CaseAgentInputSerializer(required=False, allow_null=True, default=None,
                                 help_text="代办人（他人代为申请时）。")
    window = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                      help_text="受理窗口编号（窗口人员代录时）。")


class CaseCommitmentInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT, help_text="承诺内容。")
    signed_name = serializers.CharField(max_length=64, help_text="承诺人。")
    check_due = serializers.DateField(required=False, allow_null=True, default=None, help_text="核查期限。")


class CaseAcceptInputSerializer(serializers.Serializer):
    comment = text(help_text="受理意见。")
    waivers = serializers.DictField(child=serializers.DateField(), required=False, default=dict,
                                    help_text="容缺受理：材料编号 → 补交期限，如 {\"12\": \"2025-11-20\"}。")
    commitment = CaseCommitmentInputSerializer(required=False, allow_null=True, default=None,
                                           help_text="告知承诺制事项的承诺书。")

    def validate_waivers(self, value):
        out = {}
        for key, due in value.items():
            if not str(key).isdigit():
                raise serializers.ValidationError(f"“{key}”不是材料编号。")
            out[int(key)] = due
        return out


class CaseRefuseInputSerializer(serializers.Serializer):
    reason = text(help_text="不予受理的理由（必填，书面告知申请人）。")


class CaseCorrectionItemInputSerializer(serializers.Serializer):
    spec_id = serializers.IntegerField(min_value=1, help_text="需要补正的材料编号（办件详情 materials[].spec_id）。")
    reason = text(300, help_text="补正原因，如 未签字、已过期；默认“未提交”。")


class CaseCorrectionInputSerializer(serializers.Serializer):
    items = CaseCorrectionItemInputSerializer(many=True, required=False, default=list,
                                     help_text="一次性列明全部需要补正的材料。")
    comment = text(help_text="其他说明。")


class CaseResubmitInputSerializer(serializers.Serializer):
    comment = text(help_text="补正说明。")


class CaseDecideInputSerializer(serializers.Serializer):
    decision = EnumField(Decision, help_text="approve 准予，deny 不予。")
    reason = text(help_text="理由；不予时必填。")
    basis = text(help_text="法律依据；不予时必填。")


class EmptyInputSerializer(serializers.Serializer):
    pass


class CaseDeliverInputSerializer(serializers.Serializer):
    method = EnumField(DeliveryMethod, help_text="window 窗口领取，mail 免费邮寄，electronic 电子送达。")
    address = text(300, help_text="邮寄地址（邮寄时必填）。")
    tracking_number = text(40, help_text="快递单号（邮寄时必填）。")


class CaseWithdrawInputSerializer(serializers.Serializer):
    reason = text(help_text="撤回原因。")


class CaseSuspendInputSerializer(serializers.Serializer):
    kind = EnumField(SuspensionKind, help_text="特别程序类型。")
    reason = text(help_text="启动理由（必填）。")
    expected_end = serializers.DateField(required=False, allow_null=True, default=None, help_text="预计结束日期。")


class CaseResumeInputSerializer(serializers.Serializer):
    comment = text(help_text="特别程序结果说明。")


class CaseExtendInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="延长的天数（1–10，《行政许可法》第四十二条）。")
    reason = text(help_text="延期理由（必填）。")


class CaseApproveExtensionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准，false 不批准。")
    comment = text(500, help_text="审批意见。")


# ------------------------------------------------------------------ query


class CaseQuerySerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=CaseStatus.choices, required=False,
                                             help_text="状态，可重复：?status=submitted&status=accepted。")
    department = serializers.IntegerField(min_value=1, required=False, help_text="部门编号。")
    item = serializers.CharField(max_length=60, required=False, help_text="事项实施编码。")
    clock = serializers.ChoiceField(choices=[(c.value, c.label) for c in CLOCK_FILTERS], required=False,
                                    help_text="计时状态：overdue 已超期（红牌），warning 即将到期（黄牌），normal 正常。")
    submitted_from = serializers.DateField(required=False, help_text="提交日期起（含）。")
    submitted_to = serializers.DateField(required=False, help_text="提交日期止（含）。")
    search = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                   help_text="办件编号开头或申请人姓名/名称中的文字。")
    ordering = serializers.ChoiceField(choices=[("due_at", "办结期限从近到远"), ("submitted_at", "提交时间从早到晚"),
                                                ("-submitted_at", "提交时间从晚到早")], required=False,
                                       help_text="排序；默认工作人员按办结期限，申请人按提交时间倒序。")
    page = serializers.IntegerField(min_value=1, required=False, help_text="页码，从 1 开始。")
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False, help_text="每页条数，1–100，默认 20。")

    def validate(self, attrs):
        start, end = attrs.get("submitted_from"), attrs.get("submitted_to")
        if start and end and start > end:
            raise serializers.ValidationError({"submitted_to": "结束日期不能早于开始日期。"})
        return attrs


class CaseProgressQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="办件编号。")
    id_tail = serializers.RegexField(r"^[0-9A-Za-z]{6}$", help_text="申请人居民身份证号码或统一社会信用代码的后 6 位（不区分大小写）。",
                                     error_messages={"invalid": "请填写证件号码的后 6 位（数字或字母）。"})


# ------------------------------------------------------------------ output


class CaseItemRefSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(source="item.implementation_code", help_text="实施编码。")
    name = serializers.CharField(source="version.name", help_text="事项名称（申请时的版本）。")
    version = serializers.IntegerField(source="version.number", help_text="申请时的事项版本号。")


class CaseApplicantSummarySerializer(serializers.Serializer):
    kind = choice(ApplicantKind)
    kind_label = label("kind")
    name = serializers.CharField()
    identifier_masked = serializers.CharField(help_text="证件号码，只显示后 4 位。")


class CaseApplicantSerializer(CaseApplicantSummarySerializer):
    identifier = serializers.SerializerMethodField(
        help_text="完整证件号码：仅在 ?reveal=1 且调用者为该部门窗口、审批人员或负责人时返回（并记入审计日志），否则为 null。")
    legal_representative = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()

    def get_identifier(self, obj) -> str | None:
        return obj.identifier if self.context.get("reveal") else None


class CaseSummarySerializer(serializers.Serializer):
    number = serializers.CharField(help_text="办件编号。")
    url = serializers.SerializerMethodField(help_text="办件详情地址。")
    item = CaseItemRefSerializer(source="*")
    department = DepartmentRefSerializer()
    applicant = CaseApplicantSummarySerializer()
    channel = choice(Channel)
    channel_label = label("channel")
    status = choice(CaseStatus)
    status_label = label("status")
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="办结期限；未受理或暂停计时时为 null。")
    warn_at = serializers.DateTimeField(allow_null=True, help_text="预警时间（黄牌）。")
    deadline_provisional = serializers.BooleanField(help_text="期限跨入尚未配置工作日历的年度，暂按周一至周五计算。")
    clock_state = serializers.SerializerMethodField()
    clock_state_label = serializers.SerializerMethodField()
    completed_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, obj) -> str:
        path = reverse("cases-api:case-detail", kwargs={"number": obj.number})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(EnumField(ClockState))
    def get_clock_state(self, obj) -> str:
        return case_clock_state(obj, now=self.context.get("now"))

    def get_clock_state_label(self, obj) -> str:
        return str(ClockState(case_clock_state(obj, now=self.context.get("now"))).label)


class CaseMaterialFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="下载地址（需与办件详情相同的权限）。")
    original_name = serializers.CharField(help_text="上传时的文件名。")
    content_type = serializers.CharField(help_text="按文件内容判定的类型。")
    size = serializers.IntegerField(help_text="字节数。")
    sha256 = serializers.CharField(help_text="SHA-256 摘要，证明存档文件即申请人提交的文件。")
    status = choice(MaterialStatus)
    status_label = label("status")
    note = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    superseded = serializers.BooleanField(help_text="已被补正后的新文件替换。")

    def get_url(self, obj) -> str:
        path = reverse("cases-api:case-material", kwargs={"number": self.context["number"], "material_id": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseMaterialSlotSerializer(serializers.Serializer):
    spec_id = serializers.IntegerField(source="spec.pk", help_text="材料编号：上传时的字段名为 materials.<spec_id>。")
    name = serializers.CharField(source="spec.name")
    necessity = choice(Necessity, source="spec.necessity")
    necessity_label = serializers.CharField(source="spec.get_necessity_display")
    files = CaseMaterialFileSerializer(many=True, help_text="该材料的文件，最早的在前。")


class CaseCorrectionNoticeItemSerializer(serializers.Serializer):
    spec_id = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()


class CaseCorrectionNoticeSerializer(serializers.Serializer):
    items = CaseCorrectionNoticeItemSerializer(many=True)
    comment = serializers.CharField()
    issued_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    during_review = serializers.BooleanField(help_text="受理后补正（补正期间暂停计时）。")


class CasePauseSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="correction 补正，或特别程序类型。")
    kind_label = serializers.CharField()
    reason = serializers.CharField()
    started_at = serializers.DateTimeField()
    expected_end = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class CaseExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = serializers.CharField()
    status = choice(ExtensionStatus)
    status_label = label("status")
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class CaseAgentSerializer(serializers.Serializer):
    name = serializers.CharField(source="agent_name")
    id_number_masked = serializers.SerializerMethodField(help_text="代办人身份证号码，只显示后 4 位。")
    id_number = serializers.SerializerMethodField(help_text="完整号码，与申请人的 identifier 同样处理。")
    phone = serializers.CharField(source="agent_phone")

    def get_id_number_masked(self, obj) -> str:
        return mask_id(obj.agent_id_number)

    def get_id_number(self, obj) -> str | None:
        return obj.agent_id_number if self.context.get("reveal") else None


class CaseDeliverySerializer(serializers.Serializer):
    method = choice(DeliveryMethod, source="delivery_method")
    method_label = serializers.CharField(source="get_delivery_method_display")
    address = serializers.CharField(source="delivery_address")
    tracking_number = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class CaseEventSerializer(serializers.Serializer):
    action = choice(Action)
    action_label = label("action")
    from_status = serializers.CharField(help_text="原状态（值）。")
    to_status = serializers.CharField(help_text="新状态（值）。")
    to_status_label = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    actor = serializers.SerializerMethodField(help_text="操作人；申请人查看时不显示工作人员姓名（null）。")
    comment = serializers.CharField(help_text="说明，如补正要求、决定理由。")
    data = serializers.SerializerMethodField(help_text="结构化数据（仅工作人员可见，申请人查看时为空对象）。")

    def get_to_status_label(self, obj) -> str:
        return str(CaseStatus(obj.to_status).label) if obj.to_status in CaseStatus.values else ""

    def get_actor(self, obj) -> str | None:
        return obj.actor_label if self.context.get("staff") else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, obj):
        return obj.data if self.context.get("staff") else {}


class CaseDetailSerializer(CaseSummarySerializer):
    applicant = CaseApplicantSerializer()
    region = serializers.CharField(source="region.code", help_text="受理区划代码。")
    hall = serializers.CharField(source="hall.name", allow_null=True, default=None)
    window = serializers.CharField(source="window.number", allow_null=True, default=None, help_text="窗口号。")
    agent = serializers.SerializerMethodField()
    form_data = serializers.JSONField(help_text="申请表内容。")
    decision = serializers.CharField(help_text="approve 准予，deny 不予；尚未决定时为空字符串。")
    decision_label = serializers.CharField(source="get_decision_display")
    decision_reason = serializers.CharField()
    decision_basis = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_reason = serializers.CharField(help_text="不予受理、撤回或终止的理由。")
    delivery = serializers.SerializerMethodField()
    paused_at = serializers.DateTimeField(allow_null=True)
    extension_days = serializers.IntegerField(help_text="已批准的延期天数。")
    visits = serializers.IntegerField(help_text="申请人到现场次数。")
    personal_data_revealed = serializers.SerializerMethodField(help_text="本次响应是否含完整证件号码。")
    materials = serializers.SerializerMethodField()
    correction_notices = CaseCorrectionNoticeSerializer(many=True, help_text="补正通知，最新的在前。")
    pauses = CasePauseSerializer(many=True, help_text="暂停计时记录（补正、特别程序）。")
    extensions = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者在当前状态下可以执行的动作（POST /cases/{number}/<动作>）；仅供界面参考，以接口的实际结果为准。")
    events = serializers.SerializerMethodField(help_text="办理过程，最早的在前；申请人只看到对其公开的事件。")

    @extend_schema_field(CaseAgentSerializer(allow_null=True))
    def get_agent(self, obj):
        if not obj.agent_name:
            return None
        return CaseAgentSerializer(obj, context=self.context).data

    @extend_schema_field(CaseDeliverySerializer(allow_null=True))
    def get_delivery(self, obj):
        if not obj.delivery_method:
            return None
        return CaseDeliverySerializer(obj).data

    def get_personal_data_revealed(self, obj) -> bool:
        return bool(self.context.get("reveal"))

    @extend_schema_field(CaseMaterialSlotSerializer(many=True))
    def get_materials(self, obj):
        by_spec: dict[int, list] = {}
        for material in obj.materials.all():
            by_spec.setdefault(material.spec_id, []).append(material)
        slots = [{"spec": spec, "files": by_spec.get(spec.pk, [])}
                 for spec in sorted(obj.version.materials.all(), key=lambda s: (s.sort, s.pk))]
        return CaseMaterialSlotSerializer(slots, many=True, context={**self.context, "number": obj.number}).data

    @extend_schema_field(CaseExtensionSerializer(many=True))
    def get_extensions(self, obj):
        if not self.context.get("staff"):
            return []
        return CaseExtensionSerializer(obj.extensions.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj):
        return self.context.get("allowed_actions", [])

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, obj):
        return CaseEventSerializer(self.context.get("events", []), many=True, context=self.context).data


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的办件总数。")
    next = serializers.URLField(allow_null=True, help_text="下一页的完整地址；最后一页为 null。")
    previous = serializers.URLField(allow_null=True)
    results = CaseSummarySerializer(many=True)


class CaseProgressEventSerializer(serializers.Serializer):
    action = choice(Action)
    action_label = serializers.CharField()
    status = serializers.CharField(help_text="事件后的状态（值）。")
    status_label = serializers.CharField()
    at = serializers.DateTimeField()


class CaseProgressSerializer(serializers.Serializer):
    number = serializers.CharField()
    item_name = serializers.CharField(help_text="事项名称。")
    department_name = serializers.CharField(help_text="办理部门。")
    status = choice(CaseStatus)
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="承诺办结期限。")
    deadline_provisional = serializers.BooleanField()
    clock_state = choice(ClockState)
    completed_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    correction_materials = serializers.ListField(child=serializers.CharField(),
                                                 help_text="待补正时需要补交的材料名称。")
    events = CaseProgressEventSerializer(many=True)
