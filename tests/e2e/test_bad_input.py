"""Bad input in a phone browser (issue 4's list), on the demo: the session ends while the citizen fills in the
online form (the draft survives and the sign-in leads back to it), a wrong SMS code on the way back in, and the
back button after a correction was sent."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sms(monkeypatch):
    """Codes "sent" by SMS while the live server runs in this process (as in test_accounts.py)."""
    sent = []
    monkeypatch.setattr("onewindow.accounts.sms.send_one_time_code",
                        lambda phone, code, *, purpose: sent.append(code))
    return sent


def _sign_in(phone, sms, *, wrong_first: bool = False) -> None:
    """On the sign-in page: 李明's mobile and password, then the SMS code (a wrong one first if asked)."""
    phone.fill("#id_mobile", "13800138000")
    phone.fill("#id_password", "onewindow2026")
    phone.get_by_role("button", name="下一步：获取短信验证码").click()
    phone.wait_for_url("**/login/code/**")
    if wrong_first:
        phone.fill("#id_code", "000000" if sms[-1] != "000000" else "111111")
        phone.get_by_role("button", name="登录", exact=True).click()
        phone.get_by_text("验证码错误，还可以再试 4 次。").wait_for()
    phone.fill("#id_code", sms[-1])
    phone.get_by_role("button", name="登录", exact=True).click()


def test_the_session_ends_mid_form_and_the_draft_survives(demo, live_server, phone, sms, shot):
    from onewindow.applications.models import ApplicationDraft

    phone.goto(f"{live_server.url}/accounts/login/")
    _sign_in(phone, sms)
    phone.wait_for_url("**/accounts/profile/")
    phone.goto(f"{live_server.url}/guide/?q=食品经营许可")
    phone.get_by_role("link", name="食品经营许可", exact=True).first.click()
    phone.get_by_role("link", name="在线办理").first.click()
    phone.wait_for_url(re.compile(r"/apply/draft/\d+/$"))
    form_url = phone.url
    phone.fill("#id_address", "云溪县城关镇人民路 18 号")
    phone.locator("#id_address").press("Tab")  # leaving the field saves it in the background
    phone.get_by_role("status").filter(has_text="已自动保存").wait_for()

    # The session ends (idle timeout, or the cookie is gone) while the form is open; the citizen types on.
    phone.context.clear_cookies(name="sessionid")
    phone.fill("#id_email", "liming@example.com")
    phone.get_by_role("button", name="保存草稿").first.click()
    phone.wait_for_url("**/accounts/login/**")
    assert "登录已超时" in phone.locator("body").inner_text() and "不会丢失" in phone.locator("body").inner_text()
    shot(phone, "bad-input-session-expired-phone")

    import datetime as dt

    from django.db.models import F

    from onewindow.accounts.models import OneTimeCode

    # A real idle timeout comes 30 minutes after signing in: the one-code-a-minute limit has long passed.
    OneTimeCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=31), slot=F("slot") - 31)
    _sign_in(phone, sms, wrong_first=True)
    phone.wait_for_url(form_url)  # back to the form it came from
    assert phone.input_value("#id_address") == "云溪县城关镇人民路 18 号"  # autosaved before the session ended
    assert ApplicationDraft.objects.count() == 1
    shot(phone, "bad-input-draft-survived-phone")
