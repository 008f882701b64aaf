"""Public 好差评 pages: the signed-link rating page (no sign-in), the signed-in rating page of 我的办件, and the
window rating pad (docs/ratings.md §Screens)."""

from django.urls import path, re_path

from .views import pad, public

app_name = "rating"

LINK = r"(?P<token>[A-Za-z0-9_\-:]{1,200})"

urlpatterns = [
    path("rate/my/<str:number>/<slug:event>/", public.online_rate, name="online_rate"),
    path("rate/my/<str:number>/<slug:event>/amend/", public.online_amend, name="online_amend"),
    path("rate/my/<str:number>/<slug:event>/thanks/", public.online_thanks, name="online_thanks"),
    path("rate/my/<str:number>/<slug:event>/reply/", public.online_reply, name="online_reply"),
    # The link in the message is /rate/<token> (tokens.rating_url): answered without the redirect to the slash.
    re_path(rf"^rate/{LINK}/$", public.link_rate, name="link_rate"),
    re_path(rf"^rate/{LINK}$", public.link_rate, name="link_rate_bare"),
    re_path(rf"^rate/{LINK}/amend/$", public.link_amend, name="link_amend"),
    re_path(rf"^rate/{LINK}/thanks/$", public.link_thanks, name="link_thanks"),
    re_path(rf"^rate/{LINK}/reply/$", public.link_reply, name="link_reply"),
    path("pad/", pad.pad_home, name="pad"),
    path("pad/setup/", pad.pad_setup, name="pad_setup"),
    path("pad/current/", pad.pad_current, name="pad_current"),
    path("pad/rate/", pad.pad_rate, name="pad_rate"),
]
