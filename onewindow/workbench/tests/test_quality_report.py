import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from onewindow.catalogue import services
from onewindow.catalogue.quality_report import quality_report
from onewindow.catalogue.tests.factories import draft_item, published_item
from onewindow.org.models import Department

pytestmark = pytest.mark.django_db
URL = "/workbench/catalogue/quality/"


@pytest.fixture
def catalogue(dept, other_dept, editor):
    clean = published_item(department=dept, name="干净的事项")
    # A published version that is fine, with an open draft that is not: the draft is what gets checked.
    revised = published_item(department=dept, name="修订中的事项")
    draft = services.version_start_draft(actor=editor, item=revised.item)
    services.version_update(actor=editor, version=draft, data={"consult_phone": "", "complaint_phone": ""})
    broken = draft_item(department=dept, actor=editor, name="问题事项", legal_basis="",
                        materials=[{"name": "营业执照", "source": "government"}])
    elsewhere = draft_item(department=other_dept, name="别的部门", legal_basis="")
    return {"clean": clean, "revised": revised, "draft": draft, "broken": broken, "elsewhere": elsewhere}


def test_report_checks_the_open_draft_else_the_published_version(dept, catalogue):
    report = quality_report(departments=Department.objects.filter(pk=dept.pk))
    assert report.checked == 3
    by_item = {e.version.item_id: e for e in report.entries}
    assert catalogue["clean"].item_id not in by_item
    assert by_item[catalogue["revised"].item_id].version.pk == catalogue["draft"].pk
    assert {v.code for v in by_item[catalogue["broken"].item_id].violations} == {
        "legal_basis_required", "material_certificate_type"}
    counts = {(r.code, r.severity): (r.items, r.violations) for r in report.by_rule}
    assert counts[("consult_phone_required", "error")] == (1, 1)
    assert counts[("material_certificate_type", "warning")] == (1, 1)
    assert report.items_with_errors == 2 and report.items_with_warnings == 1
    (dc,) = report.by_department
    assert (dc.items, dc.items_with_errors, dc.errors, dc.warnings) == (3, 2, 3, 1)


def test_report_page_lists_counts_and_items_of_the_users_scope(client, editor, catalogue):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "缺少咨询电话" in page and "缺少设定依据" in page
    assert "问题事项" in page and "修订中的事项" in page
    assert "别的部门" not in page
    assert "干净的事项" not in page.split('id="h-entries"')[1]


def test_filters_by_rule_severity_and_department(client, dept, editor, catalogue):
    client.force_login(editor)
    only_phone = client.get(URL, {"rule": "consult_phone_required"}).context["report"]
    assert [e.version.pk for e in only_phone.entries] == [catalogue["draft"].pk]
    assert {r.code for r in only_phone.by_rule} >= {"legal_basis_required"}  # counts stay complete
    warnings = client.get(URL, {"severity": "warning"}).context["report"]
    assert [(e.version.pk, [v.code for v in e.violations]) for e in warnings.entries] == [
        (catalogue["broken"].pk, ["material_certificate_type"])]
    assert client.get(URL, {"department": dept.pk}).context["report"].department == dept
    # A department outside the scope is ignored, not shown.
    other = client.get(URL, {"department": catalogue["elsewhere"].item.department_id}).context["report"]
    assert other.department is None and "别的部门" not in client.get(URL).content.decode()


def test_report_runs_a_fixed_number_of_queries(client, dept, editor, django_assert_num_queries):
    client.force_login(editor)
    draft_item(department=dept, actor=editor, legal_basis="")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(6):
        version = published_item(department=dept)
        if i % 2:
            services.version_start_draft(actor=editor, item=version.item)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)
    # session, user, TOTP device (verified session), roles, departments of the filter, versions, materials,
    # steps, fees, the unread 工作提醒 count in the header
    with django_assert_num_queries(10):
        client.get(URL, {"severity": "error"})


def test_report_downloads_as_xlsx(client, editor, catalogue):
    client.force_login(editor)
    response = client.get(URL + "report.xlsx", {"severity": "error"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["问题清单", "按规则统计", "按部门统计"]
    rows = list(book["问题清单"].iter_rows(min_row=4, values_only=True))
    assert {r[6] for r in rows} == {"缺少咨询电话", "缺少监督投诉电话", "缺少设定依据"}
    assert all(r[5] == "错误" for r in rows)
    assert "别的部门" not in {r[1] for r in rows}


def test_report_refuses_users_without_a_catalogue_role(client, clerk):
    client.force_login(clerk)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "report.xlsx").status_code == 403
