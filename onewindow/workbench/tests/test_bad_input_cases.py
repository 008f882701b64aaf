"""Bad input at the counter and on the case page that the other tests leave out (issue 4's list): a disguised
executable scanned at the desk or taken in as a corrected material, and a clerk of another department
asking for a case's full ID number by URL. Each gets a clear Chinese message; nothing is filed or stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.tests.factories import EXE_BYTES, person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff

from .case_helpers import desk_data, login

pytestmark = pytest.mark.django_db

ALL = ("食品经营许可申请书", "营业执照", "食品安全管理制度")
NOT_A_FILE = "内容不是 PDF、JPG、PNG 或 OFD"


def exe(name="申请书.pdf"):
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, name="钱窗口")


def test_a_disguised_executable_scanned_at_the_desk_files_nothing(client, clerk, version):
    applicant = person(1, name="李明")
    login(client, clerk)
    data = desk_data(version, applicant, action="accept", received=ALL, scans=())
    spec = version.materials.get(name="食品经营许可申请书")
    data[f"scan_{spec.pk}"] = exe()
    response = client.post(reverse("workbench:desk_submit"), data)
    assert response.status_code == 400
    assert NOT_A_FILE in response.content.decode()
    assert not Case.objects.exists() and not CaseMaterial.objects.exists()


def test_a_disguised_executable_taken_in_as_a_correction_is_refused(client, clerk, version):
    case = submitted_case(version=version, skip=("营业执照",))
    spec = version.materials.get(name="食品经营许可申请书")
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": spec.pk, "reason": "缺签字"}])
    case.refresh_from_db()
    before = CaseMaterial.objects.filter(case=case).count()
    login(client, clerk)
    response = client.post(reverse("workbench:case_action", args=[case.number, "resubmit"]),
                           {"seen_status": case.status, f"file_{spec.pk}": exe()})
    assert response.status_code == 400
    assert NOT_A_FILE in response.content.decode()
    assert CaseMaterial.objects.filter(case=case).count() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED


def test_a_clerk_of_another_department_cannot_read_the_full_id_by_url(client, version, other_dept):
    case = submitted_case(version=version)
    login(client, staff(Role.CLERK, other_dept, name="赵外局"))
    response = client.post(reverse("workbench:case_personal_data", args=[case.number]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "不属于您所在部门的管理范围" in text and case.applicant.identifier not in text
    assert not AuditEvent.objects.filter(action__contains="personal").exists()


def test_a_case_overdue_since_this_morning_does_not_also_say_due_today(client, version):
    """Found by the inbox journey: the red badge 已超期 stood next to 今日到期 (0 working days left)."""
    import datetime as dt

    from django.utils import timezone

    reviewer = staff(Role.REVIEWER, version.item.department, name="陈审批")
    case = submitted_case(version=version)
    services.case_accept(actor=reviewer, case=case)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(due_at=now - dt.timedelta(minutes=1), warn_at=now - dt.timedelta(days=1))
    login(client, reviewer)
    html = client.get(reverse("workbench:cases"), {"tab": "review"}).content.decode()
    assert "已超期" in html and "今日已超期" in html and "今日到期" not in html
