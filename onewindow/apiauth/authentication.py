"""`Authorization: Bearer <token>` for staff personal tokens, client API tokens and OAuth2 access tokens."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .services import api_token_authenticate

TOKEN_INVALID = "令牌无效、已过期或已被吊销。"  # noqa: S105 (a message)
TOKEN_MALFORMED = "认证请求头格式错误，应为 Authorization: Bearer <令牌>。"  # noqa: S105


class BearerTokenAuthentication(BaseAuthentication):
    """`request.user` is the token's account (a client's service account for client tokens);
    `request.auth` is the ApiToken, so `request.auth.client` tells a system from a person."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(TOKEN_MALFORMED)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(TOKEN_MALFORMED) from None
        token = api_token_authenticate(raw)
        if token is None:
            raise AuthenticationFailed(TOKEN_INVALID)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def api_client_of(request):
    """The ApiClient behind this request, or None for people (session or personal token)."""
    token = getattr(request, "auth", None)
    return getattr(token, "client", None)
