"""Citizens sign in with mobile number + password, then the one-time code sent by SMS."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from onewindow.accounts.models import OneTimeCode

from .conftest import PASSWORD, citizen, valid_ric

pytestmark = pytest.mark.django_db

MOBILE = "13800138000"


def step_one(client, mobile=MOBILE, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"mobile": mobile, "password": password, **extra})


def test_password_then_code_signs_in(client, outbox):
    user = citizen(MOBILE)
    response = step_one(client, mobile="138 0013 8000")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session  # nobody is signed in before the second step
    assert client.get(reverse("accounts:profile")).status_code == 302
    page = client.get(reverse("accounts:login_code")).content.decode()
    assert "138****8000" in page
    response = client.post(reverse("accounts:login_code"), {"code": outbox.last_code(MOBILE)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "李明" in page and valid_ric(1) not in page and "*" * 14 + valid_ric(1)[-4:] in page


def test_wrong_password_and_unknown_number_get_the_same_message(client, outbox):
    citizen(MOBILE)
    for mobile, password in ((MOBILE, "wrong-password"), ("13900000000", PASSWORD)):
        page = step_one(client, mobile=mobile, password=password).content.decode()
        assert "手机号码或密码错误。" in page
    assert outbox == []


def test_wrong_code_is_counted_and_explained(client, outbox):
    citizen(MOBILE)
    step_one(client)
    wrong = "000000" if outbox.last_code() != "000000" else "111111"
    page = client.post(reverse("accounts:login_code"), {"code": wrong}).content.decode()
    assert "验证码错误，还可以再试 4 次。" in page
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("accounts:login_code"), {"code": "12ab"}).status_code == 200


def test_resend_is_limited_to_once_a_minute(client, outbox):
    citizen(MOBILE)
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        step_one(client)
        response = client.post(reverse("accounts:login_code_resend"), follow=True)
        assert "秒后再试" in response.content.decode()
        assert len(outbox) == 1
        # A second click on step one while the code is on its way goes on to step two, no new code.
        assert step_one(client)["Location"] == reverse("accounts:login_code")
        assert len(outbox) == 1
    with freeze_time(t0 + dt.timedelta(seconds=61)):
        response = client.post(reverse("accounts:login_code_resend"), follow=True)
        assert "验证码已重新发送至 138****8000" in response.content.decode()
        assert len(outbox) == 2
        client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
    assert "_auth_user_id" in client.session
    assert OneTimeCode.objects.filter(used_at__isnull=False).count() == 1


def test_waiting_too_long_between_the_steps_starts_over(client, outbox):
    citizen(MOBILE)
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        step_one(client)
    with freeze_time(t0 + dt.timedelta(minutes=6)):
        response = client.get(reverse("accounts:login_code"))
    assert response["Location"] == reverse("accounts:login")


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(client, outbox):
    citizen(MOBILE)
    for _ in range(5):
        step_one(client, password="wrong-password")
    response = step_one(client)  # even the right password
    assert response.status_code == 429
    assert "账户已锁定，请 30 分钟后再试或联系管理员。" in response.content.decode()
    assert outbox == []
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)):
        assert step_one(client).status_code == 302


def test_next_is_kept_and_foreign_next_is_ignored(client, outbox):
    citizen(MOBILE)
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        step_one(client, next="/guide/")
        response = client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
        assert response["Location"] == "/guide/"
        client.post(reverse("accounts:logout"))
    with freeze_time(t0 + dt.timedelta(minutes=2)):
        step_one(client, next="https://evil.example/")
        response = client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
    assert response["Location"] == reverse("accounts:profile")


def test_signing_in_again_at_once_is_told_so(client, outbox):
    citizen(MOBILE)
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        step_one(client)
        client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
        client.post(reverse("accounts:logout"))
        response = step_one(client)
    assert response.status_code == 429 and "秒后再试" in response.content.decode()


def test_logout_is_post_only(client, outbox):
    citizen(MOBILE)
    step_one(client)
    client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session


def test_login_url_sends_staff_pages_to_the_staff_sign_in(client):
    response = client.get(reverse("accounts:login"), {"next": "/workbench/catalogue/items/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("workbench:login"))


def test_profile_full_id_view_is_logged(client, outbox):
    from onewindow.core.models import AuditEvent

    user = citizen(MOBILE)
    client.force_login(user)
    assert client.get(reverse("accounts:profile_reveal")).status_code == 405
    page = client.post(reverse("accounts:profile_reveal")).content.decode()
    assert valid_ric(1) in page
    event = AuditEvent.objects.get(action="pii.view_full_id")
    assert event.actor == user and valid_ric(1) not in str(event.new_values)
    assert valid_ric(1) not in client.get(reverse("accounts:profile")).content.decode()


def test_idle_citizen_is_signed_out_and_told_why(client, outbox):
    citizen(MOBILE)
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        step_one(client)
        client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
        assert client.get(reverse("accounts:profile")).status_code == 200
    with freeze_time(t0 + dt.timedelta(minutes=31)):
        response = client.get(reverse("accounts:profile"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "已自动退出登录" in response.content.decode()
