"""Ratings in the admin: everything read-only (ratings are changed only by their raters, through the services,
and never deleted); failed exports listed with a retry action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .exchange import services as exchange
from .models import BadRatingCase, ExportBatch, Rating, RectificationCard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("case", "service_event", "level", "channel", "department", "rated_at", "excluded")
    list_filter = ("level", "channel", "service_event", "excluded")
    list_select_related = ("case", "department")
    exclude = ("applicant", "rater_user")  # anonymity: the rater is not shown
    date_hierarchy = "rated_at"


@admin.register(BadRatingCase)
class BadRatingCaseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "case", "department", "status", "round", "verify_due_at", "reply_due_at", "closed_at")
    list_filter = ("status", "escalated", "outcome")
    list_select_related = ("case", "department")


@admin.register(RectificationCard)
class RectificationCardAdmin(ReadOnlyAdmin):
    list_display = ("bad_case", "stage", "round", "department", "deadline_at", "resolved_at")
    list_filter = ("stage",)


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "plugin", "status", "attempts", "last_error", "next_attempt_at", "sent_at", "created_at")
    list_filter = ("status", "plugin")
    exclude = ("payload",)
    actions = ["retry"]

    @admin.action(description=_("重新报送所选的失败批次"))
    def retry(self, request, queryset):
        n = exchange.batches_retry(batch_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("已重新排队 %(n)s 个批次。") % {"n": n}, messages.SUCCESS)
