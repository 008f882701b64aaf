"""SMS: a generic HTTP JSON gateway client, and a console backend for the embedded demo.

SMS_BACKEND selects the backend: "gateway" (SMS_GATEWAY_URL set), "console" (writes the text to the log;
the embedded default) or "none" (channel disabled). See docs/notifications.md for the gateway contract.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..masking import mask_phone, mask_text
from . import Channel, PermanentError, RetryableError

logger = logging.getLogger("onewindow.sms")

RETRYABLE_STATUS = {408, 425, 429}


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp\\nnonce\\n" + body, hex. The gateway recomputes it with the shared secret."""
    return hmac.new(secret.encode(), f"{timestamp}\n{nonce}\n".encode() + body, hashlib.sha256).hexdigest()


class SmsGatewayClient:
    """POST {phone, template, params, signature} as JSON to the gateway, authenticated by API key + HMAC.

    `signature` in the body is the SMS sign name (短信签名, e.g. 云溪县政务服务) that the carrier shows in
    【】; the request itself is signed in the X-Signature header.
    """

    def __init__(self, *, url: str, api_key: str, secret: str, sign_name: str, timeout: float = 5.0) -> None:
        self.url, self.api_key, self.secret, self.sign_name, self.timeout = url, api_key, secret, sign_name, timeout

    def send(self, *, phone: str, template: str, params: dict) -> str:
        if not self.url.lower().startswith(("https://", "http://")):
            raise PermanentError("SMS_GATEWAY_URL 必须是 http(s) 地址。")
        body = json.dumps({"phone": phone, "template": template, "params": params, "signature": self.sign_name},
                          ensure_ascii=False, separators=(",", ":")).encode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        request = urllib.request.Request(self.url, data=body, method="POST", headers={  # noqa: S310 (configured URL)
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Api-Key": self.api_key,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": sign(self.secret or self.api_key, timestamp, nonce, body),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = mask_text(exc.read(300).decode("utf-8", "replace")) if exc.fp else ""
            text = f"HTTP {exc.code} {detail}".strip()[:300]
            if exc.code in RETRYABLE_STATUS or exc.code >= 500:
                raise RetryableError(text) from exc
            raise PermanentError(text) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:300]) from exc
        try:
            data = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            data = {}
        if isinstance(data, dict) and data.get("ok") is False:
            raise PermanentError(mask_text(str(data.get("error") or "gateway refused the message"))[:300])
        return str(data.get("id", "")) if isinstance(data, dict) else ""


class SmsChannel(Channel):
    name = "sms"
    label = _("短信")

    @property
    def backend(self) -> str:
        return (getattr(settings, "SMS_BACKEND", "none") or "none").lower()

    def is_enabled(self) -> bool:
        if self.backend == "gateway":
            return bool(getattr(settings, "SMS_GATEWAY_URL", ""))
        return self.backend == "console"

    def address_for(self, message) -> str:
        phone = (message.applicant.phone or "").strip()
        if not phone:
            user = message.recipient or message.applicant.user
            phone = (getattr(user, "mobile", "") or "").strip() if user is not None else ""
        return phone

    def client(self) -> SmsGatewayClient:
        return SmsGatewayClient(url=settings.SMS_GATEWAY_URL, api_key=settings.SMS_API_KEY,
                                secret=settings.SMS_API_SECRET, sign_name=settings.SMS_SIGN_NAME,
                                timeout=float(settings.SMS_TIMEOUT))

    def send(self, delivery) -> str:
        message = delivery.message
        if self.backend == "console":
            # The demo's "SMS": the text goes to the server log; the number is masked like everywhere else.
            logger.info("SMS to %s [%s]: 【%s】%s", mask_phone(delivery.address), message.template,
                        getattr(settings, "SMS_SIGN_NAME", ""), message.body)
            return ""
        if self.backend != "gateway":
            raise PermanentError("短信渠道未启用。")
        params = {k: str(v) for k, v in (message.params or {}).items()}
        return self.client().send(phone=delivery.address, template=message.template, params=params)
