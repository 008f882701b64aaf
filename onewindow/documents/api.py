"""Serializer for the documents of a case (used by the cases API: GET /api/v1/cases/{number}/documents)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import CaseDocument


def document_download_url(document: CaseDocument, request=None) -> str:
    url = reverse("documents:download", args=[document.pk])
    return request.build_absolute_uri(url) if request is not None else url


class CaseDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="title", read_only=True, help_text="文书名称，如“受理通知书”")
    filename = serializers.CharField(read_only=True, help_text="下载时的文件名")
    download_url = serializers.SerializerMethodField(help_text="PDF 下载地址（需登录，申请人或有权限的工作人员）")

    class Meta:
        model = CaseDocument
        fields = ["id", "kind", "kind_label", "number", "created_at", "size", "sha256", "filename", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: CaseDocument) -> str:
        return document_download_url(obj, self.context.get("request"))
