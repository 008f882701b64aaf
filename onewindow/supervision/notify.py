"""The one place where supervision talks to the notifications app.

If `onewindow.notifications` is installed and offers a sending service, alerts go through it (inside a
savepoint, so a failure there never undoes the alert record); otherwise they are only logged. Nothing
else in this app imports the notifications app.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction

logger = logging.getLogger("onewindow.supervision.alerts")


def _sender():
    if not apps.is_installed("onewindow.notifications"):
        return None
    try:
        from onewindow.notifications import services
    except ImportError:  # pragma: no cover - installed but without services
        return None
    return getattr(services, "notify_users", None)


def notify_staff(*, users: list, title: str, body: str, url: str = "", key: str = "") -> bool:
    """Send `title`/`body` to each user; True when the notifications app accepted it.

    `key` identifies the alert (e.g. ``supervision:card:42``) so a retry is recognised as the same notice.
    """
    if not users:
        logger.warning("supervision alert without recipients: %s", title)
        return False
    send = _sender()
    if send is None:
        logger.info("supervision alert (notifications app not installed) to %s: %s",
                    ", ".join(u.get_username() for u in users), title)
        return False
    try:
        with transaction.atomic():
            send(users=users, title=title, body=body, url=url, kind="supervision", key=key)
    except Exception:  # the alert record stays; the notice is logged for a person to follow up
        logger.exception("supervision alert could not be handed to notifications: %s", title)
        return False
    return True
