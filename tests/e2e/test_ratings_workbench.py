"""差评整改 and 好差评统计 in the workbench, on the demo county (issue 5, "Done when"):

a completed case gets a 不满意 rating from the phone link; the department head opens 差评整改, finds the record
with its deadline, verifies, replies 已整改 with what changed; the citizen says 满意 on the reply page; the head
records the follow-up call; the dashboard's figures (bad ratings, replied, followed up) change accordingly.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "食品经营许可"


def _completed_case():
    from onewindow.accounts.models import User
    from onewindow.cases import services as cases
    from onewindow.cases.constants import Channel, Decision
    from onewindow.cases.tests.factories import person, submitted_case
    from onewindow.catalogue.selectors import published_versions
    from onewindow.org.models import StaffRole

    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "reviewer"])}
    version = published_versions().select_related("item").get(item__name=ITEM)
    window = StaffRole.objects.get(user__username="clerk", window__isnull=False).window
    case = submitted_case(version=version, applicant=person(83, name="李小华"), actor=users["clerk"],
                          channel=Channel.WINDOW, window=window, idempotency_key="e2e-rate-workbench")
    cases.case_accept(actor=users["clerk"], case=case)
    cases.case_decide(actor=users["reviewer"], case=case, decision=Decision.APPROVE)
    cases.case_complete(actor=users["reviewer"], case=case)
    return case


def _rate_bad(case):
    """The citizen rates 不满意 from the link in the message (ratings services, as the link page does)."""
    from onewindow.ratings import services as ratings
    from onewindow.ratings.constants import RatingChannel, ServiceEvent
    from onewindow.ratings.models import RatingInvitation

    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)
    rating = ratings.rating_submit(invitation=invitation, level=2, options=["办事效率低"],
                                   comment="材料清单前后说法不一，跑了两趟。", channel=RatingChannel.MOBILE_LINK,
                                   via_token=True)
    return invitation, rating.bad_case


def _figure(page, name: str) -> int:
    return int(page.locator(f'[data-figure="{name}"]').first.inner_text())


def test_head_handles_a_bad_rating_and_the_dashboard_follows(demo, live_server, page, phone, shot):
    from onewindow.ratings.constants import BadCaseStatus

    login(page, live_server, "head")
    page.goto(f"{live_server.url}/workbench/ratings/stats/")
    page.get_by_role("heading", name="好差评统计", level=1).wait_for()
    before = {k: _figure(page, k) for k in ("bad", "bad_replied", "followed_up")}

    case = _completed_case()
    invitation, bad = _rate_bad(case)

    # 差评整改: the nav link, the record in the 待核实 tab with its deadline and time left.
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="差评整改").click()
    page.wait_for_url(re.compile(r"/workbench/ratings/bad/$"))
    page.get_by_role("heading", name="差评整改", level=1).wait_for()
    assert page.locator('[data-count="verifying"]').inner_text() != "0"
    shot(page, "bad-ratings-inbox")
    page.fill("#id_q", case.number)  # htmx swaps the table and puts the filter in the address
    page.wait_for_url(re.compile(rf"[?&]q={case.number}"))
    page.get_by_text("共 1 条").wait_for()
    assert page.locator("#bad-ratings tbody tr").count() == 1
    row = page.locator(f'#bad-ratings tr[data-bad="{bad.pk}"]')
    text = row.inner_text()
    assert "不满意" in text and "核实期限" in text and ITEM in text
    assert re.search(r"剩余 \d+ 个工作日|今日到期", text), text

    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(rf"/workbench/ratings/bad/{bad.pk}/$"))
    main = page.locator("main")
    text = main.inner_text()
    assert "李小华" in text and "办事效率低" in text and "核实期限" in text and "整改反馈期限" in text
    assert "短信链接" in text

    # 核实
    page.fill("#verify-note", "经查，窗口人员两次告知的材料清单不一致，情况属实。")
    page.get_by_role("button", name="提交核实").click()
    page.wait_for_url(re.compile(rf"/workbench/ratings/bad/{bad.pk}/$"))
    page.get_by_text("已记录核实情况").wait_for()
    # 整改答复: 已整改, with what changed
    page.locator("label", has_text="核实属实，已整改").click()
    page.fill("#reply-changes", "修订食品经营许可一次性告知单，组织窗口人员培训。")
    page.fill("#reply-reply", "您反映的问题属实，我们已修订告知单并培训窗口人员，感谢监督。")
    page.get_by_role("button", name="提交整改答复").click()
    page.get_by_text("整改答复已发送给申请人").wait_for()
    text = main.inner_text()
    assert "核实属实，已整改" in text and "修订食品经营许可一次性告知单" in text and "按期反馈" in text
    shot(page, "bad-rating-record")

    # The citizen answers on the reply page behind the link (no sign-in).
    phone.goto(f"{live_server.url}/rate/{invitation.token}/reply/")
    phone.locator("label[for=rt-sat1]").click()
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/reply/?done=1")
    bad.refresh_from_db()
    assert bad.applicant_satisfied is True and bad.status == BadCaseStatus.FOLLOW_UP

    # 回访 closes the record.
    page.reload()
    assert "待回访" in page.locator("#bad-status").inner_text()
    page.locator("#action-follow-up label", has_text="已接通").click()
    page.select_option("#follow-up-satisfied", "yes")
    page.fill("#follow-up-note", "电话回访，申请人对整改满意。")
    page.get_by_role("button", name="提交回访").click()
    page.get_by_text("已记录回访，整改单办结").wait_for()
    assert "已办结" in page.locator("#bad-status").inner_text()

    # The dashboard: one more bad rating, replied, followed up; the chart drawn from the JSON block.
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="好差评统计").click()
    page.get_by_role("heading", name="好差评统计", level=1).wait_for()
    after = {k: _figure(page, k) for k in ("bad", "bad_replied", "followed_up")}
    assert after == {k: v + 1 for k, v in before.items()}, (before, after)
    page.locator('[data-chart="chart-counts"] svg').first.wait_for()
    assert "市场监管局" in page.locator("#rating-stats").inner_text()
    shot(page, "ratings-dashboard")
    with page.expect_download() as download:
        page.locator("#stats-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_clerk_sees_the_inbox_but_not_the_dashboard(demo, live_server, page):
    login(page, live_server, "clerk")
    nav = page.get_by_role("navigation", name="工作台导航")
    assert nav.get_by_role("link", name="差评整改").count() == 1
    assert nav.get_by_role("link", name="好差评统计").count() == 0
    response = page.goto(f"{live_server.url}/workbench/ratings/stats/")
    assert response.status == 403


def test_hall_manager_enters_a_12345_rating(demo, live_server, page, shot):
    """The 12345 operator checks the case number and ID tail and records a caller's 不满意: only the options of
    the chosen level are offered; the bad rating opens a record the page links to."""
    from onewindow.ratings.models import BadRatingCase

    case = _completed_case()
    login(page, live_server, "manager")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="12345 代录评价").click()
    page.get_by_role("heading", name="12345 代录评价", level=1).wait_for()
    page.fill("#id_case_number", case.number)
    page.fill("#id_id_tail", "000000")
    page.locator("label", has_text="非常满意").click()
    page.get_by_role("button", name="录入评价").click()
    page.get_by_text("未找到该办件，请核对办件编号和证件号码后六位。").wait_for()
    assert page.input_value("#id_case_number") == case.number  # the form is kept

    page.fill("#id_id_tail", case.applicant.identifier[-6:])
    page.locator("label", has_text="不满意").first.click()
    group = page.locator('.rt-option-group[data-level="2"]')
    assert group.is_visible() and not page.locator('.rt-option-group[data-level="5"]').is_visible()
    group.get_by_text("办事效率低").click()
    page.fill("#id_comment", "来电反映办理时间过长。")
    shot(page, "hotline-rating")
    page.get_by_role("button", name="录入评价").click()
    page.get_by_text("差评已生成差评整改单").wait_for()
    bad = BadRatingCase.objects.get(case=case)
    assert bad.rating.channel == "hotline" and bad.rating.options == ["办事效率低"]
    page.get_by_role("link", name="查看整改单").click()
    page.wait_for_url(re.compile(rf"/workbench/ratings/bad/{bad.pk}/$"))
    assert "12345热线" in page.locator("main").inner_text()
