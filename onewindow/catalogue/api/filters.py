"""Query parameters of the public catalogue API, validated by serializers.

Each lookup parameter (department, region, item_type, theme) is turned into the object it names,
so an unknown value is a 400 with the parameter marked, never an empty page that hides a typo.
Empty parameters (``?department=``) count as absent.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onewindow.core.errors import ApplicationError
from onewindow.org.constants import RegionLevel
from onewindow.org.models import Department, Region

from ..constants import Audience, HandlingType, OnlineDepth
from ..models import ItemType, Theme

MAX_SEARCH_LENGTH = 100
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
REGION_CODE_PATTERN = r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$"
BIGINT_MAX = 2**63 - 1

QUERY_INVALID = _("查询参数有误，请检查标出的参数。")


def validate_query(serializer_class: type[serializers.Serializer], request) -> dict:
    """The validated query parameters, or an ApplicationError (400) naming each bad parameter."""
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise ApplicationError(str(QUERY_INVALID), code="invalid", fields=serializer.errors)
    return serializer.validated_data


def department_param(**kwargs) -> serializers.IntegerField:
    kwargs.setdefault("help_text", "实施主体（部门）编号，见 /api/v1/catalogue/departments。")
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False, **kwargs)


def region_param(**kwargs) -> serializers.RegexField:
    kwargs.setdefault("help_text", "行政区划代码（GB/T 2260，6、9 或 12 位），见 /api/v1/catalogue/regions。")
    return serializers.RegexField(REGION_CODE_PATTERN, max_length=12, required=False,
                                  error_messages={"invalid": _("行政区划代码应为 6、9 或 12 位数字（GB/T 2260）。")},
                                  **kwargs)


def item_type_param(**kwargs) -> serializers.CharField:
    kwargs.setdefault("help_text", "事项类型代码，如 01 行政许可、20 公共服务，见 /api/v1/catalogue/item-types。")
    return serializers.CharField(max_length=4, required=False, **kwargs)


def theme_param(**kwargs) -> serializers.CharField:
    kwargs.setdefault("help_text", "主题代码，如 marriage、start-business，见 /api/v1/catalogue/themes。")
    return serializers.CharField(max_length=40, required=False, **kwargs)


class LookupSerializer(serializers.Serializer):
    """Turns lookup parameters into objects once their format is valid (field validators run first)."""

    def _lookup(self, queryset, message, **filters):
        obj = queryset.filter(**filters).first()
        if obj is None:
            raise serializers.ValidationError(message, code="does_not_exist")
        return obj

    def validate_department(self, value):
        return self._lookup(Department.objects.all(), _("部门不存在。"), pk=value)

    def validate_region(self, value):
        return self._lookup(Region.objects.all(), _("行政区划不存在。"), code=value)

    def validate_parent(self, value):
        return self._lookup(Region.objects.all(), _("行政区划不存在。"), code=value)

    def validate_item_type(self, value):
        return self._lookup(ItemType.objects.all(), _("事项类型不存在。"), code=value)

    def validate_theme(self, value):
        return self._lookup(Theme.objects.all(), _("主题不存在。"), code=value)


class ItemQuerySerializer(LookupSerializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SEARCH_LENGTH,
        help_text="搜索词：事项名称、关键词或拼音首字母（如 spjy）。按名称、关键词、材料的相关度排序。",
    )
    department = department_param()
    region = region_param(help_text="行政区划代码：该区划部门的事项，以及赋权、前移到该区划的事项。")
    item_type = item_type_param()
    theme = theme_param()
    handling_type = serializers.ChoiceField(choices=HandlingType.choices, required=False,
                                            help_text="办件类型：instant 即办件，promised 承诺件。")
    online_depth = serializers.IntegerField(min_value=OnlineDepth.INFO, max_value=OnlineDepth.FULL, required=False,
                                            help_text="网上办理深度下限（1–4）：3 表示Ⅲ级及以上。")
    audience = serializers.ChoiceField(choices=Audience.choices, required=False,
                                       help_text="服务对象：person 自然人，company 法人。")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1,
                                    help_text="页码，从 1 开始。")
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False,
                                         default=DEFAULT_PAGE_SIZE, help_text="每页条数，1–100，默认 20。")


class IndicatorQuerySerializer(LookupSerializer):
    department = department_param(help_text="只统计该部门的事项；不填则为全部已发布事项。")


class DepartmentQuerySerializer(LookupSerializer):
    region = region_param(help_text="只列出该行政区划的部门。")


class ThemeQuerySerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=Audience.choices, required=False,
                                       help_text="服务对象：person 个人主题，company 法人主题。")


class RegionQuerySerializer(LookupSerializer):
    parent = region_param(help_text="只列出该区划的直接下级。")
    level = serializers.ChoiceField(choices=RegionLevel.choices, required=False, help_text="只列出该层级的区划。")
