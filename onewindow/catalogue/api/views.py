"""The public, read-only catalogue API: item search, service guides, published lists, indicators
and the dictionaries a client needs to build its filters.

Views are thin: validate the query with a serializer, call one selector, serialise.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from onewindow.api.schema import JSON, bad_request, not_found
from onewindow.core.errors import NotFound
from onewindow.org.models import Department, Region

from ..constants import ListKind
from ..lists import indicators_build, list_build, list_to_xlsx
from ..models import ItemType, Theme
from ..selectors import item_get_published, item_search
from . import filters, serializers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CODE_LENGTH = 60

ITEMS_TAG = "事项"
LISTS_TAG = "清单与指标"
DICTIONARIES_TAG = "字典"


class PublicView(APIView):
    """Anyone may read; nothing here writes, so no session or CSRF is involved."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]


# Items ----------------------------------------------------------------------------------------

_ITEM_PAGE_EXAMPLE = {
    "results": [{
        "implementation_code": "11430422MB000001",
        "basic_code": "0000100001",
        "name": "食品经营许可",
        "version": 1,
        "item_type": {"code": "01", "name": "行政许可"},
        "department": {"id": 3, "name": "示范县市场监督管理局", "short_name": "县市场监管局"},
        "for_person": True,
        "for_company": True,
        "audience_label": "自然人、法人",
        "handling_type": "promised",
        "handling_type_label": "承诺件",
        "legal_days": 20,
        "legal_days_unit": "workday",
        "legal_days_unit_label": "工作日",
        "promised_days": 5,
        "promised_days_unit": "workday",
        "promised_days_unit_label": "工作日",
        "online_depth": 3,
        "online_depth_label": "Ⅲ级 在线预审",
        "visits_required": 1,
        "has_fee": False,
        "url": "https://zwfw.example.gov.cn/api/v1/catalogue/items/11430422MB000001",
    }],
    "page": 1,
    "page_size": 20,
    "has_next": True,
    "next": "https://zwfw.example.gov.cn/api/v1/catalogue/items?search=%E9%A3%9F%E5%93%81&page=2",
    "previous": None,
}


class ItemListView(PublicView):
    @extend_schema(
        operation_id="catalogue_items_list",
        summary="查询已发布事项",
        description=(
            "按搜索词和筛选条件分页列出已发布的政务服务事项。有搜索词时按相关度排序（名称 > 关键词 > 主题 > 部门 > 材料，"
            "支持拼音首字母），否则按热度排序。\n\n"
            "分页不计算总数：`has_next` 表示是否还有下一页，`next` / `previous` 是相邻页的完整地址。"
            "未知的部门、区划、类型、主题或超出范围的值返回 400，`fields` 标出出错的参数。"
        ),
        tags=[ITEMS_TAG],
        parameters=[filters.ItemQuerySerializer],
        responses={
            200: OpenApiResponse(serializers.ItemPageSerializer, description="一页事项",
                                 examples=[OpenApiExample("一页事项", value=_ITEM_PAGE_EXAMPLE, response_only=True)]),
            400: bad_request(OpenApiExample(
                "未知部门", value={"code": "invalid", "message": "查询参数有误，请检查标出的参数。",
                                 "fields": {"department": ["部门不存在。"]}},
                response_only=True, status_codes=["400"],
            )),
        },
    )
    def get(self, request):
        params = filters.validate_query(filters.ItemQuerySerializer, request)
        page = item_search(
            query=params.get("search", ""),
            page=params["page"],
            page_size=params["page_size"],
            department=params.get("department"),
            region=params.get("region"),
            item_type=params.get("item_type"),
            theme=params.get("theme"),
            handling_type=params.get("handling_type"),
            online_depth=params.get("online_depth"),
            audience=params.get("audience"),
        )
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous:
            previous = (remove_query_param(url, "page") if page.page == 2
                        else replace_query_param(url, "page", page.page - 1))
        body = {
            "results": serializers.ItemSummarySerializer(page.results, many=True, context={"request": request}).data,
            "page": page.page,
            "page_size": page.page_size,
            "has_next": page.has_next,
            "next": replace_query_param(url, "page", page.page + 1) if page.has_next else None,
            "previous": previous,
        }
        return Response(body)


class ItemDetailView(PublicView):
    @extend_schema(
        operation_id="catalogue_items_retrieve",
        summary="事项办事指南",
        description="已发布事项的完整办事指南：全部要素、申请材料、办理环节、收费、常见问题和赋权情况。",
        tags=[ITEMS_TAG],
        parameters=[OpenApiParameter("implementation_code", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="实施编码。")],
        responses={
            200: OpenApiResponse(serializers.ItemDetailSerializer, description="办事指南"),
            404: not_found("未找到该事项，或该事项尚未发布。", description="没有这个实施编码的已发布事项"),
        },
    )
    def get(self, request, implementation_code: str):
        if len(implementation_code) > MAX_CODE_LENGTH or not implementation_code.isprintable():
            raise NotFound("未找到该事项，或该事项尚未发布。")
        try:
            version = item_get_published(code=implementation_code)
        except Http404:
            raise NotFound("未找到该事项，或该事项尚未发布。") from None
        return Response(serializers.ItemDetailSerializer(version, context={"request": request}).data)


# Lists and indicators -------------------------------------------------------------------------


class XlsxRenderer(BaseRenderer):
    """Lets content negotiation pick Excel (``?format=xlsx`` or ``Accept``); the view makes the bytes."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


_KIND_PARAM = OpenApiParameter(
    "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ListKind.values),
    description="清单种类：" + "，".join(f"{k.value} {k.label}" for k in ListKind),
)
_LIST_NOT_FOUND = not_found("没有这种清单。", description="未知的清单种类")


def _published_list(kind: str):
    if kind not in ListKind.values:
        raise NotFound("没有这种清单。")
    return list_build(kind)


def _xlsx_response(published) -> HttpResponse:
    response = HttpResponse(list_to_xlsx(published, bureau=settings.SITE_BUREAU), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{published.title}.xlsx")
    return response


class PublishedListView(PublicView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON, even when Excel was asked for.
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="catalogue_lists_retrieve",
        summary="公布的清单",
        description=(
            "一种清单的全部行（仅已发布事项），列与门户网站和 Excel 下载一致。加 `?format=xlsx`（或请求头 "
            f"`Accept: {XLSX}`）得到 Excel 文件。"
        ),
        tags=[LISTS_TAG],
        parameters=[
            _KIND_PARAM,
            OpenApiParameter("format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["json", "xlsx"],
                             description="输出格式，默认 json。"),
        ],
        responses={
            (200, JSON): OpenApiResponse(serializers.PublishedListSerializer, description="清单（JSON）"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件"),
            (404, JSON): _LIST_NOT_FOUND,
        },
    )
    def get(self, request, kind: str, format: str | None = None):  # `format` is DRF's suffix kwarg
        published = _published_list(kind)
        if request.accepted_renderer.format == "xlsx":
            return _xlsx_response(published)
        columns = [{"key": "index", "label": "序号"}] + [{"key": c.key, "label": c.label} for c in published.columns]
        keys = [c["key"] for c in columns]
        body = {
            "kind": published.kind.value if hasattr(published.kind, "value") else published.kind,
            "title": published.title,
            "description": published.description,
            "count": len(published.rows),
            "columns": columns,
            "rows": [{k: row.get(k, "") for k in keys} for row in published.rows],
        }
        return Response(body)


class PublishedListXlsxView(PublishedListView):
    renderer_classes = [XlsxRenderer]  # errors still come out as JSON (finalize_response)

    @extend_schema(
        operation_id="catalogue_lists_xlsx",
        summary="下载清单 Excel",
        description="与 `/lists/{kind}?format=xlsx` 相同：一种清单的 Excel 文件（标题、发布日期、表头和各行）。",
        tags=[LISTS_TAG],
        parameters=[_KIND_PARAM],
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件"),
            (404, JSON): _LIST_NOT_FOUND,
        },
    )
    def get(self, request, kind: str, format: str | None = None):
        return _xlsx_response(_published_list(kind))


class IndicatorsView(PublicView):
    @extend_schema(
        operation_id="catalogue_indicators_retrieve",
        summary="便民指标",
        description="马上办、网上办、全程网办、就近办、一次办、零跑动：达到各项指标的已发布事项数及占比。",
        tags=[LISTS_TAG],
        parameters=[filters.IndicatorQuerySerializer],
        responses={200: serializers.IndicatorsSerializer, 400: bad_request()},
    )
    def get(self, request):
        params = filters.validate_query(filters.IndicatorQuerySerializer, request)
        department = params.get("department")
        result = indicators_build(department=department)
        body = {
            "total": result.total,
            "department": serializers.DepartmentRefSerializer(department).data if department else None,
            "items": [{"key": i.key, "label": i.label, "description": i.description, "count": i.count,
                       "percent": i.percent} for i in result.items],
        }
        return Response(body)


# Dictionaries ---------------------------------------------------------------------------------


class ItemTypeListView(PublicView):
    @extend_schema(operation_id="catalogue_item_types_list", summary="事项类型", tags=[DICTIONARIES_TAG],
                   description="启用的事项类型，用作 `item_type` 参数。",
                   responses={200: serializers.ItemTypeSerializer(many=True)})
    def get(self, request):
        types = ItemType.objects.filter(is_active=True).order_by("sort", "code")
        return Response(serializers.ItemTypeSerializer(types, many=True).data)


class ThemeListView(PublicView):
    @extend_schema(operation_id="catalogue_themes_list", summary="主题", tags=[DICTIONARIES_TAG],
                   description="个人和法人办事主题，用作 `theme` 参数。",
                   parameters=[filters.ThemeQuerySerializer],
                   responses={200: serializers.ThemeSerializer(many=True), 400: bad_request()})
    def get(self, request):
        params = filters.validate_query(filters.ThemeQuerySerializer, request)
        themes = Theme.objects.order_by("audience", "sort", "code")
        if params.get("audience"):
            themes = themes.filter(audience=params["audience"])
        return Response(serializers.ThemeSerializer(themes, many=True).data)


class DepartmentListView(PublicView):
    @extend_schema(operation_id="catalogue_departments_list", summary="部门", tags=[DICTIONARIES_TAG],
                   description="实施主体（部门）及其所属区划，`id` 用作 `department` 参数。",
                   parameters=[filters.DepartmentQuerySerializer],
                   responses={200: serializers.DepartmentSerializer(many=True), 400: bad_request()})
    def get(self, request):
        params = filters.validate_query(filters.DepartmentQuerySerializer, request)
        departments = Department.objects.select_related("region").order_by("region__code", "sort", "name")
        if params.get("region"):
            departments = departments.filter(region=params["region"])
        return Response(serializers.DepartmentSerializer(departments, many=True).data)


class RegionListView(PublicView):
    @extend_schema(operation_id="catalogue_regions_list", summary="行政区划", tags=[DICTIONARIES_TAG],
                   description="行政区划和园区，按代码排序的平铺列表；`parent_code` 给出上级，客户端可据此建树。",
                   parameters=[filters.RegionQuerySerializer],
                   responses={200: serializers.RegionSerializer(many=True), 400: bad_request()})
    def get(self, request):
        params = filters.validate_query(filters.RegionQuerySerializer, request)
        regions = Region.objects.select_related("parent").order_by("code")
        if params.get("parent"):
            regions = regions.filter(parent=params["parent"])
        if params.get("level"):
            regions = regions.filter(level=params["level"])
        return Response(serializers.RegionSerializer(regions, many=True).data)
