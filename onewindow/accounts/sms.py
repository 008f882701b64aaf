"""Sending one-time codes by SMS. The one place that couples accounts to the SMS backends.

It uses the notifications app's SMS settings and gateway client (docs/notifications.md): SMS_BACKEND
"gateway" posts template `one_time_code` with params {code, minutes} to the gateway; "console" (the
embedded demo's default) writes the code to the server log so that a demo user can read it; "none" refuses.
Only the console backend ever writes a code anywhere.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from onewindow.core.errors import ApplicationError
from onewindow.notifications.channels import DeliveryError
from onewindow.notifications.channels.sms import SmsChannel

from .constants import CODE_TTL_SECONDS
from .phones import mask_phone

logger = logging.getLogger("onewindow.sms")

TEMPLATE = "one_time_code"


def send_one_time_code(phone: str, code: str, *, purpose: str) -> None:
    """Send `code` to `phone`; raise ApplicationError (Chinese message) if it cannot be sent."""
    channel = SmsChannel()
    minutes = CODE_TTL_SECONDS // 60
    if channel.backend == "console":
        # The demo's SMS: printed to the console (the server log), never in production settings.
        logger.warning("SMS to %s [%s/%s]: 【%s】您的验证码是 %s，%s 分钟内有效。请勿告诉他人。",
                       mask_phone(phone), TEMPLATE, purpose, getattr(settings, "SMS_SIGN_NAME", ""), code, minutes)
        return
    if not channel.is_enabled():
        raise ApplicationError(_("短信服务未开通，暂时无法发送验证码，请联系管理员。"), code="sms_unavailable",
                               status=503)
    try:
        channel.client().send(phone=phone, template=TEMPLATE,
                              params={"code": code, "minutes": str(minutes), "purpose": purpose})
    except DeliveryError as exc:
        logger.warning("SMS one-time code to %s failed: %s", mask_phone(phone), exc)
        raise ApplicationError(_("短信发送失败，请稍后再试。"), code="sms_failed", status=503) from exc
