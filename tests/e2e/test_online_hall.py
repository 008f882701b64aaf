"""The online hall in a phone browser (360 px): apply with uploads, a disguised executable, review, a double
click on submit, and the back button afterwards."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, valid_ric
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_apply_on_a_phone_with_uploads_and_one_case_only(phone, live_server, shot, tmp_path):
    version = published_item()
    user = UserFactory(username="citizen", name="李明", mobile="13800138000")
    _sign_in(phone, live_server, user)
    (tmp_path / "营业执照.pdf").write_bytes(EXE_BYTES)
    (tmp_path / "申请书.png").write_bytes(PNG_BYTES)
    (tmp_path / "申请书.pdf").write_bytes(PDF_BYTES)

    phone.goto(f"{live_server.url}/guide/{version.item.implementation_code}/")
    phone.get_by_role("link", name="在线办理").click()
    phone.wait_for_url(re.compile(r"/apply/draft/\d+/$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    slots = {phone.locator(".hl-slot-name").nth(i).inner_text(): phone.locator("input[type=file]").nth(i)
             for i in range(phone.locator("input[type=file]").count())}
    slots["营业执照"].set_input_files(str(tmp_path / "营业执照.pdf"))
    phone.get_by_text("的内容不是 PDF、JPG、PNG 或 OFD 文件").wait_for()
    slots["食品经营许可申请书"].set_input_files(str(tmp_path / "申请书.png"))
    phone.locator(".hl-slot.is-filled img").wait_for()  # the preview of the uploaded image
    phone.fill("#id_name", "李明")
    phone.fill("#id_id_number", valid_ric(5))
    phone.get_by_role("status").filter(has_text="已自动保存").wait_for()
    shot(phone, "hall-apply-phone")

    phone.get_by_role("button", name="下一步：核对信息").click()
    phone.wait_for_url(re.compile(r"/review/$"))
    assert "申请书.png" in phone.content()
    shot(phone, "hall-review-phone")
    phone.get_by_role("button", name="确认提交").dblclick()
    phone.wait_for_url(re.compile(r"/done/$"))
    phone.get_by_text("申请已提交").first.wait_for()
    shot(phone, "hall-done-phone")
    assert Case.objects.count() == 1

    phone.go_back()
    phone.get_by_text("不会重复提交").wait_for()
    assert Case.objects.count() == 1
