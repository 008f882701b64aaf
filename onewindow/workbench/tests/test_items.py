import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.tests.factories import draft_item, item_type, published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db
URL = "/workbench/catalogue/items/"


def _codes(response):
    return [row["item"].implementation_code for row in response.context["rows"]]


def test_list_shows_the_items_of_the_users_departments_only(client, dept, other_dept, editor):
    mine = published_item(department=dept, name="食品经营许可")
    theirs = published_item(department=other_dept, name="道路运输经营许可")
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.item.implementation_code in page
    assert theirs.item.implementation_code not in page
    assert "道路运输经营许可" not in page


def test_list_columns_show_the_published_and_the_open_version(client, dept, editor):
    version = published_item(department=dept)
    draft = services.version_start_draft(actor=editor, item=version.item)
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert "第 1 版" in page and "第 2 版" in page
    assert "草稿" in page
    assert reverse("workbench:version", args=[draft.pk]) in page


def test_user_without_catalogue_role_gets_403_with_a_chinese_message(client, clerk):
    client.force_login(clerk)
    response = client.get(URL)
    assert response.status_code == 403
    assert "您没有事项管理权限" in response.content.decode()


def test_filter_by_status_text_and_department(client, dept, editor):
    second = DepartmentFactory(name="示范县卫生健康局")
    from onewindow.org.models import StaffRole

    StaffRole.objects.create(user=editor, role=Role.CATALOGUE_EDITOR, department=second)
    published = published_item(department=dept, name="食品经营许可")
    draft = draft_item(department=dept, name="小餐饮登记", actor=editor)
    in_review = draft_item(department=second, name="公共场所卫生许可", actor=editor)
    services.version_submit(actor=editor, version=in_review)
    client.force_login(editor)
    assert _codes(client.get(URL, {"status": "draft"})) == [draft.item.implementation_code]
    assert _codes(client.get(URL, {"status": "in_review"})) == [in_review.item.implementation_code]
    assert _codes(client.get(URL, {"status": "published"})) == [published.item.implementation_code]
    assert _codes(client.get(URL, {"q": "餐饮"})) == [draft.item.implementation_code]
    assert _codes(client.get(URL, {"q": published.item.implementation_code})) == [
        published.item.implementation_code]
    assert _codes(client.get(URL, {"department": second.pk})) == [in_review.item.implementation_code]


def test_rejected_filter_finds_drafts_sent_back(client, dept, editor, head):
    version = draft_item(department=dept, actor=editor)
    draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    services.version_reject(actor=head, version=version, comment="请补充材料")
    client.force_login(editor)
    response = client.get(URL, {"status": "rejected"})
    assert _codes(response) == [version.item.implementation_code]
    assert "已退回" in response.content.decode()


def test_sorting_by_name_both_ways(client, dept, editor):
    for name in ["乙事项", "甲事项", "丙事项"]:
        published_item(department=dept, name=name)
    client.force_login(editor)
    up = [r["item"].name for r in client.get(URL, {"sort": "name"}).context["rows"]]
    down = [r["item"].name for r in client.get(URL, {"sort": "-name"}).context["rows"]]
    assert up == sorted(up) and down == list(reversed(up))


def test_htmx_request_gets_only_the_table(client, dept, editor):
    published_item(department=dept)
    client.force_login(editor)
    response = client.get(URL, {"q": "食品"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and "<table" in page
    assert 'aria-sort="ascending"' in page


def test_pagination(client, dept, editor):
    for _ in range(27):
        published_item(department=dept)
    client.force_login(editor)
    first = client.get(URL)
    assert len(first.context["rows"]) == 25
    assert "1 / 2" in first.content.decode()
    second = client.get(URL, {"page": 2, "status": "published"})
    assert len(second.context["rows"]) == 2
    html = second.content.decode()
    # the shared pager keeps the filters and swaps the table through htmx
    assert 'hx-get="?page=1&amp;status=published"' in html and "下一页" not in html and "上一页" in html


def test_list_runs_a_fixed_number_of_queries(client, dept, editor, django_assert_num_queries):
    client.force_login(editor)
    for _ in range(2):
        published_item(department=dept)
    client.get(URL)  # warm up: session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(8):
        version = published_item(department=dept)
        services.version_start_draft(actor=editor, item=version.item)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)
    # session, user, TOTP device (verified session), roles, departments of the filter, count, page of items,
    # their versions, the unread 工作提醒 count in the header
    with django_assert_num_queries(9):
        client.get(URL, {"status": "draft", "q": "食品", "sort": "-published"})


# --------------------------------------------------------------------------------------------------
# New item

NEW = "/workbench/catalogue/items/new/"


def test_new_item_creates_the_first_draft_and_opens_the_editor(client, dept, editor):
    client.force_login(editor)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {
        "department": dept.pk, "implementation_code": "11430422MB0001230001", "basic_code": "0000123000",
        "name": "小餐饮经营许可", "item_type": item_type("01").pk, "handling_type": "promised",
    })
    item = ServiceItem.objects.get(implementation_code="11430422MB0001230001")
    version = item.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:version", args=[version.pk])
    assert version.status == VersionStatus.DRAFT and version.created_by == editor
    assert item.name == "小餐饮经营许可"


def test_new_item_with_a_taken_code_shows_the_error_next_to_the_field(client, dept, editor):
    existing = published_item(department=dept)
    client.force_login(editor)
    response = client.post(NEW, {
        "department": dept.pk, "implementation_code": existing.item.implementation_code, "basic_code": "0000123000",
        "name": "重复", "item_type": item_type("01").pk, "handling_type": "promised",
    })
    assert response.status_code == 200
    assert "该实施编码已存在。" in response.context["form"].errors["implementation_code"]
    assert "已存在" in response.content.decode()


def test_new_item_cannot_pick_a_department_outside_the_scope(client, dept, other_dept, editor):
    client.force_login(editor)
    response = client.post(NEW, {
        "department": other_dept.pk, "implementation_code": "11430422MB0009990001", "basic_code": "0000999000",
        "name": "越权", "item_type": item_type("01").pk, "handling_type": "promised",
    })
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not ItemVersion.objects.exists()


def test_bureau_wide_admin_sees_every_department(client, dept, other_dept):
    admin = staff(Role.ADMIN, None)
    published_item(department=dept)
    published_item(department=other_dept)
    client.force_login(admin)
    assert len(client.get(URL).context["rows"]) == 2
