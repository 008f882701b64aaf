"""Ratings API bodies. Staff-facing shapes never carry the rater of a rating that is not bad."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onewindow.api.schema import EnumField

from ..constants import BadCaseStatus, Level, Outcome, RatingChannel, ServiceEvent, StatsGroup
from ..models import Rating


class RatingCreateSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=200, help_text="短信评价链接中的签名令牌（免登录）。")
    case = serializers.CharField(required=False, max_length=40, help_text="办件编号（已登录的申请人，或 12345 代录）。")
    service_event = EnumField(ServiceEvent, required=False, help_text="评价的服务环节（与 case 一起使用）。")
    id_tail = serializers.CharField(required=False, max_length=6, help_text="12345 代录：申请人证件号码后六位。")
    level = serializers.IntegerField(min_value=1, max_value=5, help_text="5 非常满意 … 1 非常不满意（1、2 为差评）。")
    options = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)
    channel = EnumField(RatingChannel, required=False, help_text="默认：令牌为 mobile_link，登录为 online。")
    real_name = serializers.BooleanField(required=False, default=True, help_text="12345 代录：来电人是否实名。")


class RatingAmendSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=200)
    level = serializers.IntegerField(min_value=1, max_value=5)
    options = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=20)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)
    channel = EnumField(RatingChannel, required=False)


class BadCaseReplySerializer(serializers.Serializer):
    """What the applicant sees of the handling of their bad rating."""

    id = serializers.IntegerField()
    status = EnumField(BadCaseStatus)
    status_label = serializers.CharField(source="get_status_display")
    outcome = serializers.CharField()
    reply = serializers.CharField()
    changes = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    round = serializers.IntegerField()
    applicant_satisfied = serializers.BooleanField(allow_null=True)


class RatingSerializer(serializers.Serializer):
    """A rating as its rater sees it."""

    id = serializers.IntegerField()
    case = serializers.CharField(source="case.number")
    service_event = EnumField(ServiceEvent)
    level = serializers.IntegerField()
    level_label = serializers.CharField(source="get_level_display")
    options = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField()
    channel = EnumField(RatingChannel)
    rated_at = serializers.DateTimeField()
    amend_until = serializers.DateTimeField()
    amended = serializers.SerializerMethodField()
    bad_case = serializers.SerializerMethodField()

    def get_amended(self, obj) -> bool:
        return obj.amended_at is not None

    @extend_schema_field(BadCaseReplySerializer(allow_null=True))
    def get_bad_case(self, obj):
        try:
            bad = obj.bad_case
        except ObjectDoesNotExist:
            return None
        return BadCaseReplySerializer(bad).data


class LevelOptionsSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    bad = serializers.BooleanField()
    options = serializers.ListField(child=serializers.CharField(), help_text="提交评价时使用的选项值（中文原文）。")
    option_labels = serializers.ListField(child=serializers.CharField(), help_text="按界面语言显示的选项文字。")


class InvitationSerializer(serializers.Serializer):
    """What the rating page shows for a link: the service, never personal data."""

    case = serializers.CharField(source="case.number")
    item_name = serializers.CharField(source="case.version.name")
    department = serializers.CharField(source="case.department.name")
    service_event = EnumField(ServiceEvent)
    service_event_label = serializers.CharField(source="get_service_event_display")
    staff_name = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField()
    rated = serializers.SerializerMethodField()

    def get_staff_name(self, obj) -> str:
        return str(obj.staff) if obj.staff_id else ""

    rating = serializers.SerializerMethodField()

    def get_rated(self, obj) -> bool:
        return Rating.objects.filter(invitation=obj).exists()

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, obj):
        rating = Rating.objects.filter(invitation=obj).select_related("case").first()
        return RatingSerializer(rating).data if rating is not None else None


class BadCaseActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    actor_label = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class RectificationCardSerializer(serializers.Serializer):
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    round = serializers.IntegerField()
    deadline_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class BadCaseSerializer(serializers.Serializer):
    """A rectification record for the responsible department: the applicant shown masked."""

    id = serializers.IntegerField()
    case = serializers.CharField(source="case.number")
    item_name = serializers.CharField(source="case.version.name")
    department = serializers.CharField(source="department.name")
    level = serializers.IntegerField(source="rating.level")
    level_label = serializers.CharField(source="rating.get_level_display")
    service_event = EnumField(ServiceEvent, source="rating.service_event")
    options = serializers.ListField(child=serializers.CharField(), source="rating.options")
    comment = serializers.CharField(source="rating.comment")
    rated_at = serializers.DateTimeField(source="rating.rated_at")
    applicant_name = serializers.CharField(source="case.applicant.name")
    applicant_id_masked = serializers.CharField(source="case.applicant.identifier_masked")
    status = EnumField(BadCaseStatus)
    status_label = serializers.CharField(source="get_status_display")
    round = serializers.IntegerField()
    escalated = serializers.BooleanField()
    verify_due_at = serializers.DateTimeField()
    reply_due_at = serializers.DateTimeField()
    follow_up_due_at = serializers.DateTimeField(allow_null=True)
    deadline_provisional = serializers.BooleanField()
    verify_note = serializers.CharField()
    outcome = serializers.CharField()
    reply = serializers.CharField()
    changes = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    replied_on_time = serializers.BooleanField(allow_null=True)
    appeal_reason = serializers.CharField()
    appeal_upheld = serializers.BooleanField(allow_null=True)
    applicant_satisfied = serializers.BooleanField(allow_null=True)
    followed_up_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class BadCaseDetailSerializer(BadCaseSerializer):
    actions = BadCaseActionSerializer(many=True)
    cards = RectificationCardSerializer(many=True)


class BadCasePageSerializer(serializers.Serializer):
    results = BadCaseSerializer(many=True)
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_next = serializers.BooleanField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


class BadCaseQuerySerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=BadCaseStatus.choices, required=False)
    department = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(required=False, default=False)


class BadCaseVerifySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class BadCaseReplyInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(Outcome.RECTIFIED.value, Outcome.RECTIFIED.label),
                                               (Outcome.EXPLAINED.value, Outcome.EXPLAINED.label)])
    reply = serializers.CharField(max_length=2000)
    changes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BadCaseAppealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BadCaseDecideAppealSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    comment = serializers.CharField(max_length=2000)


class BadCaseFollowUpSerializer(serializers.Serializer):
    reached = serializers.BooleanField()
    note = serializers.CharField(max_length=2000)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)


class BadCaseRespondSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=200, help_text="评价链接令牌（免登录）。")
    satisfied = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class StatsQuerySerializer(serializers.Serializer):
    group_by = EnumField(StatsGroup, required=False, default=StatsGroup.DEPARTMENT)
    period = serializers.RegexField(r"^\d{4}-\d{2}(\.\.\d{4}-\d{2})?$", required=False,
                                    help_text="YYYY-MM..YYYY-MM；默认最近 12 个月。")
    department = serializers.IntegerField(required=False, min_value=1)


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rated = serializers.IntegerField(help_text="计入统计的评价数（不含申诉成立、默认好评）。")
    by_level = serializers.DictField(child=serializers.IntegerField(), help_text="各等级评价数，键为 1–5。")
    good = serializers.IntegerField()
    bad = serializers.IntegerField()
    excluded = serializers.IntegerField(help_text="申诉成立、不计入统计的差评。")
    default_good = serializers.IntegerField(help_text="默认好评（单独统计）。")
    rated_cases = serializers.IntegerField()
    completed_cases = serializers.IntegerField()
    rating_rate = serializers.FloatField(allow_null=True, help_text="评价率 = 已评价办件 / 办结办件。")
    good_rate = serializers.FloatField(allow_null=True, help_text="好评率 = 好评 / 评价数。")
    bad_replied = serializers.IntegerField()
    bad_on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="差评按期整改反馈率。")
    real_name_bad = serializers.IntegerField()
    followed_up = serializers.IntegerField()
    follow_up_rate = serializers.FloatField(allow_null=True, help_text="实名差评回访率（目标 100%）。")


class StatsSerializer(serializers.Serializer):
    group_by = EnumField(StatsGroup)
    period = serializers.CharField()
    rows = StatsRowSerializer(many=True)
    total = StatsRowSerializer()


_ = Level  # the levels are listed by /ratings/options
