"""Reading in-app messages (for the online hall's message centre)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Delivery, Message, StaffNotice

__all__ = ["messages_for_user", "unread_count", "messages_for_case", "deliveries_failed", "staff_notices_for_user",
           "staff_unread_count"]


def messages_for_user(user) -> QuerySet[Message]:
    """The user's messages, newest first: addressed to them, or to an applicant linked to their account."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return (Message.objects.filter(Q(recipient=user) | Q(recipient__isnull=True, applicant__user=user))
            .select_related("case").order_by("-created_at", "-id"))


def unread_count(user) -> int:
    return messages_for_user(user).filter(read_at__isnull=True).count()


def messages_for_case(case) -> QuerySet[Message]:
    """What the applicant was told about one case, with the deliveries (staff timeline)."""
    return Message.objects.filter(case=case).prefetch_related("deliveries").order_by("created_at", "id")


def deliveries_failed() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status="failed").select_related("message").order_by("-created_at")


def staff_notices_for_user(user, *, unread_only: bool = False) -> QuerySet[StaffNotice]:
    """The staff member's 工作提醒, newest first."""
    if not getattr(user, "is_authenticated", False):
        return StaffNotice.objects.none()
    qs = StaffNotice.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def staff_unread_count(user) -> int:
    return staff_notices_for_user(user, unread_only=True).count()
