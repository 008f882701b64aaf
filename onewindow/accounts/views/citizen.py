"""The online service hall's sign-in, registration, profile and company authorisations (citizens)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from onewindow.core.errors import ApplicationError

from .. import selectors, services
from ..codes import code_issue, code_verify, has_live_code, seconds_until_resend
from ..constants import CODE_RESEND_SECONDS, AccountKind, CodePurpose
from ..forms import AuthorizationForm, CodeForm, LoginForm, RegisterDetailsForm, RegisterStartForm
from ..lockout import is_locked_out, locked_message, mark_handled
from ..models import CitizenProfile, User
from ..phones import mask_phone, mobile_hash
from ..signin import CITIZEN_PENDING, complete_login, pending_clear, pending_get, pending_set, safe_next
from . import oidc

REGISTER = "ow_register"
TOKEN_TTL = 120  # seconds a finished registration answers a repeated submit of the same form


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _apply_error(form, exc: ApplicationError) -> None:
    """Show a service error on the form: on its fields when it names them, else above the form."""
    placed = False
    for field, msgs in exc.fields.items():
        if field in form.fields:
            for msg in msgs:
                form.add_error(field, msg)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def citizen_required(view):
    """Signed in with an online-hall account; anyone else goes to the citizen sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        return view(request, *args, **kwargs)

    return wrapper


def _home_after_login(request) -> str:
    return safe_next(request, reverse("accounts:profile"))


# ---------------------------------------------------------------------------------- sign-in

@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    """Step one: mobile number and password. Step two (login_code) asks for the code sent by SMS."""
    next_url = safe_next(request, "")
    if next_url.startswith(("/workbench/", "/admin/")):  # LOGIN_URL for everything: staff go to their own
        return HttpResponseRedirect(f"{reverse('workbench:login')}?{urlencode({'next': next_url})}")
    if request.user.is_authenticated and selectors.profile_for(request.user):
        return redirect(next_url or "accounts:profile")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        mobile, password = form.cleaned_data["mobile"], form.cleaned_data["password"]
        profile = CitizenProfile.objects.select_related("user").filter(mobile=mobile).first()
        # Lockouts count per account; an unknown number counts under its hash (no number is stored).
        username = profile.user.username if profile else f"mobile:{mobile_hash(mobile)[:32]}"
        user = authenticate(request, username=username, password=password)
        if is_locked_out(request):
            form.add_error(None, locked_message())
            mark_handled(request)
            status = 429
        elif user is None or profile is None or user.pk != profile.user_id:
            form.add_error(None, _("手机号码或密码错误。"))
        else:
            try:
                code_issue(mobile=mobile, purpose=CodePurpose.LOGIN, client_ip=_client_ip(request))
            except ApplicationError as exc:
                # A second click, or signing in again at once: the code sent a moment ago is still good.
                if not (exc.code == "code_too_soon" and has_live_code(mobile, CodePurpose.LOGIN)):
                    _apply_error(form, exc)
                    return render(request, "accounts/login.html", _login_context(form, next_url), status=429)
                messages.info(request, _("验证码刚刚已发送，请使用收到的验证码。"))
            pending_set(request, CITIZEN_PENDING, user, next_url or reverse("accounts:profile"))
            return redirect("accounts:login_code")
    return render(request, "accounts/login.html", _login_context(form, next_url), status=status)


def _login_context(form, next_url):
    return {"form": form, "next": next_url, "nav": "account", "oidc": oidc.is_configured()}


@never_cache
def login_code(request):
    user, data = pending_get(request, CITIZEN_PENDING)
    if user is None:
        if data:
            messages.warning(request, _("验证码等待时间已过，请重新登录。"))
        pending_clear(request, CITIZEN_PENDING)
        return redirect("accounts:login")
    profile = selectors.profile_for_user_id(user.pk)
    if profile is None or not profile.mobile:
        pending_clear(request, CITIZEN_PENDING)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code_verify(mobile=profile.mobile, purpose=CodePurpose.LOGIN, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            pending_clear(request, CITIZEN_PENDING)
            complete_login(request, user)
            messages.success(request, _("登录成功。"))
            return HttpResponseRedirect(data.get("next") or reverse("accounts:profile"))
    return render(request, "accounts/login_code.html", {
        "form": form, "phone": mask_phone(profile.mobile), "wait": seconds_until_resend(profile.mobile),
        "resend_url": reverse("accounts:login_code_resend"), "nav": "account"})


@require_POST
def login_code_resend(request):
    user, _data = pending_get(request, CITIZEN_PENDING)
    if user is None:
        return redirect("accounts:login")
    profile = selectors.profile_for_user_id(user.pk)
    if profile is None or not profile.mobile:
        return redirect("accounts:login")
    try:
        code_issue(mobile=profile.mobile, purpose=CodePurpose.LOGIN, client_ip=_client_ip(request))
        messages.success(request, _("验证码已重新发送至 %(phone)s。") % {"phone": mask_phone(profile.mobile)})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:login_code")


@require_POST
def logout_view(request):
    staff = selectors.is_staff_account(request.user) and not selectors.profile_for(request.user)
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("workbench:login" if staff else "portal:home")


# ---------------------------------------------------------------------------------- registration

@never_cache
def register_start(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in AccountKind.values else AccountKind.PERSON
    form = RegisterStartForm(request.POST or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        mobile, kind = form.cleaned_data["mobile"], form.cleaned_data["kind"]
        state = request.session.get(REGISTER) or {}
        try:
            services.ensure_mobile_free(mobile)
            code_issue(mobile=mobile, purpose=CodePurpose.REGISTER, client_ip=_client_ip(request))
        except ApplicationError as exc:
            if exc.code == "code_too_soon" and state.get("mobile") == mobile:
                state["kind"] = kind  # a second click: the code is on its way
                request.session[REGISTER] = state
                return redirect("accounts:register_details")
            _apply_error(form, exc)
        else:
            request.session[REGISTER] = {"kind": kind, "mobile": mobile, "token": secrets.token_urlsafe(24),
                                         "at": int(time.time())}
            return redirect("accounts:register_details")
    return render(request, "accounts/register.html", {"form": form, "kind": kind, "nav": "account"})


def _token_key(token: str) -> str:
    return f"accounts:register-done:{token}"


def _finished_registration(request, token: str, wait: float = 0.0):
    """The account a repeated submit of the same registration form already created (double click)."""
    if not token:
        return None
    deadline = time.monotonic() + wait
    while True:
        user_id = cache.get(_token_key(token))
        if user_id or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


def _registered_in_this_session(state: dict, token: str):
    """The racing click's account, read from the database (the cache note may not be written yet, or may be
    gone): the account of this session's mobile created since this session asked for its code, when the form
    is this session's own registration form."""
    if not token or token != state.get("token"):
        return None
    since = dt.datetime.fromtimestamp(state.get("at", 0), tz=dt.UTC)
    return User.objects.filter(citizen_profile__mobile=state["mobile"], is_active=True,
                               date_joined__gte=since).first()


@sensitive_post_parameters("password1", "password2", "id_number")
@never_cache
def register_details(request):
    if request.method == "POST":
        done = _finished_registration(request, request.POST.get("form_token", ""))
        if done is not None:  # the first click already registered: sign in and go on, nothing created twice
            return _registered(request, done, repeated=True)
    state = request.session.get(REGISTER)
    if not state:
        messages.info(request, _("请先填写手机号码获取验证码。"))
        return redirect("accounts:register")
    kind, mobile = state["kind"], state["mobile"]
    form = RegisterDetailsForm(request.POST or None, kind=kind, initial={"form_token": state["token"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                kind=kind, mobile=mobile, code=data["code"], password=data["password1"], name=data["name"],
                id_number=data["id_number"], company_name=data.get("company_name", ""),
                credit_code=data.get("credit_code", ""))
        except ApplicationError as exc:
            if exc.code in ("code_used", "mobile_taken"):
                done = (_finished_registration(request, data.get("form_token", ""), wait=1.0)
                        or _registered_in_this_session(state, data.get("form_token", "")))
                if done is not None:
                    return _registered(request, done, repeated=True)
            _apply_error(form, exc)
        else:
            cache.set(_token_key(state["token"]), user.pk, TOKEN_TTL)
            return _registered(request, user)
    return render(request, "accounts/register_details.html", {
        "form": form, "kind": kind, "phone": mask_phone(mobile), "wait": seconds_until_resend(mobile),
        "resend_wait": CODE_RESEND_SECONDS, "nav": "account"})


def _registered(request, user, repeated: bool = False):
    request.session.pop(REGISTER, None)
    if not (request.user.is_authenticated and request.user.pk == user.pk):
        complete_login(request, user)
    messages.success(request, _("注册成功，已为您登录。") if not repeated else _("注册已完成，已为您登录。"))
    return redirect("accounts:profile")


@require_POST
def register_resend(request):
    state = request.session.get(REGISTER)
    if not state:
        return redirect("accounts:register")
    try:
        code_issue(mobile=state["mobile"], purpose=CodePurpose.REGISTER, client_ip=_client_ip(request))
        messages.success(request, _("验证码已重新发送至 %(phone)s。") % {"phone": mask_phone(state["mobile"])})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:register_details")


# ---------------------------------------------------------------------------------- profile

@citizen_required
@never_cache
def profile(request):
    return _profile_page(request, full_id=None)


@citizen_required
@require_POST
@never_cache
def profile_reveal(request):
    me = selectors.profile_for(request.user)
    if me is None:
        return redirect("accounts:profile")
    full = services.id_number_reveal(actor=request.user, obj=me, reason=_("本人查看账户信息"))
    return _profile_page(request, full_id=full)


def _profile_page(request, *, full_id):
    me = selectors.profile_for(request.user)
    context = {"profile": me, "full_id": full_id, "nav": "account",
               "companies": selectors.companies_for_member(request.user) if me else []}
    return render(request, "accounts/profile.html", context)


# ---------------------------------------------------------------------------------- company authorisations

@citizen_required
@never_cache
def authorizations(request):
    me = selectors.profile_for(request.user)
    if me is None or me.kind != AccountKind.COMPANY:
        messages.error(request, _("只有法人账户可以授权经办人。"))
        return redirect("accounts:profile")
    form = AuthorizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.authorization_grant(actor=request.user, mobile=data["mobile"], name=data["name"],
                                         scope=data["scope"], valid_from=data["valid_from"],
                                         valid_until=data["valid_until"])
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("已授权经办人 %(name)s。") % {"name": data["name"]})
            return redirect("accounts:authorizations")
    rows = list(selectors.authorizations_granted(request.user))
    return render(request, "accounts/authorizations.html", {"form": form, "rows": rows, "profile": me,
                                                            "nav": "account"})


@citizen_required
@require_POST
def authorization_revoke(request, pk: int):
    try:
        services.authorization_revoke(actor=request.user, authorization_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("授权已撤销。"))
    return redirect("accounts:authorizations")
