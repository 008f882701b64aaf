"""Reading documents, always through the caller's right to see the case."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases import permissions as case_permissions
from onewindow.core.errors import NotFound

from .models import CaseDocument

__all__ = ["documents_for_case", "document_get_for_user"]


def documents_for_case(case) -> QuerySet[CaseDocument]:
    """The case's documents, oldest first. The caller has already checked that the user may see the case."""
    return CaseDocument.objects.filter(case=case).order_by("created_at", "id")


def document_get_for_user(*, user, ref: str | int) -> CaseDocument:
    """The document by id or number if `user` may see its case (applicant, or staff in scope); else 404."""
    ref = str(ref).strip()
    qs = CaseDocument.objects.select_related("case__applicant", "case__department__region")
    document = qs.filter(pk=int(ref)).first() if ref.isdigit() else qs.filter(number=ref).first()
    if document is None or not getattr(user, "is_authenticated", False) \
            or not case_permissions.can_view(user, document.case):
        raise NotFound("未找到该文书。")
    return document
