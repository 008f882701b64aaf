"""/admin needs the TOTP second factor like /workbench: a password-only session is sent to the staff verify
step, the admin's own password-only sign-in page is never served, and the admin site itself refuses a
session without a verified device."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from onewindow.accounts.models import User
from onewindow.accounts.totp import current_code

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser(username="root", password=PASSWORD, name="管理员")


@pytest.fixture
def device(superuser):
    return TOTPDevice.objects.create(user=superuser, name="手机", confirmed=True)


def test_anonymous_admin_visit_goes_to_the_staff_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:login") + "?next=%2Fadmin%2F"


def test_password_only_session_opening_admin_is_sent_to_the_second_step(client, superuser, device):
    client.force_login(superuser)  # the password was right, no TOTP code yet
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{superuser.pk}/change/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:staff_verify")), path
    response = client.post(reverse("accounts:staff_verify") + "?next=/admin/accounts/user/",
                           {"token": current_code(device)[0]})
    assert response.status_code == 302 and response["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_two_step_sign_in_leads_back_to_the_admin(client, superuser, device):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("workbench:login") + "?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"username": "root", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:staff_verify")
    assert client.get("/admin/").status_code == 302  # still only the password
    response = client.post(reverse("accounts:staff_verify"), {"token": current_code(device)[0]})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_never_signs_in_with_a_password_alone(client, superuser):
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("workbench:login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_site_itself_refuses_an_unverified_session(superuser, device):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    superuser.is_verified = lambda: True
    assert admin.site.has_permission(request)
    request.user.is_staff = False
    request.user.is_superuser = False
    assert not admin.site.has_permission(request)
