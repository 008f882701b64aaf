from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .channels import channel_label
from .models import Delivery, Message
from .services import deliveries_retry


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "masked_address", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    readonly_fields = fields

    @admin.display(description=_("地址"))
    def masked_address(self, obj):
        return obj.address_masked

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "title", "applicant", "case", "read_at"]
    list_filter = ["template"]
    search_fields = ["case__number", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["applicant", "case"]
    fields = ["created_at", "applicant", "recipient", "case", "event", "template", "title", "body", "read_at"]
    readonly_fields = fields
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed deliveries are one filter away (状态 = 发送失败); the action sends the selected ones again."""

    list_display = ["created_at", "channel_name", "masked_address", "status", "attempts", "last_error",
                    "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["message__case__number"]
    date_hierarchy = "created_at"
    list_select_related = ["message"]
    fields = ["message", "channel", "masked_address", "status", "attempts", "last_error", "next_attempt_at",
              "claimed_at", "sent_at", "provider_id", "created_at"]
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=_("渠道"), ordering="channel")
    def channel_name(self, obj):
        return channel_label(obj.channel)

    @admin.display(description=_("地址"))
    def masked_address(self, obj):
        return obj.address_masked

    @admin.action(description=_("立即重新发送所选投递"))
    def retry_now(self, request, queryset):
        count = deliveries_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("已重新发送 %(count)s 条投递。") % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
