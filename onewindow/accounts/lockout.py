"""Lockout after repeated failed sign-ins (django-axes), with the Chinese message."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_message() -> str:
    return _("账户已锁定，请 30 分钟后再试或联系管理员。")


def is_locked_out(request) -> bool:
    """True when the last authenticate()/failure on this request hit the lockout."""
    return bool(getattr(request, "axes_locked_out", False))


def mark_handled(request) -> None:
    """The view has shown the lockout message itself; the axes middleware keeps the view's response."""
    request.ow_lockout_shown = True


def record_failure(request, username: str) -> None:
    """Count a failed second step (a wrong TOTP code) like a wrong password: five of either lock the account."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: our sign-in pages show the message in the form; anything else gets a page."""
    if original_response is not None and getattr(request, "ow_lockout_shown", False):
        return original_response
    return render(request, "accounts/locked.html", {"message": locked_message()}, status=429)
