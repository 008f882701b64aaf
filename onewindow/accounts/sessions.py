"""Session time stamps: when the person signed in (absolute limit) and was last seen (idle limit)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

AUTH_AT = "ow_auth_at"
SEEN_AT = "ow_seen_at"
SEEN_RESOLUTION = 60  # seconds: the last-seen stamp is rewritten at most once a minute (one session write)


def stamp_login(session, now: float | None = None) -> None:
    now = int(now if now is not None else time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="onewindow.accounts.stamp_login")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_login(request.session)
