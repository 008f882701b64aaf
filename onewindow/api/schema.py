"""OpenAPI pieces shared by every app's API: the error body and ready-made 400/404 responses.

Every 4xx body has one shape (DESIGN.md §8, onewindow.core.api.exception_handler):
``{"code": "invalid", "message": "中文说明", "fields": {"department": ["部门不存在。"]}}``.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

__all__ = ["ErrorSerializer", "EnumField", "bad_request", "not_found", "JSON"]

JSON = "application/json"


class EnumField(serializers.ChoiceField):
    """A choice field from a TextChoices/IntegerChoices class, documented as one named enum component.

    ``EnumField(TimeUnit)`` is ``TimeUnitEnum`` in the schema wherever it is used and under any field
    name, so clients get one type per choices class (and spectacular no warning about enum names).
    """

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self) -> str:
        return f"{self.target.choices_class.__name__}Enum"

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx response."""

    def get_fields(self):
        # `fields` is a property of Serializer, so the field of that name is declared here.
        return {
            "code": serializers.CharField(help_text="机器可读的错误代码，如 invalid、not_found、method_not_allowed。"),
            "message": serializers.CharField(help_text="给人看的中文说明。"),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text="出错的字段（或查询参数）及其错误说明；与字段无关的错误为空对象。",
            ),
        }


def bad_request(*examples: OpenApiExample, description: str = "查询参数有误") -> OpenApiResponse:
    return OpenApiResponse(
        response=ErrorSerializer,
        description=description,
        examples=list(examples) or [
            OpenApiExample(
                "参数有误",
                value={"code": "invalid", "message": "查询参数有误，请检查标出的参数。",
                       "fields": {"page": ["请填写合法的整数值。"]}},
                response_only=True, status_codes=["400"],
            )
        ],
    )


def not_found(message: str = "未找到。", description: str = "未找到") -> OpenApiResponse:
    return OpenApiResponse(
        response=ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample("未找到", value={"code": "not_found", "message": message, "fields": {}},
                           response_only=True, status_codes=["404"]),
        ],
    )
