"""The v1 root: what the API offers, and JSON 404s for paths it does not have."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.core.errors import NotFound

# (key, URL name, description) of each public endpoint without path parameters.
ENDPOINTS = [
    ("catalogue_items", "catalogue-api:item-list", "已发布事项查询"),
    ("catalogue_indicators", "catalogue-api:indicators", "马上办、网上办、就近办、一次办等指标"),
    ("catalogue_item_types", "catalogue-api:item-type-list", "事项类型"),
    ("catalogue_themes", "catalogue-api:theme-list", "主题"),
    ("catalogue_departments", "catalogue-api:department-list", "部门"),
    ("catalogue_regions", "catalogue-api:region-list", "行政区划"),
    ("calendar_deadline", "calendar-api:deadline", "按工作日计算办结期限（?start=&days=&unit=）"),
    ("cases", "cases-api:case-list", "办件：提交申请、查询和办理（需登录或令牌），见文档“Cases”"),
    ("ratings_options", "ratings-api:options", "好差评：评价等级与选项；评价、差评整改与统计见文档“好差评”"),
    ("supervision_cards", "supervision-api:card-list", "电子监察：黄牌、红牌（需登录，按数据范围）"),
    ("schema", "api-schema", "OpenAPI 3 接口描述（YAML，加 ?format=json 为 JSON）"),
    ("docs", "api-docs", "接口文档（Swagger UI）"),
]
# Endpoints with a path parameter, given as templates.
TEMPLATES = [
    ("catalogue_item", "catalogue-api:item-detail", {"implementation_code": "IMPLEMENTATION_CODE"},
     "IMPLEMENTATION_CODE", "{implementation_code}", "事项办事指南"),
    ("catalogue_list", "catalogue-api:list-detail", {"kind": "KIND"}, "KIND", "{kind}", "公布的清单（JSON 或 Excel）"),
]


class ApiRootView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="api_root",
        summary="接口目录",
        description="v1 提供的公开接口及其完整地址；带 `{}` 的是地址模板。",
        tags=["目录"],
        responses={200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="接口名 → {url, description}",
            examples=[OpenApiExample("接口目录", response_only=True, value={
                "catalogue_items": {"url": "https://zwfw.example.gov.cn/api/v1/catalogue/items",
                                    "description": "已发布事项查询"},
            })],
        )},
    )
    def get(self, request):
        body = {}
        for key, name, description in ENDPOINTS:
            body[key] = {"url": request.build_absolute_uri(reverse(name)), "description": description}
        for key, name, kwargs, placeholder, template, description in TEMPLATES:
            url = request.build_absolute_uri(reverse(name, kwargs=kwargs)).replace(placeholder, template)
            body[key] = {"url": url, "description": description}
        return Response(body)


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """Any other path under /api/v1/ answers with the JSON error body, not an HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("没有这个接口，请查看 /api/v1/ 的接口目录。")

    def get(self, request, *args, **kwargs):
        raise NotFound("没有这个接口，请查看 /api/v1/ 的接口目录。")
