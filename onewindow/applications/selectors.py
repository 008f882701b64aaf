"""Reads of drafts and delivery choices, always the caller's own."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.core.errors import NotFound

from .constants import DraftStatus
from .models import ApplicationDraft, DeliveryPreference

__all__ = ["delivery_preference_for_case", "draft_get_for_user", "drafts_open_for_user"]


def drafts_open_for_user(user) -> QuerySet[ApplicationDraft]:
    if not getattr(user, "is_authenticated", False):
        return ApplicationDraft.objects.none()
    return (ApplicationDraft.objects.filter(user=user, status=DraftStatus.OPEN)
            .select_related("version", "item").order_by("-updated_at", "-id"))


def draft_get_for_user(*, user, draft_id: int) -> ApplicationDraft:
    """The user's draft (open or submitted) with its version, materials and files; else NotFound."""
    draft = (ApplicationDraft.objects.select_related("version__item_type", "item__department", "case")
             .prefetch_related("version__materials", "files")
             .filter(pk=draft_id, user_id=getattr(user, "pk", None)).first())
    if draft is None:
        raise NotFound("未找到该申请草稿。")
    return draft


def delivery_preference_for_case(case) -> DeliveryPreference | None:
    """For the applicant's case page and for staff at delivery time."""
    return DeliveryPreference.objects.filter(case=case).first()
