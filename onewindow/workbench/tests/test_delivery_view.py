"""The applicant's delivery choice (窗口领取 / 免费邮寄) on the workbench case page: the full address for staff who
mail results (acceptors and deciders of the case), partly hidden for everyone else who may read the case."""

import pytest
from django.urls import reverse

from onewindow.applications.models import DeliveryPreference
from onewindow.cases import services
from onewindow.cases.tests.factories import submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff
from onewindow.workbench.views.cases import mask_address

from .case_helpers import login

pytestmark = pytest.mark.django_db

ADDRESS = "湖南省长沙市云溪县人民路 18 号 3 栋 502 室"


@pytest.fixture
def case(dept):
    return submitted_case(version=published_item(department=dept))


@pytest.fixture
def mail(case):
    return DeliveryPreference.objects.create(case=case, method="mail", recipient="李明", phone="13812345678",
                                             address=ADDRESS)


def _choice(client, case) -> str:
    response = client.get(reverse("workbench:case", args=[case.number]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="delivery-choice"')
    return html[start:html.index("</dd>", start)]


def test_a_reviewer_who_mails_results_sees_the_full_address_and_phone(client, dept, case, mail):
    login(client, staff(Role.REVIEWER, dept, name="陈审批"))
    shown = _choice(client, case)
    assert "免费邮寄" in shown and ADDRESS in shown and "13812345678" in shown and "李明" in shown
    assert "部分隐藏" not in shown


def test_a_clerk_sees_the_full_address(client, dept, case, mail):
    login(client, staff(Role.CLERK, dept, name="张窗口"))
    assert ADDRESS in _choice(client, case)


def test_an_inspector_sees_the_address_partly_hidden(client, dept, case, mail):
    login(client, staff(Role.INSPECTOR, dept, name="周监察"))
    shown = _choice(client, case)
    assert ADDRESS not in shown and "502" not in shown
    assert "湖南省长沙市****" in shown and "138****5678" in shown and "13812345678" not in shown
    assert "部分隐藏" in shown


def test_window_pickup_shows_no_address(client, dept, case):
    DeliveryPreference.objects.create(case=case, method="window")
    login(client, staff(Role.REVIEWER, dept, name="陈审批"))
    shown = _choice(client, case)
    assert "窗口领取" in shown and "****" not in shown


def test_no_choice_no_line(client, dept, case):
    login(client, staff(Role.REVIEWER, dept, name="陈审批"))
    html = client.get(reverse("workbench:case", args=[case.number])).content.decode()
    assert 'id="delivery-choice"' not in html


def test_the_deliver_form_starts_from_the_applicants_choice(client, dept, case, mail):
    reviewer = staff(Role.REVIEWER, dept, name="陈审批")
    services.case_accept(actor=reviewer, case=case)
    services.case_decide(actor=reviewer, case=case, decision="approve")
    services.case_complete(actor=reviewer, case=case)
    login(client, reviewer)
    response = client.get(reverse("workbench:case", args=[case.number]))
    deliver = next(a for a in response.context["actions"] if a["name"] == "deliver")
    assert deliver["form"].initial["method"] == "mail" and deliver["form"].initial["address"] == ADDRESS


@pytest.mark.parametrize(("address", "shown"), [
    ("", ""), ("北京", "北****"), ("湖南省长沙市岳麓区麓山南路", "湖南省长沙市****"),
])
def test_mask_address(address, shown):
    assert mask_address(address) == shown
