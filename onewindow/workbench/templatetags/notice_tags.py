"""The unread 工作提醒 count in the workbench header (one COUNT query on an index)."""

from django import template

from onewindow.notifications.selectors import staff_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_unread(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return staff_unread_count(user)
