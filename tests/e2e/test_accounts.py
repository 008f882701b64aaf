"""Sign-in journeys in a browser, under the Content-Security-Policy: a citizen registers and signs in on a
phone (SMS codes captured from the demo's SMS function), a clerk signs in with password + TOTP code."""

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sms(monkeypatch):
    """Codes "sent" by SMS while the live server runs in this process."""
    sent = []
    monkeypatch.setattr("onewindow.accounts.sms.send_one_time_code",
                        lambda phone, code, *, purpose: sent.append(code))
    return sent


def _watch_csp(page) -> list[str]:
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return problems


def test_citizen_registers_with_a_code_then_signs_in_again(demo, live_server, phone, sms, shot):
    csp = _watch_csp(phone)
    phone.goto(f"{live_server.url}/accounts/register/")
    phone.fill("#id_mobile", "13612345678")
    phone.get_by_role("button", name="获取短信验证码").click()
    phone.wait_for_url("**/register/details/")
    assert "136****5678" in phone.locator("main").inner_text()
    phone.fill("#id_code", sms[-1])
    phone.fill("#id_name", "周敏")
    phone.fill("#id_id_number", "430103199208180043x")  # a stray character: refused, nothing lost
    phone.fill("#id_password1", "Yunxi-2026-tea")
    phone.fill("#id_password2", "Yunxi-2026-tea")
    phone.get_by_role("button", name="注册", exact=True).click()
    phone.wait_for_load_state()
    assert "居民身份证号码无效" in phone.locator("main").inner_text()
    assert phone.input_value("#id_name") == "周敏"
    shot(phone, "accounts-register-error-phone")
    phone.fill("#id_id_number", "430103199208180043")
    phone.fill("#id_password1", "Yunxi-2026-tea")
    phone.fill("#id_password2", "Yunxi-2026-tea")
    phone.get_by_role("button", name="注册", exact=True).dblclick()  # a double click sends the form once
    phone.wait_for_url("**/accounts/profile/")
    body = phone.locator("main").inner_text()
    assert "注册成功" in body and "**************0043" in body and "430103199208180043" not in body
    shot(phone, "accounts-profile-phone")

    phone.get_by_role("button", name="退出登录").click()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_mobile", "13800138000")  # the demo person 李明
    phone.fill("#id_password", "onewindow2026")
    phone.get_by_role("button", name="下一步：获取短信验证码").click()
    phone.wait_for_url("**/login/code/")
    phone.fill("#id_code", sms[-1])
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url("**/accounts/profile/")
    assert "李明" in phone.locator("main").inner_text()
    assert not csp, csp


def test_language_picker_still_works_without_inline_script(demo, live_server, page):
    csp = _watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_navigation():
        page.select_option("#lang-select", "en")  # ow/page.js submits the form on change
    assert "Sign in to the online service hall" in page.locator("main").inner_text()
    assert not csp, csp


def test_clerk_signs_in_with_password_and_totp(demo, live_server, page, shot):
    csp = _watch_csp(page)
    login(page, live_server, "clerk")
    assert "/workbench/" in page.url
    assert not csp, csp
