"""Signed rating links: django.core.signing with a max age equal to the rating window (for rating).

The token names the invitation only ({"i": id}); the server looks up everything else, so a token cannot be
pointed at another case. A token is valid until the window closes (signature age) and the invitation is open.
"""

from __future__ import annotations

from django.core import signing

from . import conf

SALT = "onewindow.ratings.invitation"


def make_token(invitation_id: int) -> str:
    return signing.dumps({"i": int(invitation_id)}, salt=SALT, compress=False)


def read_token(token: str, *, follow_up: bool = False) -> int | None:
    """The invitation id in a valid, unexpired token; None for anything else.

    Rating with the link: the token's age must be within the rating window. Reading one's rating and its reply,
    amending, and answering the reply (`follow_up`) come later, so they accept tokens up to RATINGS_LINK_DAYS
    old; the services still enforce their own periods (amend window, reply state).
    """
    if not token or len(token) > 200:
        return None
    days = conf.link_days() if follow_up else conf.window_days()
    try:
        data = signing.loads(token, salt=SALT, max_age=days * 86400)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    value = data.get("i") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def rating_url(token: str) -> str:
    """The link sent to the applicant: the rating page of the portal (a later step) with the token."""
    return f"{conf.link_base_url()}/rate/{token}"
