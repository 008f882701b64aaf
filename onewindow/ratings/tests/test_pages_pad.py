"""The window rating pad (评价器): binding by staff, the poll, rating with channel window_pad."""

import pytest
from django.core import signing
from django.test import Client

from onewindow.accounts.testing import staff_login
from onewindow.org.tests.factories import WindowFactory
from onewindow.ratings.constants import RatingChannel, ServiceEvent
from onewindow.ratings.models import Rating, RatingInvitation
from onewindow.ratings.views.pad import COOKIE, SALT

from .conftest import login

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def bound(window) -> Client:
    client = Client()
    client.cookies[COOKIE] = signing.dumps({"w": window.pk, "by": 0}, salt=SALT)
    return client


def test_unbound_browser_gets_instructions():
    response = Client().get("/pad/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "评价器尚未绑定窗口" in html and "/pad/setup/" in html


def test_forged_cookie_is_unbound(window):
    client = Client()
    client.cookies[COOKIE] = signing.dumps({"w": window.pk}, salt="another")
    assert "评价器尚未绑定窗口" in client.get("/pad/").content.decode()
    poll = client.get("/pad/current/", **HX)
    assert poll.status_code == 204 and poll["HX-Redirect"] == "/pad/"


def test_setup_needs_a_verified_staff_session(clerk, citizen):
    assert "/workbench/login/" in Client().get("/pad/setup/")["Location"]
    password_only = Client()
    password_only.force_login(clerk)
    assert "/workbench/login/" in password_only.get("/pad/setup/")["Location"]
    assert "/workbench/login/" in login(citizen).get("/pad/setup/")["Location"]


def test_setup_is_for_clerks_and_hall_managers_only(reviewer):
    client = Client()
    staff_login(client, reviewer)
    response = client.get("/pad/setup/")
    assert response.status_code == 403 and "只有窗口工作人员或大厅管理员可以设置评价器" in response.content.decode()


def test_clerk_binds_the_pad_to_a_window_of_their_hall(clerk, window):
    elsewhere = WindowFactory(name="别处窗口")  # another hall, another department
    client = Client()
    staff_login(client, clerk)
    page = client.get("/pad/setup/").content.decode()
    assert "市场监管窗口" in page and "别处窗口" not in page
    refused = client.post("/pad/setup/", {"window": elsewhere.pk})
    assert refused.status_code == 400 and "请选择本人所在大厅的一个窗口" in refused.content.decode()
    response = client.post("/pad/setup/", {"window": window.pk})
    assert response.status_code == 302 and response["Location"] == "/pad/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) > 300 * 86400
    assert signing.loads(cookie.value, salt=SALT)["w"] == window.pk
    assert "_auth_user_id" not in client.session  # the kiosk does not stay signed in as staff
    from onewindow.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="ratings.pad_bind").count() == 1  # the refused window left none
    pad = client.get("/pad/").content.decode()
    assert "市场监管窗口" in pad and "欢迎办事" in pad


def test_hall_manager_may_unbind(manager, window):
    client = bound(window)
    staff_login(client, manager)
    assert "本设备当前绑定" in client.get("/pad/setup/").content.decode()
    response = client.post("/pad/setup/", {"unbind": "1"})
    assert response.cookies[COOKIE].value == ""
    from onewindow.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="ratings.pad_unbind").exists()


def test_pad_shows_the_service_just_given_at_its_window_only(make_case, window):
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    html = bound(window).get("/pad/").content.decode()
    for text in ("请对本次服务进行评价", "钱窗口", "食品经营许可", "受理", "李*", "非常满意", "非常不满意"):
        assert text in html
    assert f'name="invitation" value="{invitation.pk}"' in html
    assert "李明" not in html and case.applicant.id_number not in html and case.number not in html
    other = WindowFactory(hall=window.hall, name="另一个窗口")
    assert "欢迎办事" in bound(other).get("/pad/").content.decode()


def test_poll_is_204_while_the_same_service_is_shown(make_case, window, django_assert_max_num_queries):
    client = bound(window)
    with django_assert_max_num_queries(1):
        assert client.get("/pad/current/?shown=0", **HX).status_code == 204  # idle stays idle
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    with django_assert_max_num_queries(3):
        response = client.get("/pad/current/?shown=0", **HX)
    assert response.status_code == 200 and f"shown={invitation.pk}" in response.content.decode()
    with django_assert_max_num_queries(1):
        assert client.get(f"/pad/current/?shown={invitation.pk}", **HX).status_code == 204


def test_poll_query_count_does_not_grow_with_cases(make_case, window, django_assert_max_num_queries):
    for _ in range(4):
        make_case(complete=False)
    with django_assert_max_num_queries(3):
        assert bound(window).get("/pad/current/?shown=0", **HX).status_code == 200


def test_citizen_rates_on_the_pad(make_case, window):
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    client = bound(window)
    response = client.post("/pad/rate/", {"invitation": invitation.pk, "level": "5", "options-5": ["服务态度好"]}, **HX)
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    rating = Rating.objects.get(invitation=invitation)
    assert rating.channel == RatingChannel.WINDOW_PAD and rating.level == 5 and rating.window_id == window.pk
    # Back to idle: the rated service is no longer offered.
    assert "欢迎办事" in client.get("/pad/current/", **HX).content.decode()


def test_pad_without_javascript_redirects_to_thanks(make_case, window):
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    client = bound(window)
    response = client.post("/pad/rate/", {"invitation": invitation.pk, "level": "4"})
    assert response.status_code == 302 and response["Location"] == "/pad/?thanks=1"
    assert "感谢您的评价" in client.get("/pad/?thanks=1").content.decode()


def test_pad_bad_level_needs_a_reason(make_case, window):
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    client = bound(window)
    response = client.post("/pad/rate/", {"invitation": invitation.pk, "level": "1"}, **HX)
    assert response.status_code == 200 and "差评请至少选择一项原因或填写评价内容。" in response.content.decode()
    plain = client.post("/pad/rate/", {"invitation": invitation.pk, "level": "1"})
    assert plain.status_code == 400
    assert not Rating.objects.exists()


def test_pad_double_submit_and_other_windows_invitations_are_refused(make_case, window):
    case = make_case(complete=False)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.ACCEPT)
    other = WindowFactory(hall=window.hall, name="另一个窗口")
    assert bound(other).post("/pad/rate/", {"invitation": invitation.pk, "level": "5"}).status_code == 409
    client = bound(window)
    client.post("/pad/rate/", {"invitation": invitation.pk, "level": "5"}, **HX)
    again = client.post("/pad/rate/", {"invitation": invitation.pk, "level": "1", "comment": "x"})
    assert again.status_code == 409 and "该服务已评价或已超过评价时间" in again.content.decode()
    assert Rating.objects.filter(invitation=invitation).count() == 1
