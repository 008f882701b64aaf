"""Whole journeys of issue 4 in a browser, on the demo county:

- a citizen on a phone registers, finds 食品经营许可, applies online with real PDF/JPEG files, is asked by the
  reviewer (in the workbench) to correct one material, re-uploads only that one, and downloads the decision;
- a clerk at the 受理台 accepts a window application with one material 容缺 and prints the acceptance notice,
  using the keyboard;
- a reviewer decides from the inbox, sorted by due instant, with yellow/red badges.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "食品经营许可"


@pytest.fixture
def sms(monkeypatch):
    """Codes "sent" by SMS while the live server runs in this process (as in test_accounts.py)."""
    sent = []
    monkeypatch.setattr("onewindow.accounts.sms.send_one_time_code",
                        lambda phone, code, *, purpose: sent.append(code))
    return sent


def _pdf(path, text: str = "OneWindow") -> str:
    """A real one-page PDF (Pillow's PDF writer), like a scanned page."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 320), "white")
    ImageDraw.Draw(image).text((20, 20), text, fill="black")
    image.save(path, "PDF", resolution=72)
    return str(path)


def _jpeg(path, colour: str = "#c8d8e8") -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return str(path)


def _version():
    from onewindow.catalogue.selectors import published_versions

    return published_versions().select_related("item").get(item__name=ITEM)


def _text(page) -> str:
    return page.locator("main").inner_text()


def _open_case_from_inbox(page, live_server, tab: str, number: str) -> None:
    page.goto(f"{live_server.url}/workbench/cases/?tab={tab}")
    page.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/workbench/cases/{number}/")


def test_citizen_applies_on_a_phone_corrects_once_and_downloads_the_decision(
        demo, live_server, phone, page, sms, shot, tmp_path):
    from onewindow.cases.models import Case, CaseMaterial
    from onewindow.catalogue.constants import Necessity
    from onewindow.portal.hall import expected_completion
    from onewindow.portal.templatetags.portal_hall import month_day

    # --- registers with an SMS code ----------------------------------------------------------------------
    phone.goto(f"{live_server.url}/accounts/register/")
    phone.fill("#id_mobile", "13512345678")
    phone.get_by_role("button", name="获取短信验证码").click()
    phone.wait_for_url("**/register/details/")
    phone.fill("#id_code", sms[-1])
    phone.fill("#id_name", "周敏")
    phone.fill("#id_id_number", "430103199208180043")
    phone.fill("#id_password1", "Yunxi-2026-tea")
    phone.fill("#id_password2", "Yunxi-2026-tea")
    phone.get_by_role("button", name="注册", exact=True).click()
    phone.wait_for_url("**/accounts/profile/")
    assert "注册成功" in _text(phone)

    # --- finds the item by search and opens the online form -------------------------------------------------
    phone.goto(live_server.url + "/")
    phone.fill("#home-q", "餐馆")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/guide/?q=*")
    phone.get_by_role("link", name=ITEM, exact=True).first.click()
    phone.wait_for_url("**/guide/*/")
    shot(phone, "journey-1-guide-phone")
    phone.get_by_role("link", name="在线办理").first.click()
    phone.wait_for_url(re.compile(r"/apply/draft/\d+/$"))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # --- uploads a real file to each slot (the form as a JPEG photo, the rest as PDFs) ------------------------
    version = _version()
    # Every material the department needs from the applicant: 必要 and 容缺 ones (免提交 e-certificates are
    # fetched by the department; 情形必要 ones do not apply to this shop).
    required = [m for m in version.materials.all()
                if m.necessity in (Necessity.REQUIRED, Necessity.WAIVABLE) and not m.is_reusable]
    assert len(required) >= 2
    for n, spec in enumerate(required):
        path = (_jpeg(tmp_path / f"m{spec.pk}.jpg") if n == 0
                else _pdf(tmp_path / f"m{spec.pk}.pdf", f"material {spec.pk}"))
        phone.set_input_files(f"#material-{spec.pk}-input", path)
        phone.locator(f"#material-{spec.pk}.is-filled").wait_for()
    shot(phone, "journey-2-apply-phone")
    phone.get_by_role("button", name="下一步：核对信息").click()
    phone.wait_for_url(re.compile(r"/review/$"))
    shot(phone, "journey-3-review-phone")
    phone.get_by_role("button", name="确认提交").click()
    phone.wait_for_url(re.compile(r"/done/$"))
    done = _text(phone)
    assert "申请已提交" in done
    expected = expected_completion(version)
    assert f"预计 {month_day(expected)}前办结" in done, done
    shot(phone, "journey-4-submitted-phone")
    case = Case.objects.get(applicant__user__mobile="13512345678")
    assert case.number in done

    # --- the reviewer asks, in the workbench, for one material to be corrected -----------------------------
    to_fix = next(m for m in required if m.name.startswith("与食品经营相适应的主要设备设施布局"))
    login(page, live_server, "reviewer")
    _open_case_from_inbox(page, live_server, "submitted", case.number)
    page.locator("#action-correct > summary").click()
    for box in page.locator("#action-correct input[type=checkbox][name^=item_]").all():
        box.uncheck()
    page.check(f"#action-correct input[name=item_{to_fix.pk}]")
    page.fill(f"#action-correct input[name=reason_{to_fix.pk}]", "布局图不清晰，请上传清晰的扫描件")
    shot(page, "journey-5-correction-composer")
    page.get_by_role("button", name="确认一次性告知补正").click()
    page.wait_for_load_state()
    assert "已一次性告知补正" in page.locator("body").inner_text()
    case.refresh_from_db()
    assert case.status == "correction_requested"

    # --- the citizen sees the notice in 我的办件 and re-uploads only that material -------------------------
    phone.goto(f"{live_server.url}/my/cases/")
    assert "补正" in _text(phone)  # the list shows the status
    phone.locator(f"a[href$='/my/cases/{case.number}/']").first.click()
    phone.wait_for_url(f"**/my/cases/{case.number}/")
    body = _text(phone)
    assert "补正材料通知" in body and "布局图不清晰" in body
    assert phone.locator("#correction input[type=file]").count() == 1  # only what was asked
    shot(phone, "journey-6-correction-notice-phone")
    before = {m.pk for m in CaseMaterial.objects.filter(case=case)}
    phone.set_input_files(f"#corr-{to_fix.pk}", _pdf(tmp_path / "clear.pdf", "clear scan"))
    phone.get_by_role("button", name="提交补正材料").click()
    phone.get_by_text("补正材料已提交").first.wait_for()
    new = CaseMaterial.objects.filter(case=case).exclude(pk__in=before)
    assert [m.spec_id for m in new] == [to_fix.pk]
    assert CaseMaterial.objects.filter(case=case, superseded=True).count() == 1
    case.refresh_from_db()
    assert case.status == "submitted"

    # --- the reviewer accepts, then decides from 待审查 -------------------------------------------------------
    _open_case_from_inbox(page, live_server, "submitted", case.number)
    page.get_by_role("button", name="确认受理").click()
    page.wait_for_load_state()
    assert "已受理" in page.locator("body").inner_text(), page.locator("main").inner_text()[:1500]
    page.goto(f"{live_server.url}/workbench/cases/")
    page.get_by_role("link", name=re.compile("待审查")).click()
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/workbench/cases/{case.number}/")
    page.check("#action-decide input[name=decision][value=approve]")
    page.fill("#action-decide textarea[name=reason]", "经审查，申请材料齐全，符合法定条件。")
    shot(page, "journey-7-decide")
    page.get_by_role("button", name="确认作出决定").click()
    page.get_by_text("已作出决定").first.wait_for()
    case.refresh_from_db()
    assert case.status == "decided" and case.decision == "approve"

    # --- the citizen downloads the decision (a PDF) -----------------------------------------------------------
    phone.goto(f"{live_server.url}/my/cases/{case.number}/")
    shot(phone, "journey-8-decided-phone")
    with phone.expect_download() as info:
        phone.get_by_role("link", name="准予许可决定书").click()
    data = info.value.path().read_bytes()
    assert data[:4] == b"%PDF"


def test_clerk_accepts_at_the_desk_with_one_waived_material_and_prints_the_notice(
        demo, live_server, page, shot):
    from onewindow.cases.models import Case, WaiverPromise
    from onewindow.cases.tests.factories import valid_ric
    from onewindow.catalogue.constants import Necessity
    from onewindow.documents.tests.factories import pdf_text

    version = _version()
    specs = list(version.materials.all())
    waived = next(s for s in specs if s.necessity == Necessity.WAIVABLE)
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/workbench/desk/")
    # 1. The ID card reader types the number and Enter; a new applicant is registered.
    page.locator("#id-identifier").focus()
    page.keyboard.type(valid_ric(41))
    page.keyboard.press("Enter")
    page.locator("#id_name").wait_for()
    page.keyboard.type("赵小川")
    page.keyboard.press("Tab")
    page.keyboard.type("13712340000")
    page.keyboard.press("Enter")
    # 2. The item, by pinyin initials: type, Enter picks the first match.
    page.locator("#id-q").wait_for()
    page.locator("#id-q").focus()
    page.keyboard.type("spjyxk")
    page.keyboard.press("Enter")
    page.locator("#desk-form").wait_for()
    assert ITEM in page.locator("#h-materials").inner_text() or ITEM in _text(page)
    # 3. Checklist: every material received (space on each checkbox) but one, which is 容缺.
    for spec in specs:
        if spec.necessity != Necessity.CONDITIONAL and spec != waived:
            page.locator(f"#recv-{spec.pk}").focus()
            page.keyboard.press("Space")
    page.locator(f"input[name=waive_{waived.pk}]").focus()
    page.keyboard.press("Space")
    shot(page, "journey-desk-checklist")
    page.keyboard.press("Alt+A")
    page.locator("a[data-shortcut=P]").wait_for()  # the outcome screen with the notice to print
    shot(page, "journey-desk-done")
    case = Case.objects.get(applicant__name="赵小川")
    assert case.status == "accepted"
    assert list(WaiverPromise.objects.filter(case=case).values_list("spec_id", flat=True)) == [waived.pk]

    # 4. Print: the notice opens (the print link has focus: Enter), a PDF that names the waived material.
    link = page.locator("a[data-shortcut=P]")
    assert "受理通知书" in link.inner_text()
    assert link.evaluate("el => el === document.activeElement")
    with page.context.expect_page() as popup:
        page.keyboard.press("Enter")
    notice = popup.value
    assert "/documents/" in notice.url
    response = page.request.get(live_server.url + link.get_attribute("href"))  # what the new tab shows
    assert response.ok and response.body()[:4] == b"%PDF"
    text = pdf_text(response.body())
    if text is not None:
        assert waived.name[:12] in text.replace("\n", ""), text


def test_reviewer_inbox_is_sorted_by_due_instant_with_yellow_and_red_badges(demo, live_server, page, shot):
    from onewindow.accounts.models import User
    from onewindow.cases import services
    from onewindow.cases.models import Case
    from onewindow.cases.tests.factories import person, submitted_case

    version = _version()
    reviewer = User.objects.get(username="reviewer")
    numbers = []
    for n, name in enumerate(["甲红牌", "乙黄牌", "丙正常"]):
        case = submitted_case(version=version, applicant=person(60 + n, name=name), actor=reviewer,
                              idempotency_key=f"journey-inbox-{n}")
        services.case_accept(actor=reviewer, case=case)
        numbers.append(case.number)
    now = timezone.now()
    Case.objects.filter(number=numbers[0]).update(due_at=now - dt.timedelta(hours=5), warn_at=now - dt.timedelta(days=1))
    Case.objects.filter(number=numbers[1]).update(due_at=now + dt.timedelta(hours=20), warn_at=now - dt.timedelta(hours=1))
    Case.objects.filter(number=numbers[2]).update(due_at=now + dt.timedelta(days=9), warn_at=now + dt.timedelta(days=8))

    login(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/workbench/cases/")
    page.get_by_role("link", name=re.compile("待审查")).wait_for()
    shot(page, "journey-inbox")
    rows = page.locator(".wb-case-table tbody tr")
    order = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())]
    mine = [n for n in order if n in numbers]
    assert mine == numbers, order  # red first, then yellow, then the rest: by due instant
    red = page.locator("tr", has_text=numbers[0])
    yellow = page.locator("tr", has_text=numbers[1])
    assert red.locator(".badge-red").inner_text() == "已超期"
    assert "今日到期" not in red.inner_text()  # overdue, not "due today"
    assert yellow.locator(".badge-yellow").inner_text().startswith("即将到期")
    assert page.locator("tr", has_text=numbers[2]).locator(".badge-red, .badge-yellow").count() == 0

    # Keyboard: J moves to the first case, Enter opens it; Alt+D opens the decision, Enter confirms.
    assert order[0] == numbers[0], order  # the demo has no other accepted case of this department
    page.locator("body").focus()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/workbench/cases/{numbers[0]}/")
    page.locator(".wb-page-head .badge-red").wait_for()
    page.keyboard.press("Alt+D")
    assert page.locator("#action-decide").evaluate("el => el.open")
    page.check("#action-decide input[name=decision][value=approve]")
    page.get_by_role("button", name="确认作出决定").click()
    page.get_by_text("已作出决定").first.wait_for()
    shot(page, "journey-inbox-decided")
    assert Case.objects.get(number=numbers[0]).status == "decided"
