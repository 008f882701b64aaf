"""A company account authorises its staff (person accounts) to apply on its behalf; every change audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.accounts import selectors, services
from onewindow.accounts.models import CompanyAuthorization
from onewindow.core.errors import ApplicationError, PermissionDenied
from onewindow.core.models import AuditEvent

from .conftest import citizen, company

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    return company()


@pytest.fixture
def clerk_person():
    return citizen("13700137000", seq=3, name="陈晓")


def grant(client, **data):
    body = {"mobile": "13700137000", "name": "陈晓", "scope": "apply",
            "valid_from": timezone.localdate().isoformat(), "valid_until": ""}
    body.update(data)
    return client.post(reverse("accounts:authorizations"), body)


def test_company_authorises_a_member_who_may_then_act_for_it(client, firm, clerk_person):
    client.force_login(firm)
    response = grant(client)
    assert response.status_code == 302
    authorization = CompanyAuthorization.objects.get()
    assert authorization.company == firm and authorization.member == clerk_person and authorization.is_active
    assert selectors.may_act_for(clerk_person, firm)
    assert [p.company_name for p in selectors.companies_for_member(clerk_person)] == ["云溪县青禾农业发展有限公司"]
    event = AuditEvent.objects.get(action="accounts.authorization_grant")
    assert event.actor == firm and event.new_values["member"] == "陈晓"
    assert "13700137000" not in str(event.new_values)
    page = client.get(reverse("accounts:authorizations")).content.decode()
    assert "陈晓" in page and "137****7000" in page and "13700137000" not in page
    client.force_login(clerk_person)
    assert "云溪县青禾农业发展有限公司" in client.get(reverse("accounts:profile")).content.decode()


def test_revoke_ends_it_once_and_is_audited(client, firm, clerk_person):
    client.force_login(firm)
    grant(client)
    authorization = CompanyAuthorization.objects.get()
    url = reverse("accounts:authorization_revoke", args=[authorization.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second click changes nothing
    authorization.refresh_from_db()
    assert authorization.revoked_at is not None and authorization.revoked_by == firm
    assert not selectors.may_act_for(clerk_person, firm)
    assert AuditEvent.objects.filter(action="accounts.authorization_revoke").count() == 1
    assert grant(client).status_code == 302  # may be authorised again later
    assert CompanyAuthorization.objects.count() == 2


def test_wrong_name_unknown_mobile_and_duplicates_are_refused(client, firm, clerk_person):
    client.force_login(firm)
    assert "姓名不一致" in grant(client, name="陈小").content.decode()
    assert "姓名不一致" in grant(client, mobile="13600000000").content.decode()
    grant(client)
    assert "已授权该经办人" in grant(client).content.decode()
    assert CompanyAuthorization.objects.count() == 1


def test_end_before_start_is_refused_on_the_form(client, firm, clerk_person):
    client.force_login(firm)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "截止日期不能早于生效日期" in grant(client, valid_until=yesterday).content.decode()
    assert not CompanyAuthorization.objects.exists()


def test_dates_bound_the_authorisation(firm, clerk_person):
    today = timezone.localdate()
    services.authorization_grant(actor=firm, mobile="13700137000", name="陈晓", valid_from=today,
                                 valid_until=today + dt.timedelta(days=30))
    assert selectors.may_act_for(clerk_person, firm)
    assert not selectors.may_act_for(clerk_person, firm, on=today + dt.timedelta(days=31))
    assert not selectors.may_act_for(clerk_person, firm, on=today - dt.timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.authorization_grant(actor=firm, mobile="13700137000", name="陈晓", valid_from=today,
                                     valid_until=today - dt.timedelta(days=1))


def test_only_company_accounts_may_authorise_and_only_their_own(client, firm, clerk_person):
    with pytest.raises(PermissionDenied):
        services.authorization_grant(actor=clerk_person, mobile="13900139000", name="王秀英")
    client.force_login(clerk_person)
    assert client.get(reverse("accounts:authorizations"))["Location"] == reverse("accounts:profile")
    other = company("13500135000", seq=11, name="赵六")
    authorization = services.authorization_grant(actor=firm, mobile="13700137000", name="陈晓")
    client.force_login(other)
    response = client.post(reverse("accounts:authorization_revoke", args=[authorization.pk]), follow=True)
    assert "未找到该授权" in response.content.decode()
    authorization.refresh_from_db()
    assert authorization.revoked_at is None


def test_applicant_data_for_the_cases_app(firm, clerk_person):
    assert selectors.applicant_data(firm.citizen_profile)["kind"] == "company"
    assert selectors.applicant_data(firm.citizen_profile)["legal_representative"] == "王秀英"
    data = selectors.applicant_data(clerk_person.citizen_profile)
    assert data["kind"] == "person" and data["name"] == "陈晓" and data["user"] == clerk_person
