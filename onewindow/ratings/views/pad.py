"""评价器: the window rating pad, a kiosk page bound to one window.

Binding: a signed-in, verified staff member with a clerk or hall-manager role covering the hall opens
`pad/setup/` and picks the window; the browser receives a long-lived signed cookie (django.core.signing, httponly)
naming the window, and the staff session of that browser is ended, so the kiosk never stays signed in.
`pad/` then polls `pad/current/` (htmx, every few seconds) for the newest open invitation at that window
(`selectors.invitation_for_window_pad`); the poll answers 204 while the same service is on screen, so a citizen's
half-made choice is never wiped. A rating from the pad is recorded with channel `window_pad`; the pad shows only
the clerk, the item and a masked applicant name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.core.errors import ApplicationError, Conflict
from onewindow.org.models import Window

from .. import selectors, services
from ..constants import RatingChannel
from .common import levels, read_form, service_facts

COOKIE = "ow_rating_pad"
SALT = services.PAD_SALT
MAX_AGE = 400 * 86400  # browsers cap cookies at 400 days
POLL_SECONDS = 3
THANKS_SECONDS = 5


def pad_window_id(request: HttpRequest) -> int | None:
    """The window this browser is bound to (from the signed cookie), or None."""
    raw = request.COOKIES.get(COOKIE, "")
    if not raw or len(raw) > 300:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    value = data.get("w") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def _staff_ok(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    return callable(is_verified) and is_verified()


@require_http_methods(["GET", "POST"])
@never_cache
def pad_setup(request: HttpRequest) -> HttpResponse:
    if not _staff_ok(request.user):
        return redirect(f"{reverse('workbench:login')}?{urlencode({'next': request.get_full_path()})}")
    windows = list(selectors.pad_windows_for_user(request.user))
    if not windows:
        return render(request, "ratings/pad/setup.html", {
            "forbidden": _("只有窗口工作人员或大厅管理员可以设置评价器，且只能绑定本人所在大厅的窗口。")}, status=403)
    bound_id = pad_window_id(request)
    bound = next((w for w in windows if w.pk == bound_id), None)
    error = ""
    if request.method == "POST":
        if request.POST.get("unbind"):
            services.pad_unbind(actor=request.user, window=bound)
            response = redirect("rating:pad_setup")
            response.delete_cookie(COOKIE)
            return response
        try:
            value = services.pad_bind(actor=request.user, window_id=request.POST.get("window", ""))
        except ApplicationError as exc:
            error = exc.message
        else:
            logout(request)  # the kiosk must not stay signed in as staff
            response = redirect("rating:pad")
            response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                                secure=getattr(settings, "SESSION_COOKIE_SECURE", False))
            return response
    return render(request, "ratings/pad/setup.html", {"windows": windows, "bound": bound, "error": error},
                  status=400 if error else 200)


def _panel_context(window_id: int, invitation=None, *, error=None, form=None) -> dict:
    facts = service_facts(invitation, with_department=False) if invitation is not None else None
    return {"invitation": invitation, "facts": facts, "levels": levels() if invitation is not None else [],
            "error": error, "form": form or {}, "poll": POLL_SECONDS,
            "shown": invitation.pk if invitation is not None else 0, "window_id": window_id}


@require_GET
@never_cache
def pad_home(request: HttpRequest) -> HttpResponse:
    window_id = pad_window_id(request)
    window = (Window.objects.select_related("hall").filter(pk=window_id, is_active=True).first()
              if window_id else None)
    if window is None:
        return render(request, "ratings/pad/unbound.html", {"setup_url": reverse("rating:pad_setup")})
    if request.GET.get("thanks") == "1":
        context = {"thanks": True, "thanks_seconds": THANKS_SECONDS}
    else:
        context = _panel_context(window.pk, selectors.invitation_for_window_pad(window_id=window.pk))
    return render(request, "ratings/pad/pad.html", context | {"window": window})


@require_GET
@never_cache
def pad_current(request: HttpRequest) -> HttpResponse:
    """The htmx poll: 204 while the same service (or nothing) is on screen, else the new panel."""
    window_id = pad_window_id(request)
    if window_id is None:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("rating:pad")
        return response
    invitation = selectors.invitation_for_window_pad(window_id=window_id)
    shown = request.GET.get("shown", "")
    if shown.isdigit() and int(shown) == (invitation.pk if invitation is not None else 0):
        return HttpResponse(status=204)
    return render(request, "ratings/pad/_panel.html", _panel_context(window_id, invitation))


@require_POST
@never_cache
def pad_rate(request: HttpRequest) -> HttpResponse:
    window_id = pad_window_id(request)
    htmx = bool(request.headers.get("HX-Request"))
    if window_id is None:
        return redirect("rating:pad")
    invitation = selectors.invitation_for_window_pad(window_id=window_id)
    raw = request.POST.get("invitation", "")
    form = read_form(request.POST)
    try:
        if invitation is None or str(invitation.pk) != raw:
            raise Conflict(_("该服务已评价或已超过评价时间，请等待工作人员办理下一项服务。"), code="not_current")
        services.rating_submit(invitation=invitation, level=form["level"], options=form["options"],
                               comment=form["comment"], channel=RatingChannel.WINDOW_PAD, via_token=True)
    except ApplicationError as exc:
        if isinstance(exc, Conflict):
            invitation = selectors.invitation_for_window_pad(window_id=window_id)
            form = {}
        context = _panel_context(window_id, invitation, error=exc, form=form)
        # htmx swaps 2xx answers only: the message travels with a 200 there, with the error's status otherwise.
        return render(request, "ratings/pad/_panel.html" if htmx else "ratings/pad/pad.html",
                      context | {"window": Window.objects.select_related("hall").filter(pk=window_id).first()},
                      status=200 if htmx else exc.status_code)
    if htmx:
        return render(request, "ratings/pad/_thanks.html", {"thanks_seconds": THANKS_SECONDS})
    return redirect(reverse("rating:pad") + "?thanks=1")
