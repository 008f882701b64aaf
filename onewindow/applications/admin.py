from django.contrib import admin

from .models import DeliveryPreference


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(admin.ModelAdmin):
    """Staff see the applicant's delivery choice here until the workbench shows it on the case."""

    list_display = ("case", "method", "recipient", "address", "updated_at")
    list_filter = ("method",)
    search_fields = ("case__number",)
    readonly_fields = ("case", "method", "recipient", "phone", "address", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False
