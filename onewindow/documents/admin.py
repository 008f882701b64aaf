from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import CaseDocument, DocumentIssuer, DocumentSequence


@admin.register(DocumentIssuer)
class DocumentIssuerAdmin(admin.ModelAdmin):
    """机关代字: set the official code before the department issues its first document."""

    list_display = ["department", "code"]
    search_fields = ["department__name", "code"]
    autocomplete_fields = ["department"]


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    list_display = ["department", "kind", "year", "last"]
    list_filter = ["kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseDocument)
class CaseDocumentAdmin(admin.ModelAdmin):
    """Issued documents are records: read-only; a missing one is issued with `manage.py documents_regenerate`."""

    list_display = ["number", "kind", "case", "created_at", "download"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "case__number"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]
    readonly_fields = ["case", "event", "kind", "number", "year", "serial", "file", "size", "sha256", "created_at"]

    @admin.display(description=_("下载"))
    def download(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("documents:download", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
