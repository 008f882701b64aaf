"""Two-step sign-in state kept in the session between the password and the second factor.

Nobody is signed in (no authenticated session exists) until both steps pass: the first step only records
who is waiting for the second, for PENDING_LOGIN_SECONDS.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login
from django.utils.http import url_has_allowed_host_and_scheme

from .constants import PENDING_LOGIN_SECONDS
from .models import User

BACKEND = "django.contrib.auth.backends.ModelBackend"
STAFF_PENDING = "ow_staff_pending"
CITIZEN_PENDING = "ow_citizen_pending"


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


def pending_set(request, key: str, user, next_url: str, **extra) -> None:
    request.session.cycle_key()  # a new session id once the password is proven
    request.session[key] = {"user": user.pk, "at": int(time.time()), "next": next_url, **extra}


def pending_get(request, key: str) -> tuple[User | None, dict]:
    data = request.session.get(key) or {}
    if not data or time.time() - data.get("at", 0) > PENDING_LOGIN_SECONDS:
        return None, data
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return user, data


def pending_clear(request, key: str) -> None:
    request.session.pop(key, None)


def complete_login(request, user) -> None:
    """Sign the person in (new session id; stamps for the time limits are set by a user_logged_in receiver)."""
    login(request, user, backend=BACKEND)


def idle_minutes() -> int:
    return getattr(settings, "SESSION_IDLE_TIMEOUT", 1800) // 60
