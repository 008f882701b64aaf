"""The public calendar API: when is something due?"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.api.schema import bad_request
from onewindow.core.errors import ApplicationError

from ..clock import compute_deadline, skipped_days
from . import serializers

TAG = "工作日历"

_EXAMPLE = {
    "start": "2025-09-30T10:00:00+08:00",
    "days": 5,
    "unit": "workday",
    "due_at": "2025-10-14T17:30:00+08:00",
    "warn_at": "2025-10-13T17:30:00+08:00",
    "provisional": False,
    "missing_years": [],
    "skipped": [
        {"date": "2025-10-01", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-02", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-03", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-04", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-05", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-06", "kind": "holiday", "name": "中秋节"},
        {"date": "2025-10-07", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-08", "kind": "holiday", "name": "国庆节"},
        {"date": "2025-10-12", "kind": "rest", "name": ""},
    ],
}


def validate_query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise ApplicationError("查询参数有误，请检查标出的参数。", code="invalid", fields=serializer.errors)
    return serializer.validated_data


class DeadlineView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="calendar_deadline_retrieve",
        summary="计算办结期限",
        description=(
            "从受理时间起算 N 个工作日（或自然日）的办结期限。规则：受理当日不计入，自次日起算；期限为第 N 个工作日的"
            "下班时间（默认 17:30，北京时间）；N 为 0 时为当日下班时间（非工作日或下班后受理则为下一个工作日）；"
            "自然日期限的最后一日为非工作日时顺延至其后第一个工作日。跨入尚未配置工作日历的年度时暂按周一至周五计算，"
            "`provisional` 为 true 并在 `missing_years` 列出这些年度。`skipped` 列出计算中跳过的周末和法定节假日。"
        ),
        tags=[TAG],
        parameters=[serializers.DeadlineQuerySerializer],
        responses={
            200: OpenApiResponse(serializers.DeadlineSerializer, description="办结期限",
                                 examples=[OpenApiExample("跨国庆节的 5 个工作日", value=_EXAMPLE,
                                                          response_only=True, status_codes=["200"])]),
            400: bad_request(OpenApiExample(
                "参数有误",
                value={"code": "invalid", "message": "查询参数有误，请检查标出的参数。",
                       "fields": {"start": ["请填写 ISO 8601 格式的时间，如 2025-09-30T10:00:00+08:00。"],
                                  "days": ["天数不能超过 3650。"]}},
                response_only=True, status_codes=["400"],
            )),
        },
    )
    def get(self, request):
        query = validate_query(serializers.DeadlineQuerySerializer, request)
        start, days, unit = query["start"], query["days"], query["unit"]
        deadline = compute_deadline(start, days, unit)
        skipped = skipped_days(deadline.counted_from, deadline.due_at.date())
        body = {
            "start": start,
            "days": days,
            "unit": unit,
            "due_at": deadline.due_at,
            "warn_at": deadline.warn_at,
            "provisional": deadline.provisional,
            "missing_years": list(deadline.missing_years),
            "skipped": [{"date": s.date, "kind": s.kind, "name": s.name} for s in skipped],
        }
        return Response(serializers.DeadlineSerializer(body).data)
