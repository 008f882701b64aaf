"""Admin for API clients and tokens. Secrets and tokens are shown once, in a message, when created."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiClient, ApiToken
from .services import (
    api_client_create,
    api_client_rotate_secret,
    api_client_sync_roles,
    api_token_create,
    api_token_revoke,
)


def _show_once(request, what: str, value: str) -> None:
    messages.warning(request, f"{what}：{value}（只显示这一次，请立即复制并妥善保存；系统只保存其摘要。）")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "client_id", "role", "is_active", "last_used_at", "created_at"]
    list_filter = ["is_active", "role"]
    search_fields = ["name", "client_id", "contact"]
    filter_horizontal = ["departments"]
    readonly_fields = ["client_id", "service_user", "created_at", "last_used_at"]
    fields = ["name", "client_id", "role", "departments", "is_active", "contact", "note", "service_user",
              "created_at", "last_used_at"]
    actions = ["rotate_secret", "issue_token"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, secret = api_client_create(actor=request.user, name=obj.name, role=obj.role,
                                           departments=form.cleaned_data.get("departments", []),
                                           contact=obj.contact, note=obj.note)
        client.is_active = obj.is_active
        client.save(update_fields=["is_active"])
        obj.pk, obj.client_id, obj.service_user = client.pk, client.client_id, client.service_user
        obj._state.adding = False
        _show_once(request, f"“{client.name}”的 client_id 为 {client.client_id}，client_secret", secret)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        api_client_sync_roles(form.instance)

    @admin.action(description=_("重新生成客户端密钥"))
    def rotate_secret(self, request, queryset):
        for client in queryset:
            _show_once(request, f"“{client.name}”的新 client_secret", api_client_rotate_secret(actor=request.user,
                                                                                               client=client))

    @admin.action(description=_("签发长期 API 令牌"))
    def issue_token(self, request, queryset):
        for client in queryset:
            _token, raw = api_token_create(actor=request.user, client=client, name="管理后台签发")
            _show_once(request, f"“{client.name}”的 API 令牌", raw)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "kind", "user", "client", "name", "created_at", "expires_at", "last_used_at",
                    "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["prefix", "name", "user__username", "client__name"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["prefix", "kind", "user", "client", "name", "created_at", "expires_at", "last_used_at",
                "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return  # tokens are immutable; revoke and issue a new one instead
        token, raw = api_token_create(actor=request.user, user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.pk = token.pk
        obj._state.adding = False
        _show_once(request, f"{obj.user} 的个人令牌", raw)

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
