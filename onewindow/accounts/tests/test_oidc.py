"""Sign-in through the province's unified identity service (OIDC), against a local provider."""

import pytest
from django.urls import reverse

from onewindow.accounts.models import CitizenProfile
from onewindow.core.models import AuditEvent

from .conftest import citizen, valid_ric
from .oidc_provider import FakeProvider

pytestmark = pytest.mark.django_db

CLAIMS = {"sub": "gov-0001", "name": "刘洋", "id_number": None, "phone_number": "13600136000"}


@pytest.fixture
def provider(settings):
    with FakeProvider() as p:
        settings.OIDC_ISSUER = p.issuer
        settings.OIDC_DISCOVERY_URL = ""
        settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = p.client_id, p.client_secret
        yield p


def sign_in(client, provider, claims, next_url=None):
    response = client.get(reverse("accounts:oidc_login"), {"next": next_url} if next_url else {})
    assert response.status_code == 302
    code, state = provider.authorize(response["Location"], claims)
    return client.get(reverse("accounts:oidc_callback"), {"code": code, "state": state})


def claims(**extra):
    return {**CLAIMS, "id_number": valid_ric(21), **extra}


def test_sign_in_page_offers_the_province_only_when_configured(client, settings):
    assert "使用省统一身份认证登录" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:oidc_login")).status_code == 404
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://id.example.gov.cn", "onewindow"
    assert "使用省统一身份认证登录" in client.get(reverse("accounts:login")).content.decode()


def test_first_sign_in_creates_a_verified_account_from_the_claims(client, provider):
    response = sign_in(client, provider, claims(), next_url="/guide/")
    assert response.status_code == 302 and response["Location"] == "/guide/"
    profile = CitizenProfile.objects.get(oidc_subject="gov-0001")
    assert profile.name == "刘洋" and profile.id_number == valid_ric(21) and profile.mobile == "13600136000"
    assert profile.verified and profile.verified_via == "oidc" and profile.oidc_issuer == provider.issuer
    assert not profile.user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == profile.user_id
    assert AuditEvent.objects.filter(action="accounts.oidc_register").count() == 1
    assert provider.token_requests[0]["code_verifier"]  # PKCE was used


def test_second_sign_in_finds_the_same_account(client, provider):
    sign_in(client, provider, claims())
    client.post(reverse("accounts:logout"))
    sign_in(client, provider, claims(name="刘 洋"))
    assert CitizenProfile.objects.count() == 1
    assert CitizenProfile.objects.get().name == "刘 洋"
    assert int(client.session["_auth_user_id"]) == CitizenProfile.objects.get().user_id


def test_an_existing_account_with_the_same_id_number_is_linked(client, provider):
    user = citizen("13800138000", seq=21, name="刘洋")
    sign_in(client, provider, claims())
    profile = CitizenProfile.objects.get()
    assert profile.user == user and profile.oidc_subject == "gov-0001" and profile.verified
    assert profile.mobile == "13800138000"  # the account's own number stays
    assert AuditEvent.objects.filter(action="accounts.oidc_link", actor=user).exists()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_claims_missing_from_the_id_token_come_from_userinfo(client, provider):
    provider.id_token_keys = {"sub"}
    sign_in(client, provider, claims())
    profile = CitizenProfile.objects.get()
    assert profile.id_number == valid_ric(21) and profile.name == "刘洋"


def test_bad_state_bad_issuer_and_bad_id_number_are_refused(client, provider):
    response = client.get(reverse("accounts:oidc_login"))
    code, _state = provider.authorize(response["Location"], claims())
    response = client.get(reverse("accounts:oidc_callback"), {"code": code, "state": "forged"}, follow=True)
    assert "省统一身份认证登录未成功" in response.content.decode()

    provider.issuer_override = "https://other.example"
    response = sign_in(client, provider, claims())
    assert response["Location"] == reverse("accounts:login")
    provider.issuer_override = None

    response = sign_in(client, provider, claims(id_number="110105199001010000"))
    assert response["Location"] == reverse("accounts:login")
    assert not CitizenProfile.objects.exists() and "_auth_user_id" not in client.session


def test_provider_error_is_explained(client, provider):
    client.get(reverse("accounts:oidc_login"))
    response = client.get(reverse("accounts:oidc_callback"), {"error": "access_denied", "state": "x"}, follow=True)
    assert "省统一身份认证登录未成功" in response.content.decode()
