"""Registering a person or company account: mobile + one-time code + password + validated real-name data."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from onewindow.accounts.constants import AccountKind
from onewindow.accounts.models import CitizenProfile, OneTimeCode, User
from onewindow.core.models import AuditEvent

from .conftest import PASSWORD, citizen, valid_ric, valid_uscc

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"


def start(client, kind=AccountKind.PERSON, mobile=MOBILE):
    return client.post(reverse("accounts:register"), {"kind": kind, "mobile": mobile})


def details(outbox, **overrides):
    data = {"code": outbox.last_code(), "password1": PASSWORD, "password2": PASSWORD, "name": "张三",
            "id_number": valid_ric(7)}
    data.update(overrides)
    return data


def post_details(client, data, token=None):
    if token is None:
        page = client.get(reverse("accounts:register_details")).content.decode()
        token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    return client.post(reverse("accounts:register_details"), {**data, "form_token": token})


def test_person_registers_and_is_signed_in_with_the_id_masked(client, outbox):
    response = start(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register_details")
    assert outbox[-1][0] == MOBILE and outbox[-1][2] == "register"
    page = client.get(reverse("accounts:register_details")).content.decode()
    assert "138****5678" in page and MOBILE not in page

    response = post_details(client, details(outbox, id_number=" 110105 19900101 007" + valid_ric(7)[-1].lower()))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    profile = CitizenProfile.objects.get(mobile=MOBILE)
    assert profile.kind == AccountKind.PERSON and profile.id_number == valid_ric(7) and not profile.verified
    assert profile.user.check_password(PASSWORD) and not profile.user.is_staff
    assert MOBILE not in profile.user.username  # no personal data in the username (logs, lockouts)

    page = client.get(reverse("accounts:profile")).content.decode()
    assert "张三" in page and "**************" + valid_ric(7)[-4:] in page
    assert valid_ric(7) not in page
    event = AuditEvent.objects.get(action="accounts.register")
    assert valid_ric(7) not in str(event.new_values) and MOBILE not in str(event.new_values)


def test_company_registers_with_credit_code_and_legal_representative(client, outbox):
    start(client, kind=AccountKind.COMPANY)
    page = client.get(reverse("accounts:register_details")).content.decode()
    assert "统一社会信用代码" in page and "法定代表人" in page
    response = post_details(client, details(outbox, company_name="云溪县青禾农业发展有限公司",
                                            credit_code=valid_uscc(3).lower(), name="王秀英"))
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(mobile=MOBILE)
    assert profile.kind == AccountKind.COMPANY and profile.credit_code == valid_uscc(3)
    assert profile.display_name == "云溪县青禾农业发展有限公司" and profile.name == "王秀英"


@pytest.mark.parametrize("field,value,message", [
    ("id_number", "110105199001010000", "居民身份证号码无效"),
    ("id_number", "11010519900101001", "居民身份证号码无效"),
    ("password2", "another-password-1", "两次输入的密码不一致"),
    ("password1", "12345678", "这个密码"),  # Django's validators, in Chinese
])
def test_invalid_person_data_is_refused_in_chinese_and_the_code_is_kept(client, outbox, field, value, message):
    start(client)
    data = details(outbox, **{field: value})
    if field == "password1":
        data["password2"] = value
    response = post_details(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CitizenProfile.objects.exists()
    assert OneTimeCode.objects.get().used_at is None  # the person fixes the field and sends the same code


def test_invalid_credit_code_is_refused(client, outbox):
    start(client, kind=AccountKind.COMPANY)
    response = post_details(client, details(outbox, company_name="某公司", credit_code="91110105MA00001X0Z",
                                            name="王秀英"))
    assert "统一社会信用代码无效" in response.content.decode()
    assert not CitizenProfile.objects.exists()


def test_invalid_mobile_and_registered_mobile_are_refused_before_any_code_is_sent(client, outbox):
    response = start(client, mobile="12345")
    assert "手机号码无效" in response.content.decode()
    citizen(MOBILE)
    response = start(client)
    assert "该手机号码已注册，请直接登录" in response.content.decode()
    assert outbox == []


def test_the_same_id_number_cannot_register_twice(client, outbox):
    citizen("13700000000", seq=7)
    start(client)
    response = post_details(client, details(outbox))
    assert "该居民身份证号码已注册个人账户" in response.content.decode()
    assert CitizenProfile.objects.count() == 1


def test_wrong_code_keeps_everything_typed_and_counts_the_attempt(client, outbox):
    start(client)
    right = outbox.last_code()
    wrong = "000000" if right != "000000" else "111111"
    response = post_details(client, details(outbox, code=wrong))
    page = response.content.decode()
    assert "验证码错误，还可以再试 4 次" in page
    assert 'value="张三"' in page  # nothing typed is lost (passwords excepted, as browsers expect)
    assert OneTimeCode.objects.get().attempts == 1
    assert post_details(client, details(outbox)).status_code == 302


def test_double_submit_creates_one_account_and_signs_in(client, outbox):
    start(client)
    page = client.get(reverse("accounts:register_details")).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = details(outbox)
    first = post_details(client, data, token=token)
    second = post_details(client, data, token=token)  # the second click arrives after the first finished
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("accounts:profile")
    assert User.objects.filter(citizen_profile__mobile=MOBILE).count() == 1
    assert AuditEvent.objects.filter(action="accounts.register").count() == 1
    assert "注册已完成" in client.get(reverse("accounts:profile")).content.decode()


def test_double_submit_without_the_session_still_signs_in(client, outbox):
    """The first request's sign-in replaced the session; the second one brings only the form."""
    start(client)
    page = client.get(reverse("accounts:register_details")).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = details(outbox)
    assert post_details(client, data, token=token).status_code == 302
    client.cookies.clear()
    again = client.post(reverse("accounts:register_details"), {**data, "form_token": token})
    assert again.status_code == 302 and again["Location"] == reverse("accounts:profile")
    assert User.objects.filter(citizen_profile__mobile=MOBILE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_submits_create_one_account(client, outbox):
    """Two clicks in flight at once (no JavaScript): one account; both answers lead to the signed-in profile."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    from django.test import Client

    start(client)
    page = client.get(reverse("accounts:register_details")).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = {**details(outbox), "form_token": token}
    cookie = client.cookies["sessionid"].value
    results = []

    def submit():
        c = Client()
        c.cookies["sessionid"] = cookie
        results.append(c.post(reverse("accounts:register_details"), data))
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert User.objects.filter(citizen_profile__mobile=MOBILE).count() == 1
    assert sorted(r.status_code for r in results) == [302, 302]
    assert {r["Location"] for r in results} == {reverse("accounts:profile")}


def test_details_without_a_started_registration_go_back_to_step_one(client):
    response = client.get(reverse("accounts:register_details"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register")


def test_a_racing_click_finds_the_account_in_the_database_when_the_cache_note_is_missing(client, outbox):
    """The loser of a double click gets 'code used'; with no cache note yet (a busy server) it still signs in to
    the account this session just registered, and nothing is created twice."""
    from django.core.cache import cache
    from django.test import Client

    start(client)
    page = client.get(reverse("accounts:register_details")).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = details(outbox)
    state = dict(client.session["ow_register"])  # what the second click's request still carries
    assert post_details(client, data, token=token).status_code == 302
    cache.clear()  # the winner's note is not there
    loser = Client()
    session = loser.session
    session["ow_register"] = state
    session.save()
    loser.cookies["sessionid"] = session.session_key
    again = loser.post(reverse("accounts:register_details"), {**data, "form_token": token})
    assert again.status_code == 302 and again["Location"] == reverse("accounts:profile")
    assert User.objects.filter(citizen_profile__mobile=MOBILE).count() == 1


def test_another_sessions_form_token_does_not_sign_in(client, outbox):
    from django.test import Client

    start(client)
    assert post_details(client, details(outbox)).status_code == 302
    stranger = Client()
    start(stranger, mobile=MOBILE)  # the mobile is taken now: the stranger never gets a registration form
    response = stranger.post(reverse("accounts:register_details"), {**details(outbox), "form_token": "forged"})
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in stranger.session
