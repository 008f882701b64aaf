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
    if ref.isdigit():
        document = qs.filter(pk=int(ref)).first() if len(ref) <= 18 else None  # beyond bigint: no such id
    else:
        document = qs.filter(number=ref[:60]).first()
    if document is None or not getattr(user, "is_authenticated", False) \
            or not case_permissions.can_view(user, document.case):
        raise NotFound("未找到该文书。")
    return document
