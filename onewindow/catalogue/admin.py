from django.contrib import admin

from .models import Faq, Fee, ItemType, ItemVersion, MaterialSpec, ServiceItem, Step, Theme


@admin.register(ItemType)
class ItemTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_power", "sort", "is_active"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "audience", "sort"]
    list_filter = ["audience"]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    """Identity only: elements are edited as versions in the catalogue workbench (four-eyes)."""

    list_display = ["implementation_code", "name", "basic_code", "department", "published_version"]
    list_filter = ["department"]
    search_fields = ["implementation_code", "basic_code", "name"]
    readonly_fields = ["published_version", "name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyInline):
    model = MaterialSpec


class StepInline(ReadOnlyInline):
    model = Step


class FeeInline(ReadOnlyInline):
    model = Fee


class FaqInline(ReadOnlyInline):
    model = Faq


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    """Read-only: versions change only through the catalogue services (audit, quality rules)."""

    list_display = ["name", "item", "number", "status", "handling_type", "promised_days", "valid_from"]
    list_filter = ["status", "item_type", "handling_type", "online_depth"]
    search_fields = ["name", "item__implementation_code"]
    inlines = [MaterialInline, StepInline, FeeInline, FaqInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
