"""Staff sign-in: username and password, then a TOTP code (django-otp). First time: scan a QR code."""

from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from onewindow.core.audit import audit_log

from ..forms import StaffLoginForm, TotpForm
from ..lockout import is_locked_out, locked_message, mark_handled, record_failure
from ..selectors import is_staff_account
from ..signin import STAFF_PENDING, complete_login, pending_clear, pending_get, pending_set, safe_next
from ..totp import device_for, qr_svg, secret_groups

ENROL_DEVICE = "ow_enrol_device"


def _home(request) -> str:
    return safe_next(request, reverse("workbench:home"))


@sensitive_post_parameters("password")
@never_cache
def staff_login(request):
    next_url = _home(request)
    user = request.user
    if user.is_authenticated and is_staff_account(user) and getattr(user, "is_verified", lambda: False)():
        return HttpResponseRedirect(next_url)
    form = StaffLoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if is_locked_out(request):
            form.add_error(None, locked_message())
            mark_handled(request)
            status = 429
        elif user is None or not is_staff_account(user):
            form.add_error(None, _("用户名或密码错误。"))
        else:
            pending_set(request, STAFF_PENDING, user, next_url)
            return redirect("accounts:staff_verify" if device_for(user) else "accounts:staff_enrol")
    return render(request, "workbench/login.html", {"form": form, "next": next_url}, status=status)


def _candidate(request):
    """Who is waiting for the second step: the pending sign-in, or a session signed in by password only."""
    user, data = pending_get(request, STAFF_PENDING)
    if user is not None and is_staff_account(user):
        return user, data.get("next") or reverse("workbench:home"), True
    current = request.user
    if current.is_authenticated and is_staff_account(current) and not current.is_verified():
        return current, _home(request), False
    if data:
        pending_clear(request, STAFF_PENDING)
        messages.warning(request, _("登录等待时间已过，请重新输入用户名和密码。"))
    return None, "", False


def _locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


def _finish(request, user, device, next_url: str, pending: bool):
    if pending:
        pending_clear(request, STAFF_PENDING)
        complete_login(request, user)
    else:
        request.session.cycle_key()  # the session gains a privilege: give it a new id
    otp_login(request, device)
    return HttpResponseRedirect(next_url)


def _refuse(request, form, user, pending: bool, status: int = 200):
    """A wrong code counts towards the lockout; at the limit the waiting sign-in is dropped."""
    record_failure(request, user.get_username())
    if is_locked_out(request) or _locked(request, user.get_username()):
        mark_handled(request)
        if pending:
            pending_clear(request, STAFF_PENDING)
        form.add_error(None, locked_message())
        return 429
    form.add_error("token", _("动态验证码错误，请查看身份验证器 App 中的最新验证码。"))
    return status


@sensitive_post_parameters("token")
@never_cache
def staff_verify(request):
    user, next_url, pending = _candidate(request)
    if user is None:
        return redirect(f"{reverse('workbench:login')}?{urlencode({'next': next_url})}" if next_url else "workbench:login")
    device = device_for(user)
    if device is None:
        return redirect("accounts:staff_enrol")
    form = TotpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _locked(request, user.get_username()):
            mark_handled(request)
            pending_clear(request, STAFF_PENDING)
            form = TotpForm()
            form.add_error(None, locked_message())
            status = 429
        elif form.is_valid():
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                form.add_error(None, _("尝试过于频繁，请稍候片刻再输入。"))
                status = 429
            elif verify_token(user, device.persistent_id, form.cleaned_data["token"]) is not None:
                return _finish(request, user, device, next_url, pending)
            else:
                status = _refuse(request, form, user, pending)
    return render(request, "accounts/staff_verify.html", {"form": form, "staff_user": user, "next": next_url},
                  status=status)


@sensitive_post_parameters("token")
@never_cache
def staff_enrol(request):
    user, next_url, pending = _candidate(request)
    if user is None:
        return redirect("workbench:login")
    if device_for(user) is not None:
        return redirect("accounts:staff_verify")
    if not getattr(settings, "OTP_SELF_ENROLMENT", True):
        return render(request, "accounts/staff_enrol.html", {"closed": True, "staff_user": user})
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=request.session.get(ENROL_DEVICE)).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("工作台动态验证码"), confirmed=False)
        request.session[ENROL_DEVICE] = device.pk
    form = TotpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            ok = device.verify_token(form.cleaned_data["token"])
            if ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
                audit_log(actor=user, action="accounts.totp_enrol", obj=device)
        if ok:
            request.session.pop(ENROL_DEVICE, None)
            messages.success(request, _("动态验证码已开通。以后登录时请输入身份验证器 App 中的验证码。"))
            return _finish(request, user, device, next_url, pending)
        status = _refuse(request, form, user, pending)
    return render(request, "accounts/staff_enrol.html", {
        "form": form, "staff_user": user, "qr": qr_svg(device), "secret": secret_groups(device),
        "issuer": settings.OTP_TOTP_ISSUER}, status=status)
