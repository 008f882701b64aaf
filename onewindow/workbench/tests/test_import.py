import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.catalogue.exchange import catalogue_export
from onewindow.catalogue.models import ServiceItem
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff

pytestmark = pytest.mark.django_db
URL = "/workbench/catalogue/import/"


@pytest.fixture
def exported():
    """An exchange workbook of one published item, then the item is renamed so import has work to do."""
    version = published_item()
    data = catalogue_export(file_format="xlsx")
    return version, data


def test_template_downloads_with_a_chinese_name(client):
    client.force_login(staff(Role.CATALOGUE_EDITOR, None))
    response = client.get(URL + "template.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_a_bad_file_lists_problems_and_imports_nothing(client):
    client.force_login(staff(Role.CATALOGUE_EDITOR, None))
    before = ServiceItem.objects.count()
    response = client.post(URL, {"file": SimpleUploadedFile("catalogue.xlsx", b"not a workbook"), "dry_run": ""})
    assert response.status_code == 400
    assert "未导入任何内容" in response.content.decode()
    assert ServiceItem.objects.count() == before


def test_dry_run_checks_and_real_run_imports_drafts_for_the_editors_department(client, exported):
    version, data = exported
    editor = staff(Role.CATALOGUE_EDITOR, version.item.department)
    client.force_login(editor)
    page = client.post(URL, {"file": SimpleUploadedFile("c.xlsx", data), "dry_run": "on"})
    assert page.status_code == 200
    assert "publish" not in page.context["form"].fields  # only superusers may publish directly
    response = client.post(URL, {"file": SimpleUploadedFile("c.xlsx", io.BytesIO(data).read())})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "alert-success" in response.content.decode()


def test_an_editor_cannot_import_items_of_another_department(client, exported):
    from onewindow.org.tests.factories import DepartmentFactory

    version, data = exported
    client.force_login(staff(Role.CATALOGUE_EDITOR, DepartmentFactory()))
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["事项基本信息"]
    header = [c.value for c in ws[1]]
    name_col = next(i for i, h in enumerate(header, start=1) if h and "事项名称" in str(h))
    ws.cell(row=2, column=name_col, value="食品经营许可（修订）")
    buf = io.BytesIO()
    wb.save(buf)
    response = client.post(URL, {"file": SimpleUploadedFile("c.xlsx", buf.getvalue())})
    assert response.status_code == 400
    assert "无权" in response.content.decode()
    version.refresh_from_db()
    assert version.item.versions.count() == 1
