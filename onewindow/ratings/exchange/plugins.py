"""Exchange plugins behind a small registry (DESIGN.md §12). A plugin has `name`, `is_enabled()` and
`send(payload) -> receipt`; it raises RetryableError (try later, with backoff) or PermanentError (give up)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

from django.utils.module_loading import import_string

from .. import conf
from . import sm2


class ExchangeError(Exception):
    retryable = True


class RetryableError(ExchangeError):
    retryable = True


class PermanentError(ExchangeError):
    retryable = False


def signed_headers(body: bytes, *, system_id: str, private_key: str, public_key: str) -> dict[str, str]:
    """X-Signature: SM2 (SM3) over "timestamp\\nnonce\\n" + body, so a replayed body with new headers fails."""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
    message = f"{timestamp}\n{nonce}\n".encode() + body
    return {"Content-Type": "application/json; charset=utf-8", "X-System-Id": system_id, "X-Timestamp": timestamp,
            "X-Nonce": nonce, "X-Signature": sm2.sign(private_key, public_key, message),
            "X-Signature-Algorithm": "SM2-SM3"}


def verify_request(headers, body: bytes, public_key: str) -> bool:
    """What the receiving side does (used by the tests' fake receiver)."""
    message = f"{headers.get('X-Timestamp', '')}\n{headers.get('X-Nonce', '')}\n".encode() + body
    return sm2.verify(public_key, headers.get("X-Signature", ""), message)


class ProvincialExchange:
    """POST the batch as JSON to RATINGS_EXCHANGE_URL, signed with the platform's SM2 key."""

    name = "provincial"
    label = "省级好差评系统"

    def __init__(self) -> None:
        self.settings = conf.exchange()

    def is_enabled(self) -> bool:
        s = self.settings
        return bool(s["url"] and s["private_key"] and s["public_key"])

    def send(self, payload: dict) -> str:
        s = self.settings
        if not self.is_enabled():
            raise PermanentError("未配置报送地址或签名密钥。")
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = signed_headers(body, system_id=s["system_id"], private_key=s["private_key"],
                                 public_key=s["public_key"])
        if not s["url"].startswith(("http://", "https://")):
            raise PermanentError("报送地址必须是 http(s) 地址。")
        request = urllib.request.Request(s["url"], data=body, method="POST", headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=s["timeout"]) as response:  # noqa: S310 (configured URL)
                text = response.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace")
            if exc.code in (408, 429) or exc.code >= 500:
                raise RetryableError(f"HTTP {exc.code}: {detail}") from exc
            raise PermanentError(f"HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {exc}") from exc
        try:
            receipt = json.loads(text)
        except ValueError as exc:
            raise RetryableError(f"对方回执不是 JSON：{text[:100]}") from exc
        if str(receipt.get("code")) not in ("0", "200"):
            raise PermanentError(f"对方拒收：{receipt.get('message') or text[:200]}")
        return str(receipt.get("receipt") or receipt.get("message") or "ok")


PLUGINS = {"provincial": "onewindow.ratings.exchange.plugins.ProvincialExchange"}


def get_plugin(name: str | None = None):
    name = name or conf.exchange()["plugin"]
    path = PLUGINS.get(name, name if "." in (name or "") else None)
    if path is None:
        return None
    return import_string(path)()
