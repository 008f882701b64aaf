"""Mainland mobile numbers: normalise, validate, hash (for rate limits and lookups that store no number)."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onewindow.notifications.masking import mask_phone

__all__ = ["normalize_mobile", "mobile_hash", "client_hash", "mask_phone", "MOBILE_INVALID"]

MOBILE_INVALID = _("手机号码无效，请输入 11 位中国大陆手机号码。")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """" 138-0013 8000", "+86 13800138000" → "13800138000"; anything else raises ValidationError."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise ValidationError(MOBILE_INVALID, code="invalid_mobile")
    return digits


def _keyed_hash(kind: str, value: str) -> str:
    key = f"onewindow.accounts.{kind}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mobile_hash(mobile: str) -> str:
    """A keyed hash of a normalised number: one-time codes and lockouts are counted per number without storing it."""
    return _keyed_hash("mobile", mobile)


def client_hash(ip: str | None) -> str:
    return _keyed_hash("client", ip or "-")
