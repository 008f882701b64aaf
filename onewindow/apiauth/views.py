"""OAuth2 token endpoint, client-credentials grant only (RFC 6749 §4.4, errors as in §5.2)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ParseError, Throttled, UnsupportedMediaType
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .services import api_client_authenticate, oauth_access_token_issue
from .throttling import TokenEndpointThrottle

TAG = "认证"
SUPPORTED_SCOPES = {"cases"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(error: str, description: str, status: int = 400, headers: dict | None = None) -> Response:
    return Response({"error": error, "error_description": description}, status=status,
                    headers={**NO_STORE, **(headers or {})})


def _basic_credentials(request) -> tuple[str, str] | None | bool:
    """(client_id, secret) from HTTP Basic (RFC 6749 §2.3.1), None without it, False if malformed."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return False
    # §2.3.1: both parts are form-urlencoded before being joined.
    return unquote_plus(client_id), unquote_plus(secret)


_TOKEN_REQUEST = inline_serializer("OAuthTokenRequest", fields={
    "grant_type": serializers.ChoiceField(choices=["client_credentials"], help_text="固定为 client_credentials。"),
    "client_id": serializers.CharField(required=False, help_text="客户端编号；也可用 HTTP Basic 认证传递。"),
    "client_secret": serializers.CharField(required=False, help_text="客户端密钥；也可用 HTTP Basic 认证传递。"),
    "scope": serializers.CharField(required=False, help_text="可省略；唯一支持的取值为 cases。"),
})
_TOKEN_RESPONSE = inline_serializer("OAuthToken", fields={
    "access_token": serializers.CharField(help_text="访问令牌，以 Authorization: Bearer <令牌> 使用。"),
    "token_type": serializers.CharField(help_text="固定为 Bearer。"),
    "expires_in": serializers.IntegerField(help_text="有效期（秒）。"),
    "scope": serializers.CharField(),
})
_TOKEN_ERROR = inline_serializer("OAuthError", fields={
    "error": serializers.ChoiceField(choices=["invalid_request", "invalid_client", "unsupported_grant_type",
                                              "invalid_scope"]),
    "error_description": serializers.CharField(help_text="中文说明。"),
})


class TokenView(APIView):
    authentication_classes: list = []  # the client authenticates itself in the request (Basic or body)
    permission_classes = [AllowAny]
    parser_classes = [FormParser, JSONParser, MultiPartParser]
    throttle_classes = [TokenEndpointThrottle]
    http_method_names = ["post", "options"]

    def throttled(self, request, wait):
        raise Throttled(wait, detail="请求过于频繁，请稍后再试。")

    def handle_exception(self, exc):
        # Parse errors and throttling still answer in the RFC 6749 error shape.
        if isinstance(exc, Throttled):
            response = _error("invalid_request", "请求过于频繁，请稍后再试。", status=429)
            if exc.wait:
                response["Retry-After"] = str(int(exc.wait))
            return response
        if isinstance(exc, (ParseError, UnsupportedMediaType)):
            return _error("invalid_request", "请求体应为 application/x-www-form-urlencoded。")
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="oauth_token_create",
        summary="获取访问令牌（OAuth2 客户端凭证）",
        description=(
            "接入系统用客户端凭证换取短期访问令牌（RFC 6749 §4.4）。请求体为 "
            "`application/x-www-form-urlencoded`：`grant_type=client_credentials`，客户端凭证用 HTTP Basic "
            "（推荐）或放在请求体的 `client_id`、`client_secret` 中。出错时按 RFC 6749 §5.2 返回 "
            "`{\"error\", \"error_description\"}`，而不是平台的通用错误格式。"
        ),
        tags=[TAG],
        auth=[],
        request={"application/x-www-form-urlencoded": _TOKEN_REQUEST, "application/json": _TOKEN_REQUEST},
        responses={
            200: OpenApiResponse(_TOKEN_RESPONSE, description="访问令牌", examples=[OpenApiExample(
                "访问令牌", response_only=True, value={"access_token": "owa_3q2f...", "token_type": "Bearer",
                                                     "expires_in": 3600, "scope": "cases"})]),
            400: OpenApiResponse(_TOKEN_ERROR, description="请求有误（invalid_request、unsupported_grant_type、"
                                                           "invalid_scope）"),
            401: OpenApiResponse(_TOKEN_ERROR, description="客户端认证失败（invalid_client）", examples=[
                OpenApiExample("凭证错误", response_only=True, status_codes=["401"],
                               value={"error": "invalid_client", "error_description": "客户端编号或密钥错误，或该接入系统已停用。"})]),
            429: OpenApiResponse(_TOKEN_ERROR, description="请求过于频繁"),
        },
    )
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            return _error("invalid_request", "请求体应为表单字段。")
        basic = _basic_credentials(request)
        if basic is False:
            return _error("invalid_client", "HTTP Basic 认证信息格式错误。", status=401,
                          headers={"WWW-Authenticate": 'Basic realm="oauth"'})
        body_id, body_secret = data.get("client_id"), data.get("client_secret")
        if basic and (body_id or body_secret):
            return _error("invalid_request", "客户端凭证只能用一种方式传递（HTTP Basic 或请求体）。")
        grant_type = data.get("grant_type")
        if not grant_type:
            return _error("invalid_request", "缺少 grant_type 参数。")
        if grant_type != "client_credentials":
            return _error("unsupported_grant_type", "只支持 client_credentials 授权方式。")
        scope = " ".join(str(data.get("scope") or "").split())
        if scope and not set(scope.split()) <= SUPPORTED_SCOPES:
            return _error("invalid_scope", "不支持的 scope；可省略，或填写 cases。")
        client_id, secret = basic if basic else (body_id, body_secret)
        if not client_id or not secret:
            return _error("invalid_client", "缺少客户端凭证（client_id 和 client_secret）。", status=401,
                          headers={"WWW-Authenticate": 'Basic realm="oauth"'})
        client = api_client_authenticate(str(client_id), str(secret))
        if client is None:
            return _error("invalid_client", "客户端编号或密钥错误，或该接入系统已停用。", status=401,
                          headers={"WWW-Authenticate": 'Basic realm="oauth"'})
        _token, raw, lifetime = oauth_access_token_issue(client=client)
        return Response({"access_token": raw, "token_type": "Bearer", "expires_in": lifetime, "scope": "cases"},
                        headers=NO_STORE)
