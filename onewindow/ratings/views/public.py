"""The applicant's rating pages.

Two ways in, one set of screens:
* the signed link sent with the notification (`rate/<token>/…`, no sign-in; `tokens.read_token`); rating needs a
  token within the rating window, reading one's rating, amending it and answering the reply accept the longer
  link age (`follow_up=True`), and the services enforce their own periods;
* the online hall, signed in (`rate/my/<case number>/<service event>/…`, `selectors.invitation_for_user`).

Everything works without JavaScript (plain form posts, redirect after success); ratings/rate.js only shows the
options of the chosen level. Errors are the services' Chinese messages on a page with the error's 4xx status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.core.errors import ApplicationError, Conflict, NotFound
from onewindow.portal.hall import hall_login_required

from .. import selectors, services
from ..constants import BadCaseStatus, RatingChannel
from ..models import BadRatingCase, Rating, RatingAmendment, RatingInvitation
from .common import is_bad_level, levels, read_form, service_facts


@dataclass
class Access:
    """How the page was reached: the invitation, who acts, the channel and the page addresses."""

    invitation: RatingInvitation
    via_token: bool
    actor: Any
    channel: str
    urls: dict


def _link_urls(token: str) -> dict:
    return {name: reverse(f"rating:link_{name}", args=[token]) for name in ("rate", "amend", "thanks", "reply")}


def _online_urls(number: str, event: str) -> dict:
    urls = {name: reverse(f"rating:online_{name}", args=[number, event]) for name in ("rate", "amend", "thanks",
                                                                                        "reply")}
    urls["case"] = reverse("portal:my_case", args=[number])
    return urls


def _problem(request, exc: ApplicationError, *, title: str = "") -> HttpResponse:
    return render(request, "ratings/public/problem.html", {"error": exc, "title": title or _("无法完成评价")},
                  status=exc.status_code)


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _rating_of(invitation: RatingInvitation) -> Rating | None:
    return (Rating.objects.filter(invitation=invitation).select_related("bad_case").first())


def _state(rating: Rating | None) -> dict:
    """Amendable? The reply to answer? (the page only offers what the services would accept)."""
    if rating is None:
        return {"rating": None}
    amended = RatingAmendment.objects.filter(rating=rating).exists()
    try:
        bad = rating.bad_case
    except BadRatingCase.DoesNotExist:
        bad = None
    return {
        "rating": rating, "amended": amended, "bad": bad,
        "can_amend": not amended and not rating.excluded and timezone.now() <= rating.amend_until,
        "can_respond": bad is not None and bad.status == BadCaseStatus.REPLIED,
    }


def _form_context(access: Access, *, form: dict | None = None, error: ApplicationError | None = None,
                  mode: str = "rate") -> dict:
    facts = service_facts(access.invitation)
    return {"access": access, "facts": facts, "levels": levels(), "form": form or {}, "error": error,
            "mode": mode, "urls": access.urls, "expires_at": access.invitation.expires_at}


def _show(request, access: Access) -> HttpResponse:
    rating = _rating_of(access.invitation)
    if rating is not None:
        context = _form_context(access) | _state(rating)
        return _no_store(render(request, "ratings/public/rated.html", context))
    if timezone.now() > access.invitation.expires_at or access.invitation.closed_at is not None:
        exc = Conflict(_("评价期已过，该服务不能再评价。如有意见，可拨打 12345 政务服务便民热线。"), code="window_closed")
        return _no_store(_problem(request, exc, title=_("评价期已过")))
    return _no_store(render(request, "ratings/public/rate.html", _form_context(access)))


def _submit(request, access: Access) -> HttpResponse:
    form = read_form(request.POST)
    try:
        services.rating_submit(invitation=access.invitation, level=form["level"], options=form["options"],
                               comment=form["comment"], channel=access.channel, actor=access.actor,
                               via_token=access.via_token)
    except Conflict as exc:  # a double submit, or the window closed meanwhile: say so, keep the one rating
        return _no_store(_problem(request, exc, title=_("该服务已评价") if exc.code == "already_rated" else ""))
    except ApplicationError as exc:
        if exc.status_code == 404:
            return _problem(request, exc)
        context = _form_context(access, form=form, error=exc)
        return _no_store(render(request, "ratings/public/rate.html", context, status=exc.status_code))
    return redirect(access.urls["thanks"])


def _amend(request, access: Access) -> HttpResponse:
    rating = _rating_of(access.invitation)
    if rating is None:
        return redirect(access.urls["rate"])
    state = _state(rating)
    if request.method == "POST":
        form = read_form(request.POST)
        try:
            services.rating_amend(rating=rating, level=form["level"], options=form["options"],
                                  comment=form["comment"], channel=access.channel, actor=access.actor,
                                  via_token=access.via_token)
        except Conflict as exc:
            return _no_store(_problem(request, exc, title=_("不能修改评价")))
        except ApplicationError as exc:
            if exc.status_code == 404:
                return _problem(request, exc)
            context = _form_context(access, form=form, error=exc, mode="amend") | state
            return _no_store(render(request, "ratings/public/rate.html", context, status=exc.status_code))
        messages.success(request, _("评价已修改。每项服务的评价只能修改一次，现已不能再修改。"))
        return redirect(access.urls["rate"])
    if not state["can_amend"]:
        exc = Conflict(_("评价只能修改一次，且须在评价后 7 日内修改；该评价已不能修改。") if state["amended"]
                       else _("评价的修改期已过，不能再修改。"), code="amend_closed")
        return _no_store(_problem(request, exc, title=_("不能修改评价")))
    form = {"level": rating.level, "options": rating.options, "comment": rating.comment}
    context = _form_context(access, form=form, mode="amend") | state
    return _no_store(render(request, "ratings/public/rate.html", context))


def _thanks(request, access: Access) -> HttpResponse:
    rating = _rating_of(access.invitation)
    if rating is None:
        return redirect(access.urls["rate"])
    context = _form_context(access) | _state(rating)
    return _no_store(render(request, "ratings/public/thanks.html", context))


def _reply(request, access: Access) -> HttpResponse:
    rating = _rating_of(access.invitation)
    state = _state(rating)
    bad = state.get("bad")
    if bad is None:
        return _problem(request, NotFound(_("该评价没有需要整改反馈的差评记录。")), title=_("没有整改反馈"))
    context = _form_context(access) | state | {"responded": request.GET.get("done") == "1"}
    if request.method == "POST":
        raw = request.POST.get("satisfied", "")
        comment = (request.POST.get("comment") or "").strip()
        if raw not in ("1", "0"):
            exc = ApplicationError(_("请选择您对整改结果是否满意。"), fields={"satisfied": _("请选择满意或不满意。")})
            context |= {"error": exc, "form": {"comment": comment}}
            return _no_store(render(request, "ratings/public/reply.html", context, status=400))
        try:
            services.bad_case_respond(bad_case=bad, satisfied=raw == "1", comment=comment, actor=access.actor,
                                      via_token=access.via_token)
        except Conflict as exc:
            return _no_store(_problem(request, exc, title=_("已评价整改结果")))
        except ApplicationError as exc:
            if exc.status_code == 404:
                return _problem(request, exc)
            context |= {"error": exc, "form": {"comment": comment, "satisfied": raw}}
            return _no_store(render(request, "ratings/public/reply.html", context, status=exc.status_code))
        return redirect(access.urls["reply"] + "?done=1")
    return _no_store(render(request, "ratings/public/reply.html", context))


# ------------------------------------------------------------------ the signed link (no sign-in)

def _link_access(token: str, *, rating: bool = False) -> Access:
    invitation = selectors.invitation_for_token(token, follow_up=not rating)
    return Access(invitation=invitation, via_token=True, actor=None, channel=RatingChannel.MOBILE_LINK,
                  urls=_link_urls(token))


def _with_link(handler, *, rating_post: bool = False):
    def view(request: HttpRequest, token: str) -> HttpResponse:
        try:
            access = _link_access(token, rating=rating_post and request.method == "POST")
        except ApplicationError as exc:
            return _no_store(_problem(request, exc, title=_("评价链接无效")))
        return handler(request, access)

    view.__name__ = f"link_{handler.__name__.strip('_')}"
    return require_http_methods(["GET", "POST"])(view)


def _rate_page(request, access):
    return _submit(request, access) if request.method == "POST" else _show(request, access)


link_rate = _with_link(_rate_page, rating_post=True)
link_amend = _with_link(_amend)
link_thanks = _with_link(_thanks)
link_reply = _with_link(_reply)


# ------------------------------------------------------------------ signed in (online hall, 我的办件)

def _with_session(handler):
    @hall_login_required
    def view(request: HttpRequest, number: str, event: str) -> HttpResponse:
        try:
            invitation = selectors.invitation_for_user(user=request.user, case_number=number, service_event=event)
        except ApplicationError as exc:
            return _problem(request, exc)
        access = Access(invitation=invitation, via_token=False, actor=request.user, channel=RatingChannel.ONLINE,
                        urls=_online_urls(invitation.case.number, event))
        return handler(request, access)

    view.__name__ = f"online_{handler.__name__.strip('_')}"
    return require_http_methods(["GET", "POST"])(view)


online_rate = _with_session(_rate_page)
online_amend = _with_session(_amend)
online_thanks = _with_session(_thanks)
online_reply = _with_session(_reply)

__all__ = ["link_rate", "link_amend", "link_thanks", "link_reply", "online_rate", "online_amend", "online_thanks",
           "online_reply", "is_bad_level"]
