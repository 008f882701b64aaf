"""The case page: scope (404 outside it), the action panel per state and role, actions through the services,
conflicts when someone acted first, the audited full ID number and the material viewer."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from onewindow.cases import services
from onewindow.cases.constants import Action, CaseStatus, ExtensionStatus
from onewindow.cases.models import CaseEvent
from onewindow.cases.tests.factories import submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff

from .case_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, name="陈审批")


@pytest.fixture
def case(version):
    return submitted_case(version=version)


def page(client, case):
    return client.get(reverse("workbench:case", args=[case.number]))


def act(client, case, action, **data):
    data.setdefault("seen_status", case.status)
    return client.post(reverse("workbench:case_action", args=[case.number, action]), data)


def actions(response) -> list[str]:
    return [a["name"] for a in response.context["actions"]]


def test_a_clerk_opening_another_departments_case_by_url_gets_a_clear_404(client, other_dept, case):
    login(client, staff(Role.CLERK, other_dept, name="赵外局"))
    response = page(client, case)
    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到该办件，或该办件不属于您所在部门的管理范围。" in text
    assert case.applicant.name not in text
    assert act(client, case, "accept").status_code == 404
    assert client.get(reverse("workbench:case", args=["x" * 80])).status_code == 404


def test_the_page_shows_applicant_masked_materials_events_and_documents(client, clerk, case):
    login(client, clerk)
    response = page(client, case)
    text = response.content.decode()
    assert response.status_code == 200
    assert case.applicant.identifier_masked in text and case.applicant.identifier not in text
    assert "食品经营许可申请书" in text and "营业执照" in text
    assert "提交申请" in text  # the timeline
    assert "查看完整证件号" in text


@pytest.mark.parametrize(("role", "expected"), [
    (Role.CLERK, ["accept", "correct", "refuse"]),
    (Role.REVIEWER, ["accept", "correct", "refuse", "terminate"]),
    (Role.INSPECTOR, []),
])
def test_panel_of_a_submitted_case(client, dept, case, role, expected):
    login(client, staff(role, dept))
    assert actions(page(client, case)) == expected


@pytest.mark.parametrize(("role", "expected"), [
    (Role.CLERK, ["correct"]),
    (Role.REVIEWER, ["decide", "correct", "suspend", "extend", "terminate"]),
    (Role.DEPARTMENT_HEAD, ["decide", "correct", "suspend", "extend", "terminate"]),
])
def test_panel_of_an_accepted_case(client, dept, reviewer, case, role, expected):
    services.case_accept(actor=reviewer, case=case)
    login(client, staff(role, dept))
    response = page(client, case)
    assert actions(response) == expected
    if "decide" in expected:
        assert "Alt+D" in response.content.decode()


def test_panel_after_decision_completion_and_delivery(client, clerk, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    services.case_decide(actor=reviewer, case=case, decision="approve")
    login(client, clerk)
    assert actions(page(client, case)) == ["complete"]
    services.case_complete(actor=reviewer, case=case)
    assert actions(page(client, case)) == ["deliver"]
    services.case_deliver(actor=reviewer, case=case, method="window")
    assert actions(page(client, case)) == []
    assert "当前状态下您没有可办理的操作" in page(client, case).content.decode()


def test_the_head_approves_an_extension_requested_by_someone_else(client, dept, reviewer, case):
    head = staff(Role.DEPARTMENT_HEAD, dept, name="王局长")
    with freeze_time("2025-11-03 10:00:00+08:00"):
        case = services.case_accept(actor=reviewer, case=case)
        login(client, reviewer)
        response = act(client, case, "extend", days="5", reason="需要现场核查")
        assert response.status_code == 302
        assert "extend" not in actions(page(client, case))  # once per case
        assert "extension_decide" not in actions(page(client, case))  # not by its requester
        login(client, head)
        assert "extension_decide" in actions(page(client, case))
        before = case.__class__.objects.get(pk=case.pk).due_at
        response = act(client, case, "extension_decide", approve="1", comment="同意")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extensions.get().status == ExtensionStatus.APPROVED and case.due_at > before


def test_decide_then_a_second_click_finds_the_case_already_handled(client, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    case.refresh_from_db()
    login(client, reviewer)
    response = act(client, case, "decide", decision="approve")
    assert response.status_code == 302 and response["Location"] == reverse("workbench:case", args=[case.number])
    again = act(client, case, "decide", decision="approve")  # the page still says "accepted"
    assert again.status_code == 409
    text = again.content.decode()
    assert "该办件已被他人处理" in text and "已决定" in text
    assert CaseEvent.objects.filter(case=case, action=Action.DECIDE).count() == 1


def test_a_denial_needs_reasons_and_basis_shown_next_to_the_form(client, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    case.refresh_from_db()
    login(client, reviewer)
    response = act(client, case, "decide", decision="deny", reason="")
    assert response.status_code == 400
    assert "不予许可必须说明理由" in response.content.decode()
    assert response.context["actions"][0]["open"]  # the form stays open with the input
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_a_clerk_cannot_decide_even_by_posting(client, clerk, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    case.refresh_from_db()
    login(client, clerk)
    response = act(client, case, "decide", decision="approve")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_accept_with_a_waiver_on_the_case_page(client, clerk, version):
    case = submitted_case(version=version, skip=("食品安全管理制度",))
    login(client, clerk)
    spec = version.materials.get(name="食品安全管理制度")
    response = page(client, case)
    assert f'name="waive_{spec.pk}"' in response.content.decode()
    response = act(client, case, "accept", **{f"waive_{spec.pk}": "on", f"due_{spec.pk}": "2099-01-01"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.waivers.get().spec == spec
    assert "supply" in actions(page(client, case))


def test_correction_on_the_case_page_lists_what_was_ticked(client, clerk, version):
    case = submitted_case(version=version, skip=("营业执照",))
    login(client, clerk)
    spec = version.materials.get(name="营业执照")
    response = act(client, case, "correct", **{f"item_{spec.pk}": "on", f"reason_{spec.pk}": "未提交原件"})
    assert response.status_code == 302
    case.refresh_from_db()
    notice = case.correction_notices.get()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    assert notice.items == [{"spec_id": spec.pk, "name": "营业执照", "reason": "未提交原件"}]


def test_mail_delivery_needs_a_tracking_number(client, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    services.case_decide(actor=reviewer, case=case, decision="approve")
    services.case_complete(actor=reviewer, case=case)
    case.refresh_from_db()
    login(client, reviewer)
    response = act(client, case, "deliver", method="mail", address="云溪县人民路 1 号")
    assert response.status_code == 400 and "快递单号" in response.content.decode()
    response = act(client, case, "deliver", method="mail", address="云溪县人民路 1 号", tracking_number="SF123")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.tracking_number == "SF123"


def test_special_procedure_and_resume(client, reviewer, case):
    services.case_accept(actor=reviewer, case=case)
    case.refresh_from_db()
    login(client, reviewer)
    assert act(client, case, "suspend", kind="expert_review", reason="组织专家评审").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    assert actions(page(client, case)) == ["resume", "terminate"]
    assert act(client, case, "resume").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_the_full_id_number_is_shown_once_and_audited(client, clerk, case):
    login(client, clerk)
    url = reverse("workbench:case_personal_data", args=[case.number])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert case.applicant.identifier in response.content.decode()
    assert CaseEvent.objects.filter(case=case, action=Action.VIEW_PERSONAL_DATA, public=False).count() == 1
    assert AuditEvent.objects.filter(action="cases.view_personal_data").count() == 1
    assert case.applicant.identifier not in page(client, case).content.decode()  # a reload masks it again


def test_staff_without_the_identity_role_may_not_see_the_full_id(client, dept, case):
    login(client, staff(Role.INSPECTOR, dept))
    assert "查看完整证件号" not in page(client, case).content.decode()
    response = client.post(reverse("workbench:case_personal_data", args=[case.number]))
    assert response.status_code == 403
    assert not CaseEvent.objects.filter(action=Action.VIEW_PERSONAL_DATA).exists()


def test_material_preview_is_scoped_and_audited(client, clerk, other_dept, case):
    material = case.materials.first()
    login(client, clerk)
    response = client.get(reverse("workbench:case_material", args=[case.number, material.pk]), {"inline": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert response["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in response[
        "Content-Security-Policy"]  # the case page's viewer frame may show it, no other site
    assert AuditEvent.objects.filter(action="cases.download_material").count() == 1
    login(client, staff(Role.CLERK, other_dept))
    response = client.get(reverse("workbench:case_material", args=[case.number, material.pk]))
    assert response.status_code == 404


def test_a_clerk_takes_in_the_corrected_materials_at_the_window(client, clerk, version):
    from onewindow.cases.tests.factories import pdf

    case = submitted_case(version=version, skip=("营业执照",))
    spec = version.materials.get(name="营业执照")
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": spec.pk}])
    case.refresh_from_db()
    login(client, clerk)
    assert actions(page(client, case)) == ["resubmit", "refuse"]
    response = act(client, case, "resubmit")  # nothing attached: the service names what is missing
    assert response.status_code == 400 and "营业执照" in response.content.decode()
    response = client.post(reverse("workbench:case_action", args=[case.number, "resubmit"]),
                           {"seen_status": case.status, f"file_{spec.pk}": pdf("营业执照.pdf")})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.correction_notices.get().resolved_at


def test_corrected_materials_handed_in_on_paper(client, clerk, version):
    case = submitted_case(version=version, skip=("营业执照",))
    spec = version.materials.get(name="营业执照")
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": spec.pk}])
    case.refresh_from_db()
    login(client, clerk)
    response = act(client, case, "resubmit", **{f"paper_{spec.pk}": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.materials.get(spec=spec, on_paper=True)


def _page_queries(client, case) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page(client, case)  # warm the calendar snapshot
    with CaptureQueriesContext(connection) as ctx:
        assert page(client, case).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_costs_the_same_queries_whatever_the_number_of_materials(client, dept, clerk, version):
    from onewindow.cases.tests.factories import person

    small = submitted_case(version=version)
    materials = [{"name": f"材料{n}", "necessity": "required"} for n in range(8)]
    big = submitted_case(version=published_item(department=dept, name="食品生产许可", materials=materials),
                         applicant=person(2))
    services.case_record_visit(actor=clerk, case=big, purpose="窗口咨询")
    login(client, clerk)
    assert _page_queries(client, small) == _page_queries(client, big)


def test_the_screens_render_in_english(client, clerk, case, settings):
    login(client, clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page(client, case).content.decode()
    assert "Handling history" in text and "暂无文书" not in text
    assert client.get(reverse("workbench:cases")).status_code == 200
    assert "ID number (swipe the ID card" in client.get(reverse("workbench:desk")).content.decode()
