"""Staff journeys in the catalogue workbench: quality violations at once, edit, submit, four-eyes publish."""

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _open_item(page, live_server, name: str):
    page.goto(f"{live_server.url}/workbench/catalogue/items/?q={name}")
    page.get_by_role("link", name=name).first.click()


def test_editor_sees_every_violation_of_a_bad_draft_at_once(demo, live_server, page, shot):
    login(page, live_server, "editor")
    _open_item(page, live_server, "电子商务经营者登记（待完善）")
    page.wait_for_url("**/workbench/catalogue/**")
    if "/versions/" not in page.url:  # the item page links to its open draft
        page.get_by_role("link", name="编辑草稿").first.click()
    page.get_by_role("button", name="保存并提交审核").click()
    body = page.locator("main").inner_text()
    for problem in ("咨询电话", "审批结果名称"):
        assert problem in body, problem
    assert "处不符合规范" in body or "不符合" in body
    shot(page, "workbench-quality-violations")


def test_revision_is_edited_submitted_and_published_by_another_person(demo, live_server, browser, shot):
    from tests.e2e.conftest import DESKTOP

    editor_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = editor_ctx.new_page()
    login(page, live_server, "editor")
    _open_item(page, live_server, "食品经营许可")
    page.get_by_role("button", name="新建修订版本").click()
    page.wait_for_url("**/versions/*/")
    page.fill("#id_keywords", "餐饮 餐馆 饭店 小吃店 奶茶店 咖啡店")
    page.fill("#id_change_summary", "增加咖啡店等搜索关键词")
    page.keyboard.press("Control+s")
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.locator("main").inner_text()
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state("networkidle")
    assert "待审核" in page.locator("main").inner_text()
    shot(page, "workbench-submitted")
    editor_ctx.close()

    head_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = head_ctx.new_page()
    login(page, live_server, "head")
    page.goto(f"{live_server.url}/workbench/catalogue/review/")
    page.locator("tr", has_text="食品经营许可").get_by_role("link", name="审核").click()
    page.wait_for_url("**/review/")
    assert "咖啡店" in page.locator("main").inner_text()  # the diff shows the change
    shot(page, "workbench-review")
    page.get_by_role("button", name="审核通过并发布").click()
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.locator("main").inner_text()
    head_ctx.close()

    # The public sees the new version at once: 咖啡店 now finds the guide.
    public = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/guide/?q=咖啡店")
    assert public.get_by_role("link", name="食品经营许可", exact=True).count() >= 1


def test_the_person_who_submitted_cannot_approve(demo, live_server, page):
    from onewindow.accounts.models import User
    from onewindow.catalogue import services
    from onewindow.catalogue.models import ServiceItem

    head = User.objects.get(username="head")
    item = ServiceItem.objects.get(name="食品经营许可")
    version = services.version_start_draft(actor=head, item=item)
    services.version_submit(actor=head, version=version)
    login(page, live_server, "head")
    page.goto(f"{live_server.url}/workbench/catalogue/versions/{version.pk}/review/")
    assert page.get_by_role("button", name="审核通过并发布").is_disabled()
    assert "双人复核" in page.locator("main").inner_text() or "本人" in page.locator("main").inner_text()


def test_a_department_user_cannot_open_another_departments_item(demo, live_server, page):
    from onewindow.catalogue.models import ServiceItem

    other = ServiceItem.objects.exclude(department__name__contains="市场监督").first()
    login(page, live_server, "editor")
    response = page.goto(f"{live_server.url}/workbench/catalogue/items/{other.pk}/")
    assert response.status == 404
    assert "不存在" in page.locator("body").inner_text() or "管理范围" in page.locator("body").inner_text()
