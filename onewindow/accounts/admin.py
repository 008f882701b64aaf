from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from onewindow.core.identifiers import mask_id

from .models import CitizenProfile, CompanyAuthorization, OneTimeCode, User
from .phones import mask_phone


def _verified_staff(request, _django_check=admin.site.has_permission) -> bool:
    """The admin's own check (active staff) plus a session verified by the TOTP second factor, like django_otp's
    OTPAdminSite. StaffVerificationMiddleware already sends unverified sessions under /admin/ to the
    workbench's two-step sign-in (settings.OTP_REQUIRED_PREFIXES); this keeps the admin closed even if the
    prefix list changes."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(_django_check(request) and callable(is_verified) and is_verified())


admin.site.has_permission = _verified_staff


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "is_staff", "is_active"]
    search_fields = ["username", "name"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("联系方式"), {"fields": ["name", "mobile"]}),)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services (registration, authorisation), audited there: the admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CitizenProfile)
class CitizenProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "kind", "masked_mobile", "masked_id", "verified", "created_at"]
    list_filter = ["kind", "verified", "verified_via"]
    search_fields = ["name", "company_name", "credit_code"]
    fields = ["user", "kind", "name", "masked_id", "masked_mobile", "company_name", "credit_code", "verified",
              "verified_via", "verified_at", "oidc_issuer", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("居民身份证号码"))
    def masked_id(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)


@admin.register(CompanyAuthorization)
class CompanyAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["company", "member", "scope", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["company", "member"]


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "created_at", "expires_at", "attempts", "used_at"]
    list_filter = ["purpose"]
    fields = ["purpose", "created_at", "expires_at", "attempts", "used_at"]
    readonly_fields = fields
