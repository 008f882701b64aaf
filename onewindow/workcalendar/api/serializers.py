"""Query and response shapes of the calendar API."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..constants import MAX_DAYS, DayKind, DeadlineUnit

# In a query string an unescaped "+" arrives as a space: "2025-09-30T10:00:00 08:00" means +08:00.
_SPACE_OFFSET = re.compile(r"^(.*\d)\s(\d{2}(?::?\d{2})?)$")


@extend_schema_field(OpenApiTypes.DATETIME)
class IsoDateTimeParam(serializers.Field):
    """An ISO 8601 date-time; without an offset it is Beijing time (the server's TIME_ZONE)."""

    default_error_messages = {
        "invalid": "请填写 ISO 8601 格式的时间，如 2025-09-30T10:00:00+08:00。",
        "range": "时间超出支持的范围。",
    }

    def to_internal_value(self, data) -> dt.datetime:
        text = str(data).strip()
        match = _SPACE_OFFSET.match(text)
        if match and "T" in text:
            text = f"{match[1]}+{match[2]}"
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail("invalid")
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.get_default_timezone())
        try:
            return value.astimezone(timezone.get_default_timezone())
        except OverflowError:
            self.fail("range")

    def to_representation(self, value):
        return value.isoformat()


class DeadlineQuerySerializer(serializers.Serializer):
    start = IsoDateTimeParam(help_text="起算时间（受理时间），ISO 8601；不带时区时按北京时间。查询串中的“+”请写作 %2B。")
    days = serializers.IntegerField(
        min_value=0, max_value=MAX_DAYS, help_text=f"时限天数，0–{MAX_DAYS}；0 表示即办（当日办结）。",
        error_messages={"min_value": "天数不能小于 0。", "max_value": f"天数不能超过 {MAX_DAYS}。",
                        "invalid": "天数应为整数。"},
    )
    unit = serializers.ChoiceField(
        choices=DeadlineUnit.choices, required=False, default=DeadlineUnit.WORKDAY,
        help_text="计时单位：workday 工作日（默认），natural 自然日。",
        error_messages={"invalid_choice": "计时单位只能是 workday（工作日）或 natural（自然日）。"},
    )


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=[DayKind.REST, DayKind.HOLIDAY],
                                   help_text="rest 周末休息日，holiday 法定节假日。")
    name = serializers.CharField(help_text="节日名称（周末为空）。")


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="起算时间（北京时间）。")
    days = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=DeadlineUnit.choices)
    due_at = serializers.DateTimeField(help_text="办结期限：第 N 个工作日（或自然日顺延后）下班时间。")
    warn_at = serializers.DateTimeField(help_text="预警（黄牌）时间：剩余 1 个工作日或剩余 20% 时限，取较早者。")
    provisional = serializers.BooleanField(help_text="为 true 时，期限跨入尚未配置工作日历的年度，暂按周一至周五计算。")
    missing_years = serializers.ListField(child=serializers.IntegerField(), help_text="尚未配置工作日历的年度。")
    skipped = SkippedDaySerializer(many=True, help_text="计算中跳过的非工作日（周末、法定节假日）。")
