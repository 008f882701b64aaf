from urllib.parse import quote

import pytest
from django.urls import reverse

from onewindow.cases import services as cases
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.models import AuditEvent
from onewindow.documents.api import CaseDocumentSerializer
from onewindow.documents.models import CaseDocument
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, staff

from .factories import applicant_with_account, county_department, new_case, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return county_department()


@pytest.fixture
def setting(dept, committed):
    people = team(dept)
    applicant, citizen = applicant_with_account()
    case = new_case(published_item(department=dept), applicant=applicant)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    return {"case": case, "citizen": citizen, "document": CaseDocument.objects.get(case=case), **people}


def _url(document):
    return reverse("documents:download", args=[document.pk])


def test_the_applicant_downloads_their_document_with_its_chinese_name(client, setting):
    document = setting["document"]
    client.force_login(setting["citizen"])
    response = client.get(_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == document.size
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"document-")
    assert f"filename*=UTF-8''{quote(document.filename, safe='')}" in disposition
    assert quote("受理通知书") in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert not AuditEvent.objects.filter(action="documents.download").exists()  # their own data


def test_staff_of_the_department_download_and_are_audited(client, setting):
    client.force_login(setting["reviewer"])
    response = client.get(_url(setting["document"]) + "?inline=1")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")
    event = AuditEvent.objects.get(action="documents.download")
    assert event.actor == setting["reviewer"] and event.object_id == str(setting["document"].pk)


def test_the_number_works_as_the_reference_too(client, setting):
    client.force_login(setting["clerk"])
    document = setting["document"]
    response = client.get(f"/documents/{quote(document.number)}/download")
    assert response.status_code == 200


def test_other_departments_other_citizens_and_unknown_documents_get_404(client, setting):
    document = setting["document"]
    other_dept_staff = staff(Role.REVIEWER, DepartmentFactory(), username="elsewhere")
    for user in (other_dept_staff, UserFactory(username="someone-else")):
        client.force_login(user)
        response = client.get(_url(document))
        assert response.status_code == 404
        assert "未找到该文书" in response.content.decode()
    client.force_login(setting["clerk"])
    assert client.get(reverse("documents:download", args=[999999])).status_code == 404
    assert client.get(reverse("documents:download", args=["9" * 30])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, setting):
    response = client.get(_url(setting["document"]))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_serializer_gives_the_download_url(setting, rf):
    data = CaseDocumentSerializer(setting["document"], context={"request": rf.get("/")}).data
    assert data["kind"] == "acceptance_notice" and data["kind_label"] == "受理通知书"
    assert data["download_url"] == f"http://testserver/documents/{setting['document'].pk}/download"
    assert data["number"] == setting["document"].number and len(data["sha256"]) == 64
