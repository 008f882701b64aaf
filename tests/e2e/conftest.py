"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Screenshots of key pages go to $E2E_ARTIFACTS (default test-artifacts/screenshots) so a reviewer can look
at what a citizen or clerk would see.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags that work on a closed network (no background calls to Google's hosts).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "test-artifacts/screenshots"))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _context(browser, viewport, **kwargs):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  accept_downloads=True, **kwargs)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser):
    context = _context(browser, DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot():
    """shot(page, "name") saves a full-page screenshot under the artifacts folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db, django_db_blocker):
    """The demo county (departments, halls, 80+ published items, staff accounts)."""
    from django.core.management import call_command

    call_command("demo_load", history=False, verbosity=0)  # no case history: each test starts from no cases


DEMO_PASSWORD = "onewindow2026"


def totp_code(username: str) -> str:
    """The code a demo staff member's authenticator app shows now (the demo TOTP secret, docs/accounts.md)."""
    from onewindow.accounts.models import User
    from onewindow.accounts.totp import current_code, device_for

    return current_code(device_for(User.objects.get(username=username)))[0]


def login(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign a demo staff member in to the workbench: password, then the TOTP code."""
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/staff/verify/" in url)
    page.fill("#id_token", totp_code(username))
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url and "/accounts/staff/" not in url)
