"""One-time codes (短信验证码): issue with rate limits, verify with attempt counting. Hashed in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.core.errors import ApplicationError

from . import sms
from .constants import (
    CODE_DAILY_LIMIT_PER_PHONE,
    CODE_DIGITS,
    CODE_HOURLY_LIMIT_PER_CLIENT,
    CODE_MAX_ATTEMPTS,
    CODE_RESEND_SECONDS,
    CODE_TTL_SECONDS,
)
from .models import OneTimeCode
from .phones import client_hash, mobile_hash


def _code_hash(row_salt: str, code: str) -> str:
    key = f"onewindow.accounts.code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{row_salt}:{code}".encode(), hashlib.sha256).hexdigest()


def seconds_until_resend(mobile: str) -> int:
    """0 if a new code may be sent to this number now, else the seconds to wait."""
    last = (OneTimeCode.objects.filter(phone_hash=mobile_hash(mobile)).order_by("-created_at")
            .values_list("created_at", flat=True).first())
    if last is None:
        return 0
    wait = CODE_RESEND_SECONDS - (timezone.now() - last).total_seconds()
    return max(math.ceil(wait), 0)


def has_live_code(mobile: str, purpose: str) -> bool:
    """A code for `purpose` was sent to this number and may still be used (not used, not expired, tries left)."""
    row = (OneTimeCode.objects.filter(phone_hash=mobile_hash(mobile), purpose=purpose)
           .order_by("-created_at").first())
    return bool(row and row.used_at is None and row.attempts < CODE_MAX_ATTEMPTS
                and timezone.now() < row.expires_at)


def code_issue(*, mobile: str, purpose: str, client_ip: str | None = None) -> OneTimeCode:
    """Create a code for `mobile` and send it by SMS. Raises ApplicationError when sending too often."""
    now = timezone.now()
    phone = mobile_hash(mobile)
    wait = seconds_until_resend(mobile)
    if wait:
        raise ApplicationError(_("验证码发送过于频繁，请 %(n)s 秒后再试。") % {"n": wait}, code="code_too_soon",
                               status=429)
    sent_today = OneTimeCode.objects.filter(phone_hash=phone, created_at__gte=now - dt.timedelta(days=1)).count()
    if sent_today >= CODE_DAILY_LIMIT_PER_PHONE:
        raise ApplicationError(_("该手机号今日获取验证码的次数已达上限，请明天再试。"), code="code_daily_limit",
                               status=429)
    client = client_hash(client_ip)
    if client_ip and OneTimeCode.objects.filter(
            client_hash=client, created_at__gte=now - dt.timedelta(hours=1)).count() >= CODE_HOURLY_LIMIT_PER_CLIENT:
        raise ApplicationError(_("获取验证码过于频繁，请稍后再试。"), code="code_client_limit", status=429)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    try:
        with transaction.atomic():
            row = OneTimeCode.objects.create(
                purpose=purpose, phone_hash=phone, code_hash=f"{salt}${_code_hash(salt, code)}",
                slot=int(now.timestamp()) // CODE_RESEND_SECONDS, client_hash=client, created_at=now,
                expires_at=now + dt.timedelta(seconds=CODE_TTL_SECONDS))
    except IntegrityError as exc:  # a second click raced the first one within the same minute
        raise ApplicationError(_("验证码发送过于频繁，请 %(n)s 秒后再试。") % {"n": CODE_RESEND_SECONDS},
                               code="code_too_soon", status=429) from exc
    try:
        sms.send_one_time_code(mobile, code, purpose=purpose)
    except ApplicationError:
        row.delete()  # not sent: the person may try again at once
        raise
    return row


def _matches(row: OneTimeCode, code: str) -> bool:
    salt, _sep, digest = row.code_hash.partition("$")
    return hmac.compare_digest(digest, _code_hash(salt, code))


def code_verify(*, mobile: str, purpose: str, code: str) -> OneTimeCode:
    """Check and use up the latest code sent to `mobile` for `purpose`.

    Every wrong try counts (committed at once, whatever the caller does next); after CODE_MAX_ATTEMPTS wrong
    tries, or CODE_TTL_SECONDS after sending, the code is dead and the person must ask for a new one.
    """
    code = (code or "").strip()
    row = (OneTimeCode.objects.filter(phone_hash=mobile_hash(mobile), purpose=purpose)
           .order_by("-created_at").first())
    if row is None:
        msg = _("请先获取短信验证码。")
        raise ApplicationError(msg, code="code_missing", fields={"code": msg})
    if row.used_at is not None:
        msg = _("该验证码已使用，请重新获取。")
        raise ApplicationError(msg, code="code_used", fields={"code": msg})
    if row.attempts >= CODE_MAX_ATTEMPTS:
        msg = _("验证码错误次数过多，请重新获取。")
        raise ApplicationError(msg, code="code_locked", fields={"code": msg})
    if timezone.now() >= row.expires_at:
        msg = _("验证码已过期，请重新获取。")
        raise ApplicationError(msg, code="code_expired", fields={"code": msg})
    if not (code.isdigit() and len(code) == CODE_DIGITS and _matches(row, code)):
        OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = CODE_MAX_ATTEMPTS - row.attempts - 1
        if left <= 0:
            msg = _("验证码错误次数过多，请重新获取。")
            raise ApplicationError(msg, code="code_locked", fields={"code": msg})
        msg = _("验证码错误，还可以再试 %(n)s 次。") % {"n": left}
        raise ApplicationError(msg, code="code_wrong", fields={"code": msg})
    # Use it up atomically: of two requests racing with the same code, one wins.
    used = OneTimeCode.objects.filter(pk=row.pk, used_at__isnull=True, attempts__lt=CODE_MAX_ATTEMPTS).update(
        used_at=timezone.now())
    if not used:
        msg = _("该验证码已使用，请重新获取。")
        raise ApplicationError(msg, code="code_used", fields={"code": msg})
    return row
