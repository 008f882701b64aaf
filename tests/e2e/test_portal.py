"""Citizen journeys on the portal: find an item on a phone, read its guide, download a published list."""

import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_citizen_finds_food_licence_by_typing_and_reads_the_guide_on_a_phone(demo, live_server, phone, shot):
    phone.goto(live_server.url + "/")
    shot(phone, "portal-home-phone")
    assert _no_horizontal_scroll(phone)

    phone.fill("#home-q", "食品")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/guide/?q=*")
    result = phone.get_by_role("link", name="食品经营许可", exact=True).first
    result.wait_for()
    shot(phone, "portal-search-phone")

    # A restaurant owner does not know the legal name: 餐馆 finds it too.
    phone.goto(live_server.url + "/guide/?q=餐馆")
    phone.get_by_role("link", name="食品经营许可", exact=True).first.click()
    phone.wait_for_url("**/guide/*/")
    body = phone.locator("main").inner_text()
    for must_see in ("申请材料", "办理流程", "承诺办结时限", "法定办结时限", "咨询电话", "容缺"):
        assert must_see in body, must_see
    assert _no_horizontal_scroll(phone)
    shot(phone, "portal-guide-phone")


def test_pinyin_initials_find_items(demo, live_server, page):
    page.goto(live_server.url + "/guide/?q=spjy")
    assert page.get_by_role("link", name="食品经营许可", exact=True).count() >= 1


def test_filters_update_results_without_reloading(demo, live_server, page, shot):
    page.goto(live_server.url + "/guide/")
    page.wait_for_load_state("networkidle")
    page.locator("label:has(input[name=audience][value=company])").click()
    page.wait_for_url("**audience=company**")  # htmx swapped the results and pushed the URL
    page.select_option("#f-department", label=page.locator("#f-department option").nth(1).inner_text())
    page.wait_for_url("**department=**")
    page.wait_for_load_state("networkidle")
    shot(page, "portal-search-filtered")
    assert page.locator("#results li").count() >= 1
    # The filtered URL is shareable: opening it fresh gives the same results.
    first = page.locator("#results li h3").first.inner_text()
    page.goto(page.url)
    assert page.locator("#results li h3").first.inner_text() == first


def test_download_licensing_list_as_excel(demo, live_server, page, shot):
    page.goto(live_server.url + "/lists/")
    page.get_by_role("link", name="行政许可事项清单").first.click()
    page.wait_for_url("**/lists/licensing/")
    shot(page, "portal-list-licensing")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = download.path().read_bytes()
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[3]]
    assert "事项名称" in header and "设定依据" in header
    names = [row[header.index("事项名称")] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert "食品经营许可" in names
