from django.contrib import admin

from .models import Delegation, Department, Hall, Region, StaffRole, Window


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region", "phone", "sort"]
    list_filter = ["region"]
    search_fields = ["name", "credit_code"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    fields = ["number", "name", "kind", "department", "is_active"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "address", "phone"]
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["hall", "number", "name", "kind", "department", "is_active"]
    list_filter = ["hall", "kind"]
    filter_horizontal = ["items"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department", "region", "window"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__name"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["item", "region", "mode", "effective_from", "effective_to"]
    list_filter = ["mode", "region"]
    search_fields = ["item__name", "item__implementation_code"]
    autocomplete_fields = ["item"]
