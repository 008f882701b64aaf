"""Query parameters of the supervision API: every lookup becomes the object it names, so a typo is a 400
with the parameter marked, never an empty list that looks like "no cards"."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onewindow.api.schema import EnumField
from onewindow.catalogue.api.filters import (
    BIGINT_MAX,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    LookupSerializer,
    department_param,
    validate_query,
)
from onewindow.catalogue.models import ServiceItem
from onewindow.org.models import Hall, Window

from ..constants import AnomalyRule, CardLevel, CardStep, ReviewVerdict, Verdict

__all__ = ["validate_query", "CardQuerySerializer", "SummaryQuerySerializer", "AnomalyQuerySerializer",
           "ReviewSerializer"]


class QueryBoolean(serializers.BooleanField):
    """A boolean query parameter that is absent when not given (not False, as for an HTML checkbox)."""

    default_empty_html = serializers.empty


def _id_param(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False, help_text=help_text)


class SupervisionLookupSerializer(LookupSerializer):
    def validate_hall(self, value):
        return self._lookup(Hall.objects.all(), _("大厅不存在。"), pk=value)

    def validate_window(self, value):
        return self._lookup(Window.objects.all(), _("窗口不存在。"), pk=value)

    def validate_staff(self, value):
        return self._lookup(get_user_model().objects.filter(is_active=True), _("人员不存在。"), pk=value)

    def validate_item(self, value):
        return self._lookup(ServiceItem.objects.all(), _("事项不存在。"), implementation_code=value)

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": [_("结束日期不能早于开始日期。")]})
        return attrs


class CardFilterSerializer(SupervisionLookupSerializer):
    level = serializers.ChoiceField(choices=CardLevel.choices, required=False,
                                    help_text="yellow 黄牌（预警），red 红牌（超期）；不填为两种都要。")
    step = serializers.ChoiceField(choices=CardStep.choices, required=False,
                                   help_text="case 办结时限，acceptance 窗口受理，prereview 网上预审。")
    department = department_param(help_text="部门编号，见 /api/v1/catalogue/departments。")
    hall = _id_param("受理大厅编号。")
    window = _id_param("受理窗口编号。")
    staff = _id_param("责任人（人员编号）。")
    item = serializers.CharField(max_length=60, required=False, help_text="事项实施编码。")
    open = QueryBoolean(required=False,
                        help_text="true：只看当前仍有效的牌（办件仍在计时，黄牌尚未转红）；false：只看已结束的；"
                                  "不填：全部（含已办结办件的永久记录）。")
    since = serializers.DateField(required=False, help_text="亮牌日期起（含），如 2025-10-01。")
    until = serializers.DateField(required=False, help_text="亮牌日期止（含）。")


class CardQuerySerializer(CardFilterSerializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1,
                                    help_text="页码，从 1 开始。")
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False,
                                         default=DEFAULT_PAGE_SIZE, help_text="每页条数，1–100，默认 20。")


class SummaryQuerySerializer(CardFilterSerializer):
    pass


class AnomalyQuerySerializer(SupervisionLookupSerializer):
    rule = serializers.ChoiceField(choices=AnomalyRule.choices, required=False, help_text="异常规则。")
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False,
                                      help_text="核查结论：pending 待核查，explained 已说明，confirmed 确认违规。")
    department = department_param(help_text="部门编号。")
    hall = _id_param("受理大厅编号。")
    staff = _id_param("操作账号（人员编号）。")
    since = serializers.DateField(required=False, help_text="发生日期起（含）。")
    until = serializers.DateField(required=False, help_text="发生日期止（含）。")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1,
                                    help_text="页码，从 1 开始。")
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False,
                                         default=DEFAULT_PAGE_SIZE, help_text="每页条数，1–100，默认 20。")


class ReviewSerializer(serializers.Serializer):
    verdict = EnumField(ReviewVerdict, help_text="explained 已说明（属正常办理），confirmed 确认违规。")
    comment = serializers.CharField(max_length=2000, help_text="核查说明。")
