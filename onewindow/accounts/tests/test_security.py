"""Security basics on every page: CSP and other headers, no inline script, secure cookies, no personal data in URLs."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from onewindow.accounts.testing import staff_login
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff

from .conftest import citizen

pytestmark = pytest.mark.django_db


class ScriptAudit(HTMLParser):
    """Collects inline <script> blocks, on*= event attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems, self.forms = [], []
        self._inline = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self._inline = attrs.get("type") not in ("application/json", "application/ld+json")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "form":
            self.forms.append(attrs)

    def handle_data(self, data):
        if self._inline and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = False


def audit(html: str) -> ScriptAudit:
    parser = ScriptAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def guide():
    return published_item()


def pages(client, guide):
    yield "home", client.get("/")
    yield "guide", client.get(reverse("portal:guide_detail", args=[guide.item.implementation_code]))
    yield "guide search", client.get(reverse("portal:guide_search"), {"q": "食品"})
    yield "login", client.get(reverse("accounts:login"))
    yield "register", client.get(reverse("accounts:register"))
    yield "staff login", client.get(reverse("workbench:login"))
    yield "not found", client.get("/no-such-page/")


def test_main_pages_have_a_strict_csp_and_no_inline_script(client, guide):
    for name, response in pages(client, guide):
        assert response.status_code in (200, 404), name
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0], name
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        found = audit(response.content.decode())
        assert not found.problems, (name, found.problems)


def test_workbench_and_account_pages_have_no_inline_script(client, guide):
    staff_login(client, staff(Role.CATALOGUE_EDITOR, guide.item.department))
    for url in (reverse("workbench:home"), reverse("workbench:items"), reverse("workbench:quality_report")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        assert not audit(response.content.decode()).problems, url
    client.force_login(citizen())
    response = client.get(reverse("accounts:profile"))
    assert not audit(response.content.decode()).problems
    assert "no-store" in response["Cache-Control"]  # a page with personal data is not cached


def test_personal_data_is_sent_by_post_only(client):
    for url in (reverse("accounts:login"), reverse("accounts:register"), reverse("workbench:login")):
        forms = audit(client.get(url).content.decode()).forms
        for form in forms:
            if "lang-form" in (form.get("class") or ""):
                continue
            assert form.get("method", "get").lower() == "post", (url, form)


def test_redirects_of_the_sign_in_carry_no_personal_data(client, outbox):
    citizen("13800138000")
    response = client.post(reverse("accounts:login"), {"mobile": "13800138000", "password": "Yunxi-2026-hall"})
    assert "1380013" not in response["Location"]
    response = client.post(reverse("accounts:register"), {"kind": "person", "mobile": "13812345678"})
    assert "1381234" not in response["Location"]


def test_cookies_are_http_only_and_secure_from_the_environment():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    # SECURE_COOKIES=true (behind HTTPS) turns on the Secure flag of both cookies:
    import environ

    env = environ.Env()
    assert env.bool("SECURE_COOKIES", default=False) == settings.SESSION_COOKIE_SECURE == settings.CSRF_COOKIE_SECURE


def test_secure_cookie_flag_is_sent_when_configured(client, settings, outbox):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    citizen("13800138000")
    client.post(reverse("accounts:login"), {"mobile": "13800138000", "password": "Yunxi-2026-hall"})
    response = client.post(reverse("accounts:login_code"), {"code": outbox.last_code()})
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_forms_carry_csrf_tokens_and_posts_without_them_are_refused(guide):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    html = strict.get(reverse("accounts:login")).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken"', html)
    response = strict.post(reverse("accounts:login"), {"mobile": "13800138000", "password": "x"})
    assert response.status_code == 403


def test_language_picker_works_without_inline_script(client):
    html = client.get("/").content.decode()
    assert 'data-autosubmit' in html and "/static/ow/page.js" in html
    assert client.get("/static/ow/page.js").status_code == 200
