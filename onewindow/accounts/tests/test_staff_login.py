"""Staff: username + password, then a TOTP code; lockout after 5 failures; the workbench needs both steps."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from onewindow.accounts.sessions import AUTH_AT, SEEN_AT
from onewindow.accounts.testing import staff_login
from onewindow.accounts.totp import current_code
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

from .conftest import PASSWORD, citizen

pytestmark = pytest.mark.django_db

LOCKED = "账户已锁定，请 30 分钟后再试或联系管理员。"


@pytest.fixture
def clerk():
    user = staff(Role.CLERK, DepartmentFactory(), name="张丽")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def device(clerk):
    return TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(reverse("workbench:login"), {"username": username, "password": password, **extra})


def code(device_):
    device_.refresh_from_db()
    return current_code(device_)[0]


def wrong_code(device_):
    right = code(device_)
    return f"{(int(right) + 500000) % 1000000:06d}"


def test_password_then_totp_opens_the_workbench(client, clerk, device):
    response = password_step(client, clerk.username)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:staff_verify")
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get(reverse("workbench:home"))["Location"].startswith(reverse("workbench:login"))
    assert "张丽" in client.get(reverse("accounts:staff_verify")).content.decode()
    response = client.post(reverse("accounts:staff_verify"), {"token": code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("workbench:home")
    assert client.get(reverse("workbench:home")).status_code == 200


def test_wrong_totp_code_is_refused_and_counted(client, clerk, device):
    password_step(client, clerk.username)
    response = client.post(reverse("accounts:staff_verify"), {"token": wrong_code(device)})
    assert "动态验证码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("accounts:staff_verify"), {"token": "abc"}).status_code == 200


def test_a_used_code_cannot_be_replayed(client, clerk, device):
    password_step(client, clerk.username)
    token = code(device)
    client.post(reverse("accounts:staff_verify"), {"token": token})
    client.post(reverse("workbench:logout"))
    password_step(client, clerk.username)
    response = client.post(reverse("accounts:staff_verify"), {"token": token})
    assert "动态验证码错误" in response.content.decode()


def test_five_wrong_passwords_lock_the_account(client, clerk, device):
    for _ in range(4):
        assert "用户名或密码错误" in password_step(client, clerk.username, "nope").content.decode()
    response = password_step(client, clerk.username, "nope")  # the fifth failure locks
    assert response.status_code == 429 and LOCKED in response.content.decode()
    response = password_step(client, clerk.username)  # even the right password now
    assert response.status_code == 429 and LOCKED in response.content.decode()
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)):
        assert password_step(client, clerk.username).status_code == 302


def test_wrong_totp_codes_count_towards_the_lockout(client, clerk, device):
    for _ in range(2):
        password_step(client, clerk.username, "nope")
    password_step(client, clerk.username)
    for _ in range(2):
        device.throttling_failure_count = 0  # django-otp's own backoff would make the test wait
        device.throttling_failure_timestamp = None
        device.save()
        client.post(reverse("accounts:staff_verify"), {"token": wrong_code(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(reverse("accounts:staff_verify"), {"token": wrong_code(device)})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert password_step(client, clerk.username).status_code == 429


def test_a_citizen_account_cannot_use_the_staff_sign_in(client):
    user = citizen("13800138000")
    assert "用户名或密码错误" in password_step(client, user.username).content.decode()


def test_password_only_session_is_sent_to_the_second_step(client, clerk, device):
    client.force_login(clerk)  # signed in, but no TOTP step (e.g. the admin or a stale session)
    response = client.get(reverse("workbench:items"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_verify"))
    response = client.post(response["Location"], {"token": code(device)})
    assert response["Location"] == reverse("workbench:items")
    assert client.get(reverse("workbench:items")).status_code in (200, 403)


def test_every_workbench_url_needs_the_verified_session(client, clerk, device):
    from django.urls import get_resolver

    client.force_login(clerk)
    resolver = get_resolver()
    workbench = resolver.url_patterns
    paths = []
    for pattern in workbench:
        if str(pattern.pattern) == "workbench/":
            for sub in pattern.url_patterns:
                route = str(sub.pattern).replace("<int:pk>", "1").replace("<str:number>", "X")
                paths.append("/workbench/" + route)
    assert len(paths) > 10
    for path in paths:
        if path in ("/workbench/login/", "/workbench/logout/") or "<" in path:
            continue
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/staff/verify/" in response["Location"], path


def test_htmx_requests_are_told_to_load_the_sign_in_page(client, clerk):
    response = client.get(reverse("workbench:items"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("workbench:login"))


def test_first_sign_in_enrols_a_device_with_a_qr_code(client, clerk):
    response = password_step(client, clerk.username)
    assert response["Location"] == reverse("accounts:staff_enrol")
    page = client.get(reverse("accounts:staff_enrol")).content.decode()
    assert "<svg" in page and "开通动态验证码" in page
    device = TOTPDevice.objects.get(user=clerk)
    assert not device.confirmed
    # The page shows the same secret on a reload (the app may already have it).
    assert client.get(reverse("accounts:staff_enrol")).content.decode().count("<svg") == 1
    assert TOTPDevice.objects.filter(user=clerk).count() == 1
    totp = TOTP(device.bin_key)
    totp.time = time.time()
    response = client.post(reverse("accounts:staff_enrol"), {"token": f"{totp.token():06d}"})
    assert response.status_code == 302 and response["Location"] == reverse("workbench:home")
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="accounts.totp_enrol").exists()
    assert client.get(reverse("workbench:home")).status_code == 200


def test_enrolment_is_closed_when_self_enrolment_is_off(client, clerk, settings):
    settings.OTP_SELF_ENROLMENT = False
    password_step(client, clerk.username)
    page = client.get(reverse("accounts:staff_enrol")).content.decode()
    assert "请联系系统管理员为您开通" in page
    assert not TOTPDevice.objects.exists()


def test_admin_sign_in_goes_through_the_two_steps(client):
    response = client.get("/admin/login/?next=/admin/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:login") + "?next=%2Fadmin%2Fcases%2F"


def test_idle_session_times_out_after_thirty_minutes(client, clerk, device):
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        staff_login(client, clerk)
        assert client.get(reverse("workbench:home")).status_code == 200
    with freeze_time(t0 + dt.timedelta(minutes=29)):
        assert client.get(reverse("workbench:home")).status_code == 200  # activity moves the idle limit on
    with freeze_time(t0 + dt.timedelta(minutes=58)):
        assert client.get(reverse("workbench:home")).status_code == 200
    with freeze_time(t0 + dt.timedelta(minutes=89)):
        response = client.get(reverse("workbench:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("workbench:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "已自动退出登录" in page


def test_session_ends_eight_hours_after_sign_in_even_when_busy(client, clerk, device):
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with freeze_time(t0):
        staff_login(client, clerk)
    for minutes in range(20, 8 * 60, 20):
        with freeze_time(t0 + dt.timedelta(minutes=minutes)):
            assert client.get(reverse("workbench:home")).status_code == 200
    with freeze_time(t0 + dt.timedelta(hours=8, minutes=5)):
        assert client.get(reverse("workbench:home")).status_code == 302


def test_sign_in_stamps_the_session(client, clerk, device):
    staff_login(client, clerk)
    assert client.session[AUTH_AT] == client.session[SEEN_AT]


def test_totp_code_command_prints_the_current_code(clerk, device, capsys):
    from django.core.management import call_command

    call_command("totp_code", clerk.username)
    out, err = capsys.readouterr()
    assert out.strip() == current_code(device)[0] and "秒内有效" in err
