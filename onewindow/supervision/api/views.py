"""电子监察 API: cards, dashboard counts and anomaly findings for inspectors, hall managers and department heads.

Signed-in staff only, each within their data scope; views validate the query, call one selector or
service, and serialise.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from onewindow.api.schema import ErrorSerializer, bad_request, not_found

from .. import selectors, services
from . import filters, serializers

TAG = "电子监察"

FORBIDDEN = OpenApiResponse(ErrorSerializer, description="未登录，或不是电子监察员、大厅管理员、部门负责人", examples=[
    OpenApiExample("无权查看", response_only=True, status_codes=["403"], value={
        "code": "permission_denied", "message": "只有电子监察员、大厅管理员和部门负责人可以查看电子监察信息。",
        "fields": {}}),
])

_CARD_EXAMPLE = {
    "results": [{
        "id": 812, "level": "red", "level_label": "红牌", "step": "case", "step_label": "办结时限",
        "case": {"id": 5531, "number": "43042220251009000031", "status": "accepted", "status_label": "已受理（审查中）"},
        "item": {"implementation_code": "11430422MB000001", "name": "食品经营许可"},
        "department": {"id": 3, "name": "云溪县市场监督管理局"},
        "hall": {"id": 1, "name": "云溪县政务服务中心"},
        "window": {"id": 4, "number": "4", "name": "综合受理窗口"},
        "responsible": {"id": 17, "name": "陈志强"},
        "issued_at": "2025-10-14T17:30:00+08:00", "deadline_at": "2025-10-14T17:30:00+08:00",
        "escalated_at": None, "resolved_at": None, "late_by_seconds": None,
        "alerted_at": "2025-10-14T17:35:02+08:00", "open": True,
    }],
    "page": 1, "page_size": 20, "has_next": False, "next": None, "previous": None,
}


def _page_links(request, page) -> dict:
    url = request.build_absolute_uri()
    previous = None
    if page.has_previous:
        previous = remove_query_param(url, "page") if page.page == 2 else replace_query_param(url, "page", page.page - 1)
    return {
        "page": page.page,
        "page_size": page.page_size,
        "has_next": page.has_next,
        "next": replace_query_param(url, "page", page.page + 1) if page.has_next else None,
        "previous": previous,
    }


def _card_filters(params: dict) -> dict:
    out = {k: params.get(k) for k in ("level", "step", "department", "hall", "window", "staff", "item", "since",
                                       "until")}
    out["open_only"] = params.get("open")
    return out


class SupervisionView(APIView):
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "head", "options"]


class CardListView(SupervisionView):
    @extend_schema(
        operation_id="supervision_cards_list",
        summary="黄牌、红牌列表",
        description=(
            "办件（及窗口受理、网上预审环节）达到预警时间亮黄牌，超过期限亮红牌。牌是永久记录：办件办结后仍保留，"
            "红牌记录超期时长。按亮牌时间倒序分页，不计算总数（总数见 /summary）。只返回本人数据范围内的牌："
            "电子监察员为全局或其区划，大厅管理员为其大厅所在区划，部门负责人为本部门。"
            "未知的部门、大厅、窗口、人员或事项返回 400，`fields` 标出出错的参数。"
        ),
        tags=[TAG],
        parameters=[filters.CardQuerySerializer],
        responses={
            200: OpenApiResponse(serializers.CardPageSerializer, description="一页牌", examples=[
                OpenApiExample("一页红牌", value=_CARD_EXAMPLE, response_only=True)]),
            400: bad_request(OpenApiExample(
                "未知部门", response_only=True, status_codes=["400"],
                value={"code": "invalid", "message": "查询参数有误，请检查标出的参数。",
                       "fields": {"department": ["部门不存在。"], "level": ["“orange”不是合法选项。"]}})),
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        params = filters.validate_query(filters.CardQuerySerializer, request)
        page = selectors.cards_list(user=request.user, page=params["page"], page_size=params["page_size"],
                                    **_card_filters(params))
        body = {"results": serializers.CardSerializer(page.results, many=True).data, **_page_links(request, page)}
        return Response(body)


class SummaryView(SupervisionView):
    @extend_schema(
        operation_id="supervision_summary_retrieve",
        summary="亮牌统计",
        description=(
            "黄牌、红牌数量：合计，以及按部门、按受理窗口、按责任人分组。筛选参数与牌列表相同（不分页），"
            "如 `?open=true` 为当前仍有效的牌，`?since=2025-01-01&until=2025-12-31` 为某年度考核口径。"
        ),
        tags=[TAG],
        parameters=[filters.SummaryQuerySerializer],
        responses={200: serializers.CardSummarySerializer, 400: bad_request(), 403: FORBIDDEN},
    )
    def get(self, request):
        params = filters.validate_query(filters.SummaryQuerySerializer, request)
        summary = selectors.cards_summary(user=request.user, **_card_filters(params))
        return Response(serializers.CardSummarySerializer(summary).data)


class AnomalyListView(SupervisionView):
    @extend_schema(
        operation_id="supervision_anomalies_list",
        summary="异常办件（体外循环线索）",
        description=(
            "系统发现的体外循环线索：承诺件受理后几分钟内即作出决定、未经决定环节办结、同一账号短时间内集中补录受理"
            "大量早已提交的申请、同一账号一周内多次在工作时间外作出决定。供电子监察员核查，按发生时间倒序分页。"
        ),
        tags=[TAG],
        parameters=[filters.AnomalyQuerySerializer],
        responses={200: serializers.AnomalyPageSerializer, 400: bad_request(), 403: FORBIDDEN},
    )
    def get(self, request):
        params = filters.validate_query(filters.AnomalyQuerySerializer, request)
        page = selectors.anomalies_list(
            user=request.user, rule=params.get("rule"), verdict=params.get("verdict"),
            department=params.get("department"), hall=params.get("hall"), staff=params.get("staff"),
            since=params.get("since"), until=params.get("until"), page=params["page"], page_size=params["page_size"])
        body = {"results": serializers.AnomalySerializer(page.results, many=True).data, **_page_links(request, page)}
        return Response(body)


class AnomalyReviewView(APIView):
    permission_classes = [IsAuthenticated]
    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="supervision_anomalies_review",
        summary="核查异常办件",
        description="电子监察员给出核查结论：explained 已说明（属正常办理）或 confirmed 确认违规，并填写说明。"
                    "每条只能核查一次，记入审计日志。",
        tags=[TAG],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="异常办件编号。")],
        request=filters.ReviewSerializer,
        responses={
            200: serializers.AnomalySerializer,
            400: bad_request(description="结论或说明有误"),
            403: FORBIDDEN,
            404: not_found("未找到该异常办件。"),
            409: OpenApiResponse(ErrorSerializer, description="已核查过"),
        },
    )
    def post(self, request, id: int):
        data = filters.ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.anomaly_review(actor=request.user, anomaly_id=id, verdict=data.validated_data["verdict"],
                                comment=data.validated_data["comment"])
        return Response(serializers.AnomalySerializer(selectors.anomaly_get(user=request.user, anomaly_id=id)).data)
