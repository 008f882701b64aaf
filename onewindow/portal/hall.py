"""Shared pieces of the signed-in online hall (网上办事大厅): sign-in guard, dates, rate limits."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.workcalendar.clock import compute_deadline

SESSION_EXPIRED = gettext_noop("登录已超时，请重新登录。您已保存的内容不会丢失，登录后将回到原来的页面。")


def hall_login_required(view):
    """Like `login_required`, but a form posted after the session ended is told, in Chinese, that the
    saved draft is safe, and a background request (autosave, upload) gets a 401 JSON body, not a page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            # Pages with the applicant's data and forms are never kept by a browser or proxy cache.
            patch_cache_control(response, private=True, no_store=True)
            return response
        if request.headers.get("X-Requested-With") == "XMLHttpRequest" or request.headers.get("HX-Request"):
            return JsonResponse({"code": "not_authenticated", "message": _(SESSION_EXPIRED)}, status=401)
        if request.method == "POST":
            messages.warning(request, _(SESSION_EXPIRED))
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)

    return wrapped


def expected_completion(version, *, start: dt.datetime | None = None) -> dt.date | None:
    """The day a case of `version` would be due if accepted at `start` (now), by the working-day clock."""
    start = start or timezone.now()
    deadline = compute_deadline(start, version.promised_days, version.promised_days_unit)
    if deadline.due_at is None:
        return None
    return timezone.localdate(deadline.due_at)


def rate_limited(scope: str, ident: str, rate: str) -> bool:
    """Count one hit of `ident` in `scope`; True once more than the rate ("10/min", "20/hour") were made."""
    count, period = rate.split("/")
    seconds = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}[period]
    key = f"portal-rl:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}"
    if cache.add(key, 1, seconds):
        return False
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return False
    return hits > int(count)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"
