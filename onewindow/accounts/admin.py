from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "mobile", "is_staff", "is_active"]
    search_fields = ["username", "name", "mobile"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("联系方式"), {"fields": ["name", "mobile"]}),)
