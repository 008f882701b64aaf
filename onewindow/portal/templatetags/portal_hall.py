"""Header of the online hall (我的办件 with the unread message count) and small filters of its pages."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from onewindow.core.identifiers import mask_id
from onewindow.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def hall_unread_count(context) -> int:
    """One query per page for a signed-in user, none for visitors; kept on the request for reuse."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    if not hasattr(request, "_hall_unread"):
        request._hall_unread = unread_count(user)
    return request._hall_unread


@register.filter
def sizeformat_kb(value) -> str:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{value / 1024 / 1024:.1f} MB" if value >= 1024 * 1024 else f"{max(value // 1024, 1)} KB"


register.filter("mask_id", mask_id)


@register.filter
def month_day(value) -> str:
    """“12月7日” in Chinese, “7 December” in English: the format string is translated."""
    if not value:
        return ""
    return date_format(value, _("n月j日"))
