"""API clients and tokens: hashed storage, bearer authentication, the OAuth2 client-credentials grant, admin."""

import base64
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from onewindow.accounts.testing import staff_login
from onewindow.apiauth.constants import ClientRole, TokenKind
from onewindow.apiauth.models import ApiClient, ApiToken
from onewindow.apiauth.services import (
    api_client_create,
    api_client_rotate_secret,
    api_client_sync_roles,
    api_token_create,
    api_token_revoke,
    hash_secret,
)
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.models import StaffRole
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/oauth/token"
PROBE = "/api/v1/cases"  # any endpoint that needs authentication


@pytest.fixture(autouse=True)
def _fresh_throttles():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def registered(dept):
    return api_client_create(actor=None, name="省政务服务平台", departments=[dept], role=ClientRole.ACCEPT)


def token_request(body: dict, **headers):
    """POST to the token endpoint as RFC 6749 says: application/x-www-form-urlencoded."""
    return Client().post(TOKEN_URL, urlencode(body), content_type="application/x-www-form-urlencoded", **headers)


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def basic(client_id: str, secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


# Clients ------------------------------------------------------------------------------------------


def test_a_client_gets_a_service_account_with_one_role_per_department(registered, dept):
    client, secret = registered
    assert secret.startswith("ows_") and client.client_id.startswith("owc_")
    assert client.secret_hash == hash_secret(secret) and secret not in client.secret_hash
    roles = list(StaffRole.objects.filter(user=client.service_user).values_list("role", "department"))
    assert roles == [(Role.CLERK, dept.pk)]
    assert not client.service_user.has_usable_password()
    other = DepartmentFactory()
    client.departments.add(other)
    client.role = ClientRole.DECIDE
    client.save()
    api_client_sync_roles(client)
    roles = set(StaffRole.objects.filter(user=client.service_user).values_list("role", "department"))
    assert roles == {(Role.REVIEWER, dept.pk), (Role.REVIEWER, other.pk)}
    assert AuditEvent.objects.filter(action="apiauth.client_create", object_id=str(client.pk)).exists()


def test_tokens_are_stored_only_as_hashes(registered):
    client, _secret = registered
    token, raw = api_token_create(actor=None, client=client, name="同步程序")
    assert raw.startswith("owt_") and len(raw) > 40
    assert token.key_hash == hash_secret(raw) and token.prefix == raw[:12]
    stored = ApiToken.objects.filter(pk=token.pk).values_list("key_hash", "prefix", "name").get()
    assert raw not in "".join(stored)
    assert token.kind == TokenKind.CLIENT and token.user == client.service_user


# Bearer authentication ---------------------------------------------------------------------------


def test_a_personal_token_authenticates_a_staff_member(dept):
    clerk = staff(Role.CLERK, dept)
    _token, raw = api_token_create(actor=None, user=clerk, name="窗口程序")
    response = Client().get(PROBE, **bearer(raw))
    assert response.status_code == 200, response.content
    ApiToken.objects.filter(user=clerk).update(last_used_at=None)
    Client().get(PROBE, **bearer(raw))
    assert ApiToken.objects.get(user=clerk).last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer owt_nope", "Bearer", "Bearer a b", "bearer \u00e9\u00e9"])
def test_bad_tokens_are_401_with_a_chinese_message(header):
    response = Client().get(PROBE, HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "authentication_failed" and "令牌" in body["message"]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_expired_and_deactivated_tokens_stop_working(registered, dept):
    client, _secret = registered
    token, raw = api_token_create(actor=None, client=client)
    assert Client().get(PROBE, **bearer(raw)).status_code == 200
    client.is_active = False
    client.save()
    assert Client().get(PROBE, **bearer(raw)).status_code == 401
    client.is_active = True
    client.save()
    api_token_revoke(actor=None, token=token)
    assert Client().get(PROBE, **bearer(raw)).status_code == 401

    clerk = staff(Role.CLERK, dept)
    _t, raw = api_token_create(actor=None, user=clerk, expires_at=timezone.now() + dt.timedelta(days=1))
    with freeze_time(timezone.now() + dt.timedelta(days=2)):
        assert Client().get(PROBE, **bearer(raw)).status_code == 401
    clerk.is_active = False
    clerk.save()
    assert Client().get(PROBE, **bearer(raw)).status_code == 401


# OAuth2 client credentials (RFC 6749 §4.4) -------------------------------------------------------


def test_client_credentials_with_basic_auth_give_a_short_lived_bearer_token(registered):
    client, secret = registered
    response = token_request({"grant_type": "client_credentials"}, **basic(client.client_id, secret))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "cases"
    assert body["access_token"].startswith("owa_")
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"
    token = ApiToken.objects.get(kind=TokenKind.OAUTH)
    assert token.key_hash == hash_secret(body["access_token"]) and token.client == client
    assert Client().get(PROBE, **bearer(body["access_token"])).status_code == 200
    with freeze_time(timezone.now() + dt.timedelta(seconds=3601)):
        assert Client().get(PROBE, **bearer(body["access_token"])).status_code == 401
        # A new token sweeps the client's expired ones.
        token_request({"grant_type": "client_credentials", "client_id": client.client_id,
                                  "client_secret": secret})
        assert ApiToken.objects.filter(kind=TokenKind.OAUTH).count() == 1


def test_client_credentials_in_the_body_and_a_supported_scope(registered):
    client, secret = registered
    response = token_request({"grant_type": "client_credentials", "client_id": client.client_id,
                                         "client_secret": secret, "scope": "cases"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("body", "status", "error"), [
    ({}, 400, "invalid_request"),
    ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ({"grant_type": "client_credentials", "scope": "admin"}, 400, "invalid_scope"),
    ({"grant_type": "client_credentials"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "owc_unknown", "client_secret": "x"}, 401, "invalid_client"),
])
def test_token_endpoint_errors_follow_rfc_6749(registered, body, status, error):
    response = token_request(body)
    assert response.status_code == status, response.content
    assert set(response.json()) == {"error", "error_description"}
    assert response.json()["error"] == error
    assert response["Cache-Control"] == "no-store"
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Basic")


def test_wrong_secret_rotated_secret_and_inactive_client_are_invalid_client(registered):
    client, secret = registered
    wrong = token_request({"grant_type": "client_credentials"}, **basic(client.client_id, secret + "x"))
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    new_secret = api_client_rotate_secret(actor=None, client=client)
    assert token_request({"grant_type": "client_credentials"},
                         **basic(client.client_id, secret)).status_code == 401
    assert token_request({"grant_type": "client_credentials"},
                         **basic(client.client_id, new_secret)).status_code == 200
    client.is_active = False
    client.save()
    assert token_request({"grant_type": "client_credentials"},
                         **basic(client.client_id, new_secret)).status_code == 401


def test_credentials_in_two_places_and_malformed_basic_are_refused(registered):
    client, secret = registered
    response = token_request({"grant_type": "client_credentials", "client_id": client.client_id},
                             **basic(client.client_id, secret))
    assert response.json()["error"] == "invalid_request"
    response = token_request({"grant_type": "client_credentials"}, HTTP_AUTHORIZATION="Basic !!!")
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_the_token_endpoint_is_rate_limited(registered, settings):
    settings.APIAUTH_TOKEN_RATE = "2/min"
    for _ in range(2):
        token_request({"grant_type": "client_credentials"})
    response = token_request({"grant_type": "client_credentials"})
    assert response.status_code == 429 and response.json()["error"] == "invalid_request"
    assert int(response["Retry-After"]) > 0


def test_get_on_the_token_endpoint_is_405():
    assert Client().get(TOKEN_URL).status_code == 405


# Admin and commands ------------------------------------------------------------------------------


def test_admin_creates_a_client_and_shows_the_secret_once(dept):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    browser = Client()
    staff_login(browser, admin_user)  # /admin needs password + TOTP
    response = browser.post("/admin/apiauth/apiclient/add/", {
        "name": "县自建审批系统", "role": ClientRole.DECIDE, "departments": [dept.pk], "is_active": "on",
        "contact": "张工", "note": "",
    }, follow=True)
    assert response.status_code == 200
    client = ApiClient.objects.get(name="县自建审批系统")
    shown = [str(m) for m in response.context["messages"]]
    assert any("client_secret" in m and client.client_id in m for m in shown)
    secret = next(m for m in shown if "client_secret" in m).split("client_secret：")[1].split("（")[0]
    assert hash_secret(secret) == client.secret_hash
    assert set(StaffRole.objects.filter(user=client.service_user).values_list("role", "department")) == {
        (Role.REVIEWER, dept.pk)}


def test_admin_issues_a_personal_token_once(dept):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    clerk = staff(Role.CLERK, dept)
    browser = Client()
    staff_login(browser, admin_user)  # /admin needs password + TOTP
    response = browser.post("/admin/apiauth/apitoken/add/", {"user": clerk.pk, "name": "叫号系统"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=clerk)
    raw = next(str(m) for m in response.context["messages"] if "个人令牌" in str(m)).split("：")[1].split("（")[0]
    assert hash_secret(raw) == token.key_hash and token.kind == TokenKind.PERSONAL


def test_commands_issue_tokens_and_register_clients(dept, capsys):
    clerk = staff(Role.CLERK, dept, username="clerk1")
    call_command("api_token_create", "clerk1", "--days", "30")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(user=clerk).key_hash == hash_secret(raw)
    call_command("api_client_create", "市级平台", "--department", str(dept.pk), "--role", "inspector")
    out = capsys.readouterr().out
    client = ApiClient.objects.get(name="市级平台")
    assert f"client_id={client.client_id}" in out and client.role == ClientRole.READ
