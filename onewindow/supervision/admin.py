"""Supervision records in the admin: cards, alerts and findings are read-only (they are records for
assessment; findings are reviewed through the API by inspectors); step limits are edited through the service."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from onewindow.core.errors import ApplicationError

from . import services
from .models import Alert, Anomaly, Card, StepLimit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ("case", "level", "step", "department", "responsible", "issued_at", "escalated_at", "resolved_at",
                    "late_by")
    list_filter = ("level", "step", "department")
    list_select_related = ("case", "department", "responsible")
    search_fields = ("case__number",)
    date_hierarchy = "issued_at"
    raw_id_fields = ("case",)


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("case", "level", "step", "sent_at", "delivered")
    list_filter = ("level", "step", "delivered")
    list_select_related = ("case",)
    search_fields = ("case__number",)


@admin.register(Anomaly)
class AnomalyAdmin(ReadOnlyAdmin):
    list_display = ("case", "rule", "account", "department", "occurred_at", "verdict", "reviewed_by")
    list_filter = ("rule", "verdict", "department")
    list_select_related = ("case", "account", "department", "reviewed_by")
    search_fields = ("case__number", "account__username", "account__name")


@admin.register(StepLimit)
class StepLimitAdmin(admin.ModelAdmin):
    list_display = ("step", "item", "working_days", "yellow_ratio", "updated_at")
    list_filter = ("step",)
    autocomplete_fields = ("item",)
    fields = ("step", "item", "working_days", "yellow_ratio")

    def has_delete_permission(self, request, obj=None):
        return False  # set the default back instead: each change is audited

    def get_readonly_fields(self, request, obj=None):
        return ("step", "item") if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ServiceForm(form):
            def clean(self):
                data = super().clean()
                if self._errors:
                    return data
                try:
                    services.step_limit_check(actor=request.user, step=data.get("step", self.instance.step),
                                              working_days=data.get("working_days"),
                                              yellow_ratio=data.get("yellow_ratio"))
                except ApplicationError as exc:
                    raise ValidationError({k if k in self.fields else NON_FIELD_ERRORS: v
                                           for k, v in exc.fields.items()} or exc.message) from None
                return data

        return ServiceForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.step_limit_save(actor=request.user, step=data.get("step", obj.step),
                                         item=data.get("item", obj.item),
                                         working_days=data["working_days"], yellow_ratio=data.get("yellow_ratio"))
        obj.pk = saved.pk
