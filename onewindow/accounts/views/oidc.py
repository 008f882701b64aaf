"""Sign-in through the province's unified identity service (统一身份认证), OpenID Connect code flow + PKCE.

Configured by the OIDC_* settings (docs/accounts.md). authlib does the protocol: state, nonce, PKCE, the
token request, and the id_token's signature (the provider's JWKS), issuer, audience and expiry checks.
"""

from __future__ import annotations

import logging
import threading

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onewindow.core.errors import ApplicationError

from .. import services
from ..signin import complete_login, safe_next

logger = logging.getLogger(__name__)
NEXT = "ow_oidc_next"
NAME = "province"

_lock = threading.Lock()
_clients: dict[tuple, object] = {}


def _config() -> tuple:
    s = settings
    issuer = s.OIDC_ISSUER.rstrip("/")
    discovery = s.OIDC_DISCOVERY_URL or (f"{issuer}/.well-known/openid-configuration" if issuer else "")
    if s.OIDC_AUTHORIZATION_ENDPOINT and s.OIDC_TOKEN_ENDPOINT and s.OIDC_JWKS_URI:
        discovery = s.OIDC_DISCOVERY_URL  # explicit endpoints win unless a discovery URL is given too
    return (s.OIDC_ISSUER, discovery, s.OIDC_CLIENT_ID, s.OIDC_CLIENT_SECRET, s.OIDC_AUTHORIZATION_ENDPOINT,
            s.OIDC_TOKEN_ENDPOINT, s.OIDC_USERINFO_ENDPOINT, s.OIDC_JWKS_URI, s.OIDC_SCOPES, s.OIDC_TIMEOUT)


def is_configured() -> bool:
    issuer, discovery, client_id, _secret, authorize, token, _userinfo, jwks, *_rest = _config()
    return bool(client_id and issuer and (discovery or (authorize and token and jwks)))


def client():
    """The authlib client for the current settings (one per configuration; metadata and keys cached)."""
    key = _config()
    with _lock:
        if key not in _clients:
            issuer, discovery, client_id, secret, authorize, token, userinfo, jwks, scopes, timeout = key
            registry = OAuth()
            metadata = {k: v for k, v in {"issuer": issuer, "authorization_endpoint": authorize,
                                          "token_endpoint": token, "userinfo_endpoint": userinfo,
                                          "jwks_uri": jwks}.items() if v}
            registry.register(
                NAME, client_id=client_id, client_secret=secret, server_metadata_url=discovery or None,
                authorize_url=authorize or None, access_token_url=token or None,
                client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": timeout},
                **metadata)
            _clients[key] = registry.create_client(NAME)
        return _clients[key]


def _redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback"))


@never_cache
def oidc_login(request):
    if not is_configured():
        raise Http404
    request.session[NEXT] = safe_next(request, reverse("accounts:profile"))
    try:
        return client().authorize_redirect(request, _redirect_uri(request))
    except Exception:  # the provider's discovery document could not be read
        logger.exception("OIDC: cannot start sign-in")
        messages.error(request, _("暂时无法连接省统一身份认证平台，请稍后再试或使用手机号码登录。"))
        return redirect("accounts:login")


@never_cache
def oidc_callback(request):
    if not is_configured():
        raise Http404
    app = client()
    issuer = settings.OIDC_ISSUER
    try:
        token = app.authorize_access_token(request, claims_options={"iss": {"essential": True, "values": [issuer]}})
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OAuthError(error="missing_id_token", description="no id_token in the token response")
        if app.server_metadata.get("userinfo_endpoint") and not all(
                claims.get(c) for c in (settings.OIDC_CLAIM_NAME, settings.OIDC_CLAIM_ID_NUMBER)):
            extra = dict(app.userinfo(token=token))
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
        user = services.oidc_sign_in(issuer=issuer, claims=claims, name_claim=settings.OIDC_CLAIM_NAME,
                                     id_claim=settings.OIDC_CLAIM_ID_NUMBER, mobile_claim=settings.OIDC_CLAIM_MOBILE)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    except Exception as exc:  # OAuthError, a bad signature, a provider that does not answer ...
        logger.warning("OIDC sign-in failed: %s: %s", type(exc).__name__, exc)
        messages.error(request, _("省统一身份认证登录未成功，请重试或使用手机号码登录。"))
        return redirect("accounts:login")
    complete_login(request, user)
    messages.success(request, _("已通过省统一身份认证登录。"))
    return HttpResponseRedirect(request.session.pop(NEXT, None) or reverse("accounts:profile"))
