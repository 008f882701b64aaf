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
