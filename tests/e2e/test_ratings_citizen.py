"""好差评 in a browser, on the demo county (issue 5):

(a) on a phone, a citizen opens the rating link of a completed case (no sign-in), rates 不满意 with a reason and
    a comment, sees the thanks; the department head verifies and replies; the citizen opens the reply link and
    says 满意;
(b) the window rating pad: the clerk binds a browser to their window, a case is accepted at that window, the pad
    shows it with the clerk's name, the citizen taps 非常满意, the rating is stored with the pad channel.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "食品经营许可"


def _users():
    from onewindow.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=["clerk", "reviewer", "head"])}


def _version():
    from onewindow.catalogue.selectors import published_versions

    return published_versions().select_related("item").get(item__name=ITEM)


def _clerk_window():
    from onewindow.org.models import StaffRole

    return StaffRole.objects.select_related("window__hall").get(user__username="clerk", window__isnull=False).window


def test_citizen_rates_bad_on_the_phone_and_accepts_the_reply(demo, live_server, phone, shot):
    from onewindow.cases import services as cases
    from onewindow.cases.constants import Channel, Decision
    from onewindow.cases.tests.factories import person, submitted_case
    from onewindow.ratings import services as ratings
    from onewindow.ratings.constants import BadCaseStatus, Outcome, RatingChannel, ServiceEvent
    from onewindow.ratings.models import BadRatingCase, Rating, RatingInvitation

    users = _users()
    case = submitted_case(version=_version(), applicant=person(81, name="王小红"), actor=users["clerk"],
                          channel=Channel.WINDOW, window=_clerk_window(), idempotency_key="e2e-rate-phone")
    cases.case_accept(actor=users["clerk"], case=case)
    cases.case_decide(actor=users["reviewer"], case=case, decision=Decision.APPROVE)
    cases.case_complete(actor=users["reviewer"], case=case)
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)

    phone.goto(f"{live_server.url}/rate/{invitation.token}")
    main = phone.locator("main")
    text = main.inner_text()
    assert ITEM in text and "张丽" in text and "王**" in text and "王小红" not in text
    # No horizontal scrolling at 360 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("label[for=rt-lv2]").click()
    reasons = phone.locator('.rt-opts[data-level="2"]')
    assert reasons.is_visible() and not phone.locator('.rt-opts[data-level="5"]').is_visible()
    reasons.get_by_text("办事效率低").click()
    phone.fill("#rt-comment", "材料要求说了两次才说清楚，跑了两趟。")
    shot(phone, "rate-phone")
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_url(f"**/rate/{invitation.token}/thanks/")
    assert "感谢您的评价" in main.inner_text()
    shot(phone, "rate-thanks")
    rating = Rating.objects.get(invitation=invitation)
    assert (rating.level, rating.options, rating.channel) == (2, ["办事效率低"], RatingChannel.MOBILE_LINK)

    bad = BadRatingCase.objects.get(rating=rating)
    ratings.bad_case_verify(actor=users["head"], bad_case=bad, note="经核实，窗口未一次性告知材料要求。")
    ratings.bad_case_reply(actor=users["head"], bad_case=bad, outcome=Outcome.RECTIFIED,
                           reply="已对窗口人员批评教育，并更新了一次性告知单。", changes="修订一次性告知单，组织窗口培训。")

    phone.goto(f"{live_server.url}/rate/{invitation.token}/reply/")
    text = main.inner_text()
    assert "已对窗口人员批评教育" in text and "修订一次性告知单" in text
    phone.locator("label[for=rt-sat1]").click()
    phone.fill("#rt-reply-comment", "满意，谢谢。")
    shot(phone, "rate-reply")
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/reply/?done=1")
    assert "感谢您的反馈" in main.inner_text()
    bad.refresh_from_db()
    assert bad.applicant_satisfied is True and bad.status == BadCaseStatus.FOLLOW_UP


def test_window_pad_bound_by_the_clerk_rates_the_service_just_given(demo, live_server, page, shot):
    from onewindow.cases import services as cases
    from onewindow.cases.constants import Channel
    from onewindow.cases.tests.factories import person, submitted_case
    from onewindow.ratings.constants import RatingChannel
    from onewindow.ratings.models import Rating

    users = _users()
    window = _clerk_window()
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/pad/setup/")
    page.select_option("#pad-window", str(window.pk))
    page.get_by_role("button", name="绑定并打开评价器").click()
    page.wait_for_url("**/pad/")
    page.get_by_text("欢迎办事").wait_for()
    assert window.name in page.locator(".pad-head").inner_text()

    case = submitted_case(version=_version(), applicant=person(82, name="赵大海"), actor=users["clerk"],
                          channel=Channel.WINDOW, window=window, idempotency_key="e2e-rate-pad")
    cases.case_accept(actor=users["clerk"], case=case)

    page.get_by_text("请对本次服务进行评价").wait_for(timeout=20_000)  # the pad polls every few seconds
    panel = page.locator("#pad-panel").inner_text()
    assert "张丽" in panel and ITEM in panel and "赵**" in panel and "赵大海" not in panel
    shot(page, "rating-pad")
    page.locator("label[for=pad-lv5]").click()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价！").wait_for()
    rating = Rating.objects.get(case=case)
    assert rating.level == 5 and rating.channel == RatingChannel.WINDOW_PAD and rating.window_id == window.pk
    page.get_by_text("欢迎办事").wait_for(timeout=15_000)  # back to idle after the thank-you
