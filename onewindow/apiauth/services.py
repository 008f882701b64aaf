"""API clients and tokens: create, rotate, revoke, authenticate. Raw secrets leave here once and are never stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError
from onewindow.org.models import StaffRole

from .constants import (
    ACCESS_TOKEN_PREFIX,
    CLIENT_ID_PREFIX,
    SECRET_PREFIX,
    TOKEN_PREFIX,
    ClientRole,
    TokenKind,
)
from .models import ApiClient, ApiToken

__all__ = [
    "api_client_create",
    "api_client_sync_roles",
    "api_client_rotate_secret",
    "api_client_authenticate",
    "api_token_create",
    "api_token_revoke",
    "api_token_authenticate",
    "oauth_access_token_issue",
    "hash_secret",
]

# Touch last_used_at at most this often, so that a busy client does not write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(raw: str) -> str:
    """SHA-256 of a high-entropy secret (≥ 256 random bits: no salt or slow hash needed)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def access_token_lifetime() -> int:
    return int(getattr(settings, "APIAUTH_ACCESS_TOKEN_SECONDS", 3600))


# ------------------------------------------------------------------ clients

def api_client_sync_roles(client: ApiClient) -> None:
    """The service account holds exactly one StaffRole (the client's role) per department of the client."""
    user = client.service_user
    wanted = set(client.departments.values_list("pk", flat=True))
    roles = StaffRole.objects.filter(user=user)
    roles.exclude(role=client.role, department_id__in=wanted).delete()
    have = set(roles.filter(role=client.role).values_list("department_id", flat=True))
    StaffRole.objects.bulk_create([StaffRole(user=user, role=client.role, department_id=pk)
                                   for pk in sorted(wanted - have)])
    if user.is_active != client.is_active:
        user.is_active = client.is_active
        user.save(update_fields=["is_active"])
    if hasattr(user, "_staff_roles_cache"):
        del user._staff_roles_cache


@transaction.atomic
def api_client_create(*, actor, name: str, departments, role: str = ClientRole.ACCEPT, contact: str = "",
                      note: str = "") -> tuple[ApiClient, str]:
    """A new client with its service account and roles; returns the client and its secret (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写接入系统名称。", fields={"name": "请填写名称。"})
    if ApiClient.objects.filter(name=name).exists():
        raise ApplicationError("已有同名的接入系统。", fields={"name": "名称已被使用。"})
    if role not in ClientRole.values:
        raise ApplicationError("权限无效。", fields={"role": "无效的权限。"})
    client_id = CLIENT_ID_PREFIX + secrets.token_hex(12)
    user = get_user_model().objects.create(username=f"api-{client_id}", name=f"接入系统：{name}"[:64])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    secret = _new_secret(SECRET_PREFIX)
    client = ApiClient.objects.create(name=name, client_id=client_id, secret_hash=hash_secret(secret), role=role,
                                      service_user=user, contact=contact, note=note)
    client.departments.set(departments)
    api_client_sync_roles(client)
    audit_log(actor=actor, action="apiauth.client_create", obj=client,
              new={"name": name, "role": role, "departments": sorted(d.pk if hasattr(d, "pk") else int(d)
                                                                     for d in departments)})
    return client, secret


@transaction.atomic
def api_client_rotate_secret(*, actor, client: ApiClient) -> str:
    """A new client secret; the old one stops working at once (issued access tokens live out their hour)."""
    secret = _new_secret(SECRET_PREFIX)
    client.secret_hash = hash_secret(secret)
    client.save(update_fields=["secret_hash"])
    audit_log(actor=actor, action="apiauth.client_rotate_secret", obj=client)
    return secret


def api_client_authenticate(client_id: str, client_secret: str) -> ApiClient | None:
    """The active client with these credentials, or None (constant-time comparison of the hashes)."""
    client = ApiClient.objects.select_related("service_user").filter(client_id=client_id or "").first()
    expected = client.secret_hash if client is not None else hash_secret(secrets.token_hex(16))
    ok = hmac.compare_digest(expected, hash_secret(client_secret or ""))
    if client is None or not ok or not client.is_active:
        return None
    return client


# ------------------------------------------------------------------ tokens

@transaction.atomic
def api_token_create(*, actor, user=None, client: ApiClient | None = None, name: str = "",
                     expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A personal token for a staff account, or a long-lived API token for a client. Returns (token, raw)."""
    if (user is None) == (client is None):
        raise ApplicationError("令牌必须属于一个账户或一个接入系统。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError("过期时间必须晚于现在。", fields={"expires_at": "过期时间必须晚于现在。"})
    raw = _new_secret(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        kind=TokenKind.CLIENT if client else TokenKind.PERSONAL, user=client.service_user if client else user,
        client=client, name=(name or "").strip()[:100], prefix=raw[:12], key_hash=hash_secret(raw),
        expires_at=expires_at,
    )
    audit_log(actor=actor, action="apiauth.token_create", obj=token,
              new={"kind": token.kind, "user": token.user_id, "client": token.client_id,
                   "expires_at": expires_at})
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=actor, action="apiauth.token_revoke", obj=token)
    return token


@transaction.atomic
def oauth_access_token_issue(*, client: ApiClient) -> tuple[ApiToken, str, int]:
    """RFC 6749 §4.4: a short-lived bearer token for the client; expired ones of the client are swept."""
    now = timezone.now()
    lifetime = access_token_lifetime()
    ApiToken.objects.filter(client=client, kind=TokenKind.OAUTH, expires_at__lte=now).delete()
    raw = _new_secret(ACCESS_TOKEN_PREFIX)
    token = ApiToken.objects.create(kind=TokenKind.OAUTH, user=client.service_user, client=client,
                                    name="client_credentials", prefix=raw[:12], key_hash=hash_secret(raw),
                                    expires_at=now + dt.timedelta(seconds=lifetime))
    _touch(ApiClient, client.pk, client.last_used_at, now)
    return token, raw, lifetime


def _touch(model, pk, last_used, now) -> None:
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        model.objects.filter(pk=pk).update(last_used_at=now)


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for this raw value with its account (and client), or None."""
    if not raw or len(raw) > 200:
        return None
    token = (ApiToken.objects.usable().select_related("user", "client")
             .filter(key_hash=hash_secret(raw)).first())
    if token is None or not token.user.is_active:
        return None
    if token.client is not None and not token.client.is_active:
        return None
    now = timezone.now()
    _touch(ApiToken, token.pk, token.last_used_at, now)
    if token.client is not None:
        _touch(ApiClient, token.client_id, token.client.last_used_at, now)
    return token
