"""居民身份证 and 统一社会信用代码: validation, normalisation and masking in one place."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

RIC_INVALID = _("居民身份证号码无效，请核对后重新输入（18 位，最后一位可为 X）。")
USCC_INVALID = _("统一社会信用代码无效，请核对后重新输入（18 位数字或大写字母）。")


def _compact(value: str) -> str:
    # People type IDs with spaces and dashes, and a lower-case x.
    return re.sub(r"[\s\-]", "", value or "").upper()


def normalize_ric(value: str) -> str:
    try:
        return ric.validate(_compact(value))
    except StdnumError as exc:
        raise ValidationError(RIC_INVALID, code="invalid_id_number") from exc


def normalize_uscc(value: str) -> str:
    try:
        return uscc.validate(_compact(value))
    except StdnumError as exc:
        raise ValidationError(USCC_INVALID, code="invalid_credit_code") from exc


def validate_ric(value: str) -> None:
    normalize_ric(value)


def validate_uscc(value: str) -> None:
    normalize_uscc(value)


def mask_id(value: str | None, visible: int = 4) -> str:
    """Show only the last `visible` characters: 1101**********123X → ************123X."""
    if not value:
        return ""
    value = str(value)
    return "*" * max(len(value) - visible, 0) + value[-visible:]


class _NormalisingCharField(models.CharField):
    normaliser = staticmethod(lambda v: v)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return self.normaliser(value)


class ResidentIdField(_NormalisingCharField):
    """居民身份证号码, validated with python-stdnum and stored in canonical form."""

    normaliser = staticmethod(normalize_ric)
    default_validators = [validate_ric]


class CreditCodeField(_NormalisingCharField):
    """统一社会信用代码 (GB 32100-2015), validated with python-stdnum."""

    normaliser = staticmethod(normalize_uscc)
    default_validators = [validate_uscc]


class _StdnumSerializerField(serializers.CharField):
    normaliser = staticmethod(lambda v: v)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return self.normaliser(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code=exc.code) from exc


class ResidentIdSerializerField(_StdnumSerializerField):
    normaliser = staticmethod(normalize_ric)


class CreditCodeSerializerField(_StdnumSerializerField):
    normaliser = staticmethod(normalize_uscc)


class ResidentIdFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalize_ric(value) if value else value


class CreditCodeFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalize_uscc(value) if value else value
