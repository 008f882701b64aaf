"""OpenAPI security schemes: one bearer scheme for tokens, and the OAuth2 client-credentials flow."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "onewindow.apiauth.authentication.BearerTokenAuthentication"
    name = ["tokenAuth", "oauth2"]

    def get_security_requirement(self, auto_schema):
        # Either one (OR): a static token, or an access token from the client-credentials grant.
        return [{"tokenAuth": []}, {"oauth2": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "opaque",
                "description": (
                    "工作人员个人令牌或接入系统的 API 令牌（以 owt_ 开头），在管理后台签发，只显示一次："
                    "`Authorization: Bearer owt_...`。"
                ),
            },
            {
                "type": "oauth2",
                "description": (
                    "接入系统用 client_id 和 client_secret 换取有效期 1 小时的访问令牌（以 owa_ 开头，RFC 6749 §4.4），"
                    "再以 `Authorization: Bearer owa_...` 调用接口。"
                ),
                "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": {
                    "cases": "按接入系统的权限办理其所属部门的办件",
                }}},
            },
        ]
