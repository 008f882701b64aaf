"""Read-only representations of cards, dashboard counts and anomalies.

Choices come twice, as in the catalogue API: the stable value and a ``<field>_label`` for people.
Serializers only read what the selectors fetched (select_related/only): they never query.
"""

from __future__ import annotations

from rest_framework import serializers

from onewindow.api.schema import EnumField
from onewindow.cases.constants import CaseStatus

from ..constants import AnomalyRule, CardLevel, CardStep, Verdict


def choice(choices_class, **kwargs) -> EnumField:
    return EnumField(choices_class, read_only=True, **kwargs)


class ChoiceLabelField(serializers.CharField):
    """The display text of a choice value. Cheaper than ``get_<field>_display``, which rebuilds and hashes
    every (lazy, translated) label of the field on each call: that was half of the list's serialisation."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        try:
            return str(self.choices_class(value).label)
        except ValueError:
            return str(value)


def label(field: str, choices_class, **kwargs) -> ChoiceLabelField:
    return ChoiceLabelField(choices_class, source=field, **kwargs)


class SupervisedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="办件编号。")
    status = choice(CaseStatus)
    status_label = label("status", CaseStatus)


class SupervisedItemSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码。")
    name = serializers.CharField()


class SupervisionNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SupervisionStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class _OptionalRef(serializers.Serializer):
    """A reference built from the card's own columns (`source="*"`): null when the card has no such link."""

    link = ""

    def to_representation(self, instance):
        if getattr(instance, self.link) is None:
            return None
        return super().to_representation(instance)


class CardDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="department_id")
    name = serializers.CharField(source="department_name")


class CardHallSerializer(_OptionalRef):
    link = "hall_id"
    id = serializers.IntegerField(source="hall_id")
    name = serializers.CharField(source="hall_name")


class CardWindowSerializer(_OptionalRef):
    link = "window_id"
    id = serializers.IntegerField(source="window_id")
    number = serializers.CharField(source="window_number", help_text="窗口号。")
    name = serializers.CharField(source="window_name")


class CardResponsibleSerializer(_OptionalRef):
    link = "responsible_id"
    id = serializers.IntegerField(source="responsible_id")
    name = serializers.CharField(source="responsible_name")


class CardSerializer(serializers.Serializer):
    """One card, from `selectors.cards_list` (names of linked rows are annotated on the card)."""

    id = serializers.IntegerField()
    level = choice(CardLevel)
    level_label = label("level", CardLevel)
    step = choice(CardStep)
    step_label = label("step", CardStep)
    case = SupervisedCaseSerializer()
    item = SupervisedItemSerializer()
    department = CardDepartmentSerializer(source="*")
    hall = CardHallSerializer(source="*", allow_null=True, help_text="受理大厅；网上申请为 null。")
    window = CardWindowSerializer(source="*", allow_null=True, help_text="受理窗口；网上申请为 null。")
    responsible = CardResponsibleSerializer(source="*", allow_null=True,
                                            help_text="责任人：受理人，作出决定后为决定人；无则为部门负责人。")
    issued_at = serializers.DateTimeField(help_text="亮牌时间：达到预警时间（黄牌）或办结期限（红牌）的时刻。")
    deadline_at = serializers.DateTimeField(help_text="亮牌所依据的期限。")
    escalated_at = serializers.DateTimeField(allow_null=True, help_text="黄牌转为红牌的时间。")
    resolved_at = serializers.DateTimeField(allow_null=True, help_text="办件（或该环节）结束计时的时间；仍在计时为 null。")
    late_by_seconds = serializers.SerializerMethodField(help_text="红牌：结束时超期的秒数；仍在计时或黄牌为 null。")
    alerted_at = serializers.DateTimeField(allow_null=True, help_text="预警通知发送时间。")
    open = serializers.BooleanField(source="is_open", help_text="当前仍有效（仍在计时且黄牌尚未转红）。")

    def get_late_by_seconds(self, card) -> int | None:
        return int(card.late_by.total_seconds()) if card.late_by is not None else None


class CardPageSerializer(serializers.Serializer):
    """One page of cards. No total count (see /summary): `has_next` says whether another page follows."""

    results = CardSerializer(many=True)
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_next = serializers.BooleanField()
    next = serializers.URLField(allow_null=True, help_text="下一页的完整地址；没有则为 null。")
    previous = serializers.URLField(allow_null=True, help_text="上一页的完整地址；没有则为 null。")


class CardCountsSerializer(serializers.Serializer):
    yellow = serializers.IntegerField(help_text="黄牌数。")
    red = serializers.IntegerField(help_text="红牌数。")


class CardTotalsSerializer(CardCountsSerializer):
    pass


class DepartmentCardCountsSerializer(CardCountsSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WindowCardCountsSerializer(CardCountsSerializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    hall = serializers.CharField(help_text="所在大厅。")


class StaffCardCountsSerializer(CardCountsSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CardSummarySerializer(serializers.Serializer):
    totals = CardTotalsSerializer()
    departments = DepartmentCardCountsSerializer(many=True, help_text="按部门，红牌多的在前。")
    windows = WindowCardCountsSerializer(many=True, help_text="按受理窗口（网上申请不计）。")
    staff = StaffCardCountsSerializer(many=True, help_text="按责任人。")


class AnomalySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = choice(AnomalyRule)
    rule_label = label("rule", AnomalyRule)
    case = SupervisedCaseSerializer()
    item = SupervisedItemSerializer()
    department = SupervisionNamedSerializer()
    account = SupervisionStaffSerializer(allow_null=True, help_text="操作账号。")
    occurred_at = serializers.DateTimeField(help_text="异常操作发生的时间。")
    detected_at = serializers.DateTimeField(help_text="系统发现的时间。")
    detail = serializers.DictField(help_text="规则给出的依据，如间隔分钟数、批量条数、时间范围。")
    verdict = choice(Verdict)
    verdict_label = label("verdict", Verdict)
    review_comment = serializers.CharField()
    reviewed_by = SupervisionStaffSerializer(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class AnomalyPageSerializer(serializers.Serializer):
    results = AnomalySerializer(many=True)
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_next = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
