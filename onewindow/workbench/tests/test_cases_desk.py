"""受理台: applicant by ID number, items within the window's scope, checklist, and the four outcomes."""

import pytest
from django.urls import reverse

from onewindow.cases.constants import ApplicantKind, CaseStatus, Channel
from onewindow.cases.models import Applicant, Case, CorrectionNotice, WaiverPromise
from onewindow.cases.tests.factories import person, valid_ric
from onewindow.catalogue.constants import HandlingType, StepKind
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role, WindowKind
from onewindow.org.tests.factories import WindowFactory, make_uscc, staff
from onewindow.workbench.views.desk import applicant_ref

from .case_helpers import desk_data, login, window_clerk

pytestmark = pytest.mark.django_db

ALL = ("食品经营许可申请书", "营业执照", "食品安全管理制度")


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def applicant():
    return person(1, name="李明")


def post(client, data):
    return client.post(reverse("workbench:desk_submit"), data)


def lookup(client, identifier):
    return client.post(reverse("workbench:desk_lookup"), {"identifier": identifier}, follow=True)


def desk_page(client, applicant, **params):
    return client.get(reverse("workbench:desk"), {"a": applicant_ref(applicant), **params})


def test_the_id_reader_finds_the_applicant_and_shows_the_id_masked(client, clerk, version, applicant):
    login(client, clerk)
    response = lookup(client, applicant.identifier.lower() + " ")
    page = response.content.decode()
    assert response.status_code == 200
    assert "李明" in page and applicant.identifier_masked in page
    assert applicant.identifier not in page  # not in the page, nor in the URL it was redirected to
    assert applicant.identifier not in response.redirect_chain[-1][0]
    assert version.name in page  # the item list of step 2
    assert 'id="id-q"' in page and "autofocus" in page


def test_the_id_field_has_focus_on_an_empty_desk(client, clerk):
    login(client, clerk)
    page = client.get(reverse("workbench:desk")).content.decode()
    assert 'id="id-identifier"' in page
    assert page.index("autofocus") > page.index('id="id-identifier"') - 400
    assert "Alt+A" in page  # the shortcuts are listed


def test_an_invalid_number_is_explained(client, clerk):
    login(client, clerk)
    response = lookup(client, "123")
    assert response.status_code == 400 and "证件号码无效" in response.content.decode()


def test_an_unknown_person_is_registered_then_found(client, clerk, version):
    login(client, clerk)
    number = valid_ric(7)
    page = lookup(client, number).content.decode()
    assert "的申请人，请登记" in page
    response = client.post(reverse("workbench:desk_register"),
                           {"kind": "person", "identifier": number, "name": "王芳", "phone": "13900001111"})
    assert response.status_code == 302
    applicant = Applicant.objects.get(id_number=number)
    assert applicant.name == "王芳" and applicant.phone == "13900001111"
    page = client.get(response["Location"]).content.decode()
    assert "王芳" in page and version.name in page


def test_a_company_is_registered_with_its_legal_representative(client, clerk):
    login(client, clerk)
    code = make_uscc(4242)
    page = lookup(client, code).content.decode()
    assert "法定代表人" in page
    client.post(reverse("workbench:desk_register"), {"kind": "company", "identifier": code,
                                                     "name": "云溪县青禾农业发展有限公司", "legal_representative": "陈晓"})
    company = Applicant.objects.get(credit_code=code)
    assert company.kind == ApplicantKind.COMPANY and company.legal_representative == "陈晓"


def test_registering_without_a_name_keeps_the_form_with_the_message(client, clerk):
    login(client, clerk)
    response = client.post(reverse("workbench:desk_register"), {"kind": "person", "identifier": valid_ric(8),
                                                                "name": ""})
    assert response.status_code == 400
    assert "请填写申请人姓名或名称" in response.content.decode()
    assert not Applicant.objects.exists()


def test_item_search_is_limited_to_the_comprehensive_windows_items(client, dept, other_dept, applicant):
    here = published_item(department=dept, name="食品经营许可")
    published_item(department=dept, name="食品生产许可")  # same department, not at this window
    published_item(department=other_dept, name="食品运输备案")  # another department
    window = WindowFactory(kind=WindowKind.COMPREHENSIVE)
    window.items.set([here.item])
    clerk = window_clerk(dept, window)
    login(client, clerk)
    page = client.get(reverse("workbench:desk_items"), {"q": "食品", "a": applicant_ref(applicant)},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "食品经营许可" in page
    assert "食品生产许可" not in page and "食品运输备案" not in page


def test_a_department_window_searches_its_departments_items(client, dept, other_dept, applicant):
    published_item(department=dept, name="食品经营许可")
    published_item(department=other_dept, name="食品运输备案")
    clerk = window_clerk(dept, WindowFactory(kind=WindowKind.DEPARTMENT, department=dept))
    login(client, clerk)
    page = client.get(reverse("workbench:desk_items"), {"q": "食品"}).content.decode()
    assert "食品经营许可" in page and "食品运输备案" not in page


def test_an_item_outside_the_scope_cannot_be_filed(client, clerk, other_dept, applicant):
    foreign = published_item(department=other_dept)
    login(client, clerk)
    response = desk_page(client, applicant, item=foreign.pk)
    assert response.status_code == 404
    response = post(client, desk_data(foreign, applicant, action="accept", received=ALL))
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_the_checklist_lists_every_material_with_waiver_controls(client, clerk, version, applicant):
    login(client, clerk)
    page = desk_page(client, applicant, item=version.pk).content.decode()
    for name in ALL:
        assert name in page
    waivable = version.materials.get(name="食品安全管理制度")
    assert f'name="waive_{waivable.pk}"' in page and f'name="due_{waivable.pk}"' in page
    required = version.materials.get(name="营业执照")
    assert f'name="waive_{required.pk}"' not in page
    assert 'name="token"' in page


def test_accept_with_a_waiver(client, clerk, version, applicant, django_capture_on_commit_callbacks):
    login(client, clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, desk_data(version, applicant, action="accept", received=ALL[:2],
                                          waive=("食品安全管理制度",)))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workbench:desk_done", args=[case.number])
    assert case.status == CaseStatus.ACCEPTED and case.channel == Channel.WINDOW and case.due_at
    assert WaiverPromise.objects.get(case=case).spec.name == "食品安全管理制度"
    visit = case.events.get(action="visit")  # the window visit records the papers handed in
    assert visit.comment == "窗口递交申请；窗口收取纸质材料：食品经营许可申请书、营业执照" and case.visits == 1
    page = client.get(response["Location"]).content.decode()
    assert "受理通知书" in page and 'target="_blank"' in page and "?inline=1" in page


def test_accepting_with_a_required_material_missing_is_refused_and_files_nothing(client, clerk, version,
                                                                                 applicant):
    login(client, clerk)
    # 申请书 missing (营业执照 is 免提交: the department fetches the e-certificate, it never blocks acceptance).
    response = post(client, desk_data(version, applicant, action="accept", received=ALL[1:2],
                                      waive=("食品安全管理制度",)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "以下材料尚未提交，不能受理：食品经营许可申请书。" in page
    assert not Case.objects.exists()


def test_a_waiver_needs_a_due_date(client, clerk, version, applicant):
    login(client, clerk)
    data = desk_data(version, applicant, action="accept", received=ALL[:2], waive=("食品安全管理制度",))
    data[f"due_{version.materials.get(name='食品安全管理制度').pk}"] = ""
    response = post(client, data)
    assert response.status_code == 400 and "补交期限" in response.content.decode()
    assert not Case.objects.exists()


def test_the_correction_composer_builds_the_notice_from_unticked_materials(client, clerk, version, applicant,
                                                                           django_capture_on_commit_callbacks):
    login(client, clerk)
    data = desk_data(version, applicant, action="correct", received=("食品经营许可申请书",),
                     reasons={"营业执照": "复印件不清晰，请提供原件"})
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    notice = CorrectionNotice.objects.get(case=case)
    assert [(i["name"], i["reason"]) for i in notice.items] == [
        ("营业执照", "复印件不清晰，请提供原件"), ("食品安全管理制度", "未提交")]
    page = client.get(response["Location"]).content.decode()
    assert "补正材料通知书" in page


def test_the_composer_leaves_out_what_the_clerk_took_off_the_notice(client, clerk, version, applicant):
    login(client, clerk)
    data = desk_data(version, applicant, action="correct", received=("食品经营许可申请书",))
    del data[f"notice_{version.materials.get(name='食品安全管理制度').pk}"]
    post(client, data)
    assert [i["name"] for i in CorrectionNotice.objects.get().items] == ["营业执照"]


def test_refusal_needs_a_reason(client, clerk, version, applicant):
    login(client, clerk)
    response = post(client, desk_data(version, applicant, action="refuse", refuse_reason="  "))
    assert response.status_code == 400
    assert "不予受理必须书面说明理由" in response.content.decode()
    assert not Case.objects.exists()
    response = post(client, desk_data(version, applicant, action="refuse",
                                      refuse_reason="申请事项不属于本机关职权范围。"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.status == CaseStatus.REFUSED
    assert case.closed_reason == "申请事项不属于本机关职权范围。"


def test_an_instant_item_is_finished_in_one_screen(client, clerk, dept, applicant,
                                                   django_capture_on_commit_callbacks):
    version = published_item(department=dept, name="公章刻制备案", handling_type=HandlingType.INSTANT,
                             promised_days=0, steps=[{"kind": StepKind.ACCEPT, "days": 0},
                                                     {"kind": StepKind.DECIDE, "days": 0}])
    login(client, clerk)
    page = desk_page(client, applicant, item=version.pk).content.decode()
    assert "当场办结" in page and "Alt+I" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, desk_data(version, applicant, action="instant", received=ALL[:2],
                                          waive=("食品安全管理制度",), scans=ALL[:2]))
    # An instant case is decided on the spot: every material must be there (no 容缺), so this one waits.
    assert response.status_code == 400 and "不能办结" in response.content.decode()
    assert not Case.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, desk_data(version, applicant, action="instant", received=ALL, key="t2"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == CaseStatus.COMPLETED and case.accepted_at == case.completed_at
    assert "准予许可决定书" in client.get(response["Location"]).content.decode()


def test_the_desk_offers_no_instant_completion_for_a_promised_item(client, clerk, version, applicant):
    login(client, clerk)
    page = desk_page(client, applicant, item=version.pk).content.decode()
    assert 'value="instant"' not in page


def test_a_double_click_files_one_case(client, clerk, version, applicant):
    login(client, clerk)
    first = post(client, desk_data(version, applicant, action="accept", received=ALL, key="same-token"))
    second = post(client, desk_data(version, applicant, action="accept", received=ALL, key="same-token"))
    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    case = Case.objects.get()
    assert case.events.filter(action="accept").count() == 1


def test_a_forged_applicant_reference_files_nothing(client, clerk, version, applicant):
    login(client, clerk)
    data = desk_data(version, applicant, action="accept", received=ALL)
    data["a"] = "1"
    response = post(client, data)
    assert response.status_code == 302 and response["Location"] == reverse("workbench:desk")
    assert not Case.objects.exists()


def test_a_new_token_files_a_new_case(client, clerk, version, applicant):
    login(client, clerk)
    post(client, desk_data(version, applicant, action="accept", received=ALL, key="a"))
    post(client, desk_data(version, applicant, action="accept", received=ALL, key="b"))
    assert Case.objects.count() == 2


def test_the_case_records_the_clerks_window(client, dept, version, applicant):
    window = WindowFactory(kind=WindowKind.DEPARTMENT, department=dept)
    clerk = window_clerk(dept, window)
    login(client, clerk)
    post(client, desk_data(version, applicant, action="accept", received=ALL))
    case = Case.objects.get()
    assert case.window == window and case.hall == window.hall


def test_the_desk_is_for_window_staff(client, dept):
    login(client, staff(Role.REVIEWER, dept))
    response = client.get(reverse("workbench:desk"))
    assert response.status_code == 403
    assert "受理台仅供窗口人员使用" in response.content.decode()


def test_the_item_picker_costs_the_same_queries_for_few_and_many_items(client, dept, applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = staff(Role.CLERK, dept, name="钱窗口")
    login(client, clerk)
    published_item(department=dept, name="食品经营许可")

    def count(q):
        client.get(reverse("workbench:desk_items"), {"q": q, "a": applicant_ref(applicant)})  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("workbench:desk_items"), {"q": q, "a": applicant_ref(applicant)})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = [count(""), count("食品")]
    for n in range(6):
        published_item(department=dept, name=f"食品经营许可{n}")
    assert [count(""), count("食品")] == few


@pytest.mark.django_db(transaction=True)
def test_two_racing_clicks_with_the_same_token_file_one_case():
    import threading

    from django.db import connection
    from django.test import Client

    from onewindow.org.tests.factories import DepartmentFactory

    dept = DepartmentFactory(name="示范县市场监督管理局")
    version = published_item(department=dept)
    clerk = staff(Role.CLERK, dept, username="racer", name="钱窗口")
    applicant = person(1)
    clients = [Client(), Client()]
    for c in clients:
        login(c, clerk)
    data = [desk_data(version, applicant, action="accept", received=ALL, key="race") for _ in clients]
    barrier = threading.Barrier(2)
    results = []

    def click(client, body):
        barrier.wait()
        try:
            response = client.post(reverse("workbench:desk_submit"), body)
            results.append((response.status_code, response.get("Location")))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=pair) for pair in zip(clients, data, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _ in results] == [302, 302], results
    assert len({location for _, location in results}) == 1
    assert Case.objects.count() == 1
    assert Case.objects.get().events.filter(action="accept").count() == 1


def test_paper_materials_ticked_at_the_window_count_for_acceptance(client, clerk, version, applicant):
    login(client, clerk)
    response = post(client, desk_data(version, applicant, action="accept", received=ALL[:2], scans=ALL[:1],
                                      waive=("食品安全管理制度",)))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.ACCEPTED
    paper = case.materials.get(on_paper=True)
    assert paper.spec.name == "营业执照" and not paper.file
    assert case.materials.get(spec__name="食品经营许可申请书").file  # the scan
    text = client.get(reverse("workbench:case", args=[case.number])).content.decode()
    assert "纸质原件（窗口已收）" in text



def test_the_notice_does_not_ask_by_default_for_an_e_certificate_the_department_fetches(client, clerk, version,
                                                                                        applicant):
    """营业执照 is 免提交 (the department fetches the e-certificate): unticked in the one-time notice, unlike the
    application form."""
    login(client, clerk)
    page = desk_page(client, applicant, item=version.pk).content.decode()
    fetched = version.materials.get(name="营业执照")
    form = version.materials.get(name="食品经营许可申请书")
    assert f'name="notice_{fetched.pk}" value="1">' in page
    assert f'name="notice_{form.pk}" value="1" checked data-default>' in page
