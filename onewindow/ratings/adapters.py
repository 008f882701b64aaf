"""The one place where ratings talks to the notifications app: the rating link in the applicant's message.

If `onewindow.notifications` is installed, the message for the case event is created here (its service is
idempotent per event) and, before the transaction commits and its deliveries are queued, the link is added to
the body and to the SMS template parameters (`rating_url`) — when RATINGS_LINK_BASE_URL says where the site is. The notifications receiver, which runs after this
one, then finds the message and queues nothing twice. Without the app, nothing happens.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction

from . import conf
from .tokens import rating_url

logger = logging.getLogger("onewindow.ratings")

LINK_TEXT = "请对本次服务作出评价：{url}"


def attach_rating_link(*, event, invitation) -> bool:
    # Only with RATINGS_LINK_BASE_URL: a link without the site's address is no use in an SMS.
    if not apps.is_installed("onewindow.notifications") or not conf.link_base_url():
        return False
    try:
        from onewindow.notifications.services import message_create_for_event
    except ImportError:  # pragma: no cover
        return False
    url = rating_url(invitation.token)
    try:
        with transaction.atomic():
            message = message_create_for_event(event=event)
            if message is None:
                return False
            params = dict(message.params or {})
            if params.get("rating_url") == url:
                return True
            params["rating_url"] = url
            message.params = params
            message.body = f"{message.body}{LINK_TEXT.format(url=url)}"
            message.save(update_fields=["params", "body"])
    except Exception:  # the invitation stands; the applicant can still rate online
        logger.exception("ratings: could not add the rating link to the message of event %s", event.pk)
        return False
    return True


def alert_department_heads(*, department_id: int, title: str, body: str, url: str, key: str) -> int:
    """工作提醒 to the department's heads (谁办理、谁负责): a new bad rating to handle, a step gone overdue.

    Sent after the transaction commits, so a rolled-back rating alerts nobody; a failure is logged and never
    undoes the rating (the record and its deadlines are on the 差评整改 list anyway).
    """
    if not apps.is_installed("onewindow.notifications"):
        return 0
    from onewindow.notifications.services import notify_users
    from onewindow.org.constants import Role
    from onewindow.org.models import StaffRole

    def send():
        heads = [r.user for r in StaffRole.objects.filter(role=Role.DEPARTMENT_HEAD, department_id=department_id)
                 .select_related("user").order_by("pk") if r.user.is_active]
        if not heads:
            logger.warning("ratings alert without a department head (department %s): %s", department_id, title)
        notify_users(users=heads, title=title, body=body, url=url, kind="ratings", key=key)

    transaction.on_commit(send, robust=True)  # robust: Django logs a failure; the rating stands
    return 1


def tell_applicant_of_reply(*, bad) -> bool:
    """The department's reply reaches the applicant as a message (站内信, and SMS / e-mail where enabled) with the
    link to read it and say whether they are satisfied. Inside a savepoint: a failure is logged, the reply stands
    and the applicant still finds it in 我的办件 and behind their rating link."""
    if not apps.is_installed("onewindow.notifications"):
        return False
    from onewindow.notifications.services import message_send

    from .tokens import make_token

    rating = bad.rating
    case = rating.case
    url = f"{rating_url(make_token(rating.invitation_id))}/reply/" if conf.link_base_url() else ""
    body = (f"您对“{case.version.name}”（办件编号 {case.number}）的评价，{case.department.name}已答复：{bad.reply}"
            + (f" 查看答复并告诉我们您是否满意：{url}" if url else " 请登录网上办事大厅，在“我的办件”中查看答复并告诉我们您是否满意。"))
    try:
        with transaction.atomic():
            message_send(applicant=rating.applicant, case=case, title="您的评价已收到答复", body=body,
                         template="rating_reply", params={"case_number": case.number, "reply_url": url})
    except Exception:
        logger.exception("ratings: the reply to bad case %s could not be sent to the applicant", bad.pk)
        return False
    return True
