"""Bad input in the online hall that the other tests leave out (issue 4's list): a correction sent twice (double
click, or back and send again), and a session that ends on the review page or in the correction form. Each
gets a clear Chinese message; nothing is lost and nothing is stored twice."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from onewindow.applications.models import ApplicationDraft
from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

from .hall_helpers import citizen, pdf, person_fields, slot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def version():
    return published_item(department=DepartmentFactory(name="云溪县市场监督管理局"))


@pytest.fixture
def user():
    return citizen()


@pytest.fixture
def case_in_correction(version, user):
    case = submitted_case(version=version, applicant=person(3, user=user), actor=user, idempotency_key="k1")
    clerk = staff(Role.CLERK, version.item.department, username="clerk")
    asked = version.materials.get(name="营业执照")
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": asked.pk, "reason": "不清晰"}])
    case.refresh_from_db()
    return case, asked


def _texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_correction_sent_twice_is_stored_once_and_the_second_click_is_explained(client, user, case_in_correction):
    case, asked = case_in_correction
    client.force_login(user)
    url = reverse("portal:my_case_correction", args=[case.number])
    before = CaseMaterial.objects.filter(case=case).count()
    first = client.post(url, {f"material-{asked.pk}": pdf("营业执照清晰版.pdf")}, follow=True)
    assert "补正材料已提交" in first.content.decode()
    again = client.post(url, {f"material-{asked.pk}": pdf("营业执照清晰版.pdf")}, follow=True)
    assert "补正材料已经提交，无需重复提交。" in again.content.decode()
    assert CaseMaterial.objects.filter(case=case).count() == before + 1  # one new file, not two
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_correction_form_sent_after_the_session_ended_keeps_the_notice_open(client, user, case_in_correction):
    case, asked = case_in_correction
    url = reverse("portal:my_case_correction", args=[case.number])
    late = client.post(url, {f"material-{asked.pk}": pdf()})  # the session ended while the page was open
    assert late.status_code == 302 and late["Location"].startswith("/accounts/login/")
    assert any("登录已超时" in t and "不会丢失" in t for t in _texts(late))
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    client.force_login(user)
    page = client.get(reverse("portal:my_case", args=[case.number])).content.decode()
    assert "补正材料通知" in page and f'name="material-{asked.pk}"' in page


def test_submit_after_the_session_ended_files_nothing_then_once_after_signing_in(client, user, version):
    client.force_login(user)
    start = client.get(reverse("portal:apply_start", args=[version.item.implementation_code]))
    draft = ApplicationDraft.objects.get()
    specs = {m.name: m for m in version.materials.all()}
    client.post(start["Location"], {**person_fields(), "action": "save", slot(specs["食品经营许可申请书"]): pdf()})
    review = reverse("portal:apply_review", args=[draft.pk])
    assert client.get(review).status_code == 200
    client.logout()  # 30 minutes on the review page

    late = client.post(review)
    assert late.status_code == 302 and "next=" in late["Location"] and "review" in late["Location"]
    assert any("登录已超时" in t for t in _texts(late))
    assert not Case.objects.exists()

    client.force_login(user)
    page = client.get(review).content.decode()
    assert "确认提交" in page and "申请书.pdf" in page  # the draft and its file survived
    assert client.post(review).status_code == 302
    assert client.post(review).status_code == 302  # a second click
    assert Case.objects.count() == 1
