"""Security basics on every request: security headers, session time limits, verified staff sessions."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .sessions import AUTH_AT, SEEN_AT, SEEN_RESOLUTION, stamp_login


class SecurityHeadersMiddleware:
    """Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) and Permissions-Policy on every response.

    Django's SecurityMiddleware already sends nosniff, Referrer-Policy, COOP and HSTS (when configured);
    XFrameOptionsMiddleware sends X-Frame-Options: DENY.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        return response


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would follow a redirect and swap the sign-in page into a fragment: make it load the whole page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else url


def staff_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in getattr(settings, "OTP_REQUIRED_PREFIXES", ()))


class SessionTimeoutMiddleware:
    """Sign a person out 30 minutes after their last request, and 8 hours after they signed in.

    The last-seen stamp is rewritten at most once a minute, so a busy page costs no extra session write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = time.time()
            auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
            idle = getattr(settings, "SESSION_IDLE_TIMEOUT", 1800)
            absolute = settings.SESSION_COOKIE_AGE
            if auth_at is None or seen_at is None:
                stamp_login(session, now)  # a session from before the stamps existed
            elif now - seen_at > idle or now - auth_at > absolute:
                logout(request)
                staff = staff_path(request.path_info)
                if staff or request.method == "GET":  # a citizen's form post is explained by the page's own guard
                    messages.warning(request, _("您已较长时间未操作，为保护您的信息安全，系统已自动退出登录，请重新登录。"))
                if staff:
                    return _redirect(request, _with_next(reverse("workbench:login"), request))
            elif now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = int(now)
        return self.get_response(request)


class StaffVerificationMiddleware:
    """Every page under OTP_REQUIRED_PREFIXES (the workbench) needs a session verified by a TOTP code.

    Central, so that no view can forget it: anonymous visitors go to the staff sign-in, a session signed in
    by password only goes to the second step. The admin's own password-only sign-in page sends staff to the
    workbench's two-step sign-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == "/admin/login/":
            next_url = request.GET.get("next") or "/admin/"
            return HttpResponseRedirect(f"{reverse('workbench:login')}?{urlencode({'next': next_url})}")
        if staff_path(path) and path not in self._exempt():
            user = request.user
            if not user.is_authenticated:
                return _redirect(request, _with_next(reverse("workbench:login"), request))
            is_verified = getattr(user, "is_verified", None)
            if not (callable(is_verified) and is_verified()):
                return _redirect(request, _with_next(reverse("accounts:staff_verify"), request))
        return self.get_response(request)

    @staticmethod
    def _exempt() -> set[str]:
        return {reverse("workbench:login"), reverse("workbench:logout")}
