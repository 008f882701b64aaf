"""好差评 workbench screens: the 差评整改 inbox and record page with every step, the 12345 entry and the dashboard.
Scope (another department's record is a 404), roles (403 and no form), each action's happy and error path,
and fixed query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onewindow.accounts.testing import staff_login
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff
from onewindow.ratings import services
from onewindow.ratings.constants import BadCaseStatus
from onewindow.ratings.models import BadRatingCase, Rating, RatingInvitation

pytestmark = pytest.mark.django_db

INBOX = "/workbench/ratings/bad/"
HOTLINE = "/workbench/ratings/hotline/"
STATS = "/workbench/ratings/stats/"


def signed_in(user) -> Client:
    client = Client()
    staff_login(client, user)
    return client


def rate(case, citizen, level=2, options=("服务态度差",), comment="窗口人员态度生硬") -> Rating:
    invitation = RatingInvitation.objects.get(case=case, service_event="whole_case")
    return services.rating_submit(invitation=invitation, level=level, options=list(options), comment=comment,
                                  channel="online", actor=citizen)


@pytest.fixture
def bad(make_case, citizen) -> BadRatingCase:
    return rate(make_case(), citizen).bad_case


def record(pk) -> str:
    return f"{INBOX}{pk}/"


def act(client, pk, action, data):
    return client.post(f"{INBOX}{pk}/{action}/", data)


def text(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------ urls and nav


def test_url_names():
    assert reverse("workbench:bad_ratings") == INBOX
    assert reverse("workbench:bad_rating", args=[5]) == f"{INBOX}5/"
    assert reverse("workbench:bad_rating_action", args=[5, "verify"]) == f"{INBOX}5/verify/"
    assert reverse("workbench:hotline_rating") == HOTLINE
    assert reverse("workbench:rating_dashboard") == STATS
    assert reverse("workbench:rating_stats_xlsx") == "/workbench/ratings/stats.xlsx"


def test_the_ratings_root_opens_the_inbox(head):
    response = signed_in(head).get("/workbench/ratings/?overdue=on")
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?overdue=on"


def test_pages_render_in_english(bad, manager):
    client = signed_in(manager)
    client.cookies["django_language"] = "en"
    for url in (INBOX, record(bad.pk), HOTLINE, STATS):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200, url


def test_nav_links_only_for_roles_that_may_use_them(clerk, head, manager):
    page = text(signed_in(clerk).get("/workbench/"))
    assert INBOX in page and STATS not in page and HOTLINE not in page
    page = text(signed_in(head).get("/workbench/"))
    assert INBOX in page and STATS in page and HOTLINE not in page
    page = text(signed_in(manager).get("/workbench/"))
    assert INBOX in page and STATS in page and HOTLINE in page
    editor = staff(Role.CATALOGUE_EDITOR, None, username="ed")
    page = text(signed_in(editor).get("/workbench/"))
    assert "好差评" not in page


def test_the_workbench_needs_the_second_step(head):
    client = Client()
    client.force_login(head)  # password only, no TOTP
    response = client.get(INBOX)
    assert response.status_code == 302


# ------------------------------------------------------------------ inbox


def test_inbox_lists_the_record_with_its_deadline_and_time_left(bad, head):
    response = signed_in(head).get(INBOX)
    assert response.status_code == 200
    page = text(response)
    assert bad.case.number in page and "食品经营许可" in page
    assert "不满意" in page and "核实期限" in page
    assert re.search(r"剩余 \d+ 个工作日|今日到期", page)
    assert 'data-count="verifying">1<' in page
    # No applicant on the list; the read is recorded all the same.
    assert bad.case.applicant.name not in page
    assert AuditEvent.objects.filter(action="ratings.bad_case_view", object_id=str(bad.pk)).exists()


def test_inbox_tabs_filters_and_htmx(bad, make_case, citizen, head):
    other = rate(make_case(), citizen, level=1).bad_case
    client = signed_in(head)
    services.bad_case_verify(actor=head, bad_case=other, note="已核实")
    page = text(client.get(INBOX, {"tab": "rectifying"}))
    assert other.case.number in page and bad.case.number not in page
    page = text(client.get(INBOX, {"tab": "verifying"}))
    assert bad.case.number in page and other.case.number not in page
    # htmx gets the table only
    response = client.get(INBOX, {"tab": "open", "q": bad.case.number}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(response) and bad.case.number in text(response)
    assert other.case.number not in text(response)
    # period filter: nothing in 2020
    page = text(client.get(INBOX, {"since": "2020-01", "until": "2020-02"}))
    assert bad.case.number not in page and "没有符合条件" in page
    # a period that ends before it starts says so
    page = text(client.get(INBOX, {"since": "2026-05", "until": "2026-01"}))
    assert "结束月份不能早于开始月份" in page
    # department filter
    page = text(client.get(INBOX, {"department": bad.department_id}))
    assert bad.case.number in page


def test_inbox_is_sorted_by_the_current_stage_due_instant(make_case, citizen, head):
    first = rate(make_case(), citizen).bad_case
    second = rate(make_case(), citizen).bad_case
    services.bad_case_verify(actor=head, bad_case=first, note="核实")  # now due in 15 working days
    page = text(signed_in(head).get(INBOX))
    assert page.index(second.case.number) < page.index(first.case.number)


def test_another_departments_staff_see_nothing(bad, other_head):
    client = signed_in(other_head)
    assert bad.case.number not in text(client.get(INBOX))
    response = client.get(record(bad.pk))
    assert response.status_code == 404 and "不在您的管理范围内" in text(response)
    assert act(client, bad.pk, "verify", {"note": "x"}).status_code == 404
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.VERIFYING


def test_staff_without_a_ratings_role_get_the_forbidden_page(bad):
    editor = staff(Role.CATALOGUE_EDITOR, bad.department, username="ed")
    response = signed_in(editor).get(INBOX)
    assert response.status_code == 403 and "差评整改记录" in text(response)


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INBOX, params).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_query_count_is_fixed(make_case, citizen, head, settings):
    from onewindow.ratings.views_workbench import bad_cases

    client = signed_in(head)
    for _ in range(3):
        rate(make_case(), citizen)
    client.get(INBOX)  # warm the calendar snapshot and the session
    few = _queries(client)
    settings.DEBUG = False
    old = bad_cases.PAGE_SIZE
    bad_cases.PAGE_SIZE = 50
    try:
        for _ in range(27):
            rate(make_case(), citizen)
        many = _queries(client)
    finally:
        bad_cases.PAGE_SIZE = old
    assert BadRatingCase.objects.count() == 30
    assert many == few, (few, many)


# ------------------------------------------------------------------ record page


def test_record_shows_the_rating_the_applicant_and_audits_the_read(bad, head):
    before = AuditEvent.objects.filter(action="ratings.bad_case_view").count()
    response = signed_in(head).get(record(bad.pk))
    assert response.status_code == 200
    page = text(response)
    applicant = bad.case.applicant
    for expected in ("不满意", "服务态度差", "窗口人员态度生硬", "网上评价", "整体办件", "食品经营许可",
                     "云溪县市场监督管理局", bad.case.number, applicant.name,
                     applicant.identifier_masked, "核实期限", "整改反馈期限", "生成整改单"):
        assert expected in page, expected
    assert applicant.identifier not in page
    assert f'/workbench/cases/{bad.case.number}/' in page  # the head works on cases
    assert 'id="action-verify"' in page and 'id="action-appeal"' in page
    assert 'id="action-decide-appeal"' not in page and 'id="action-follow-up"' not in page
    assert AuditEvent.objects.filter(action="ratings.bad_case_view").count() == before + 1


def test_record_page_query_count_does_not_grow_with_the_trail(bad, head):
    client = signed_in(head)
    client.get(record(bad.pk))
    with CaptureQueriesContext(connection) as short:
        client.get(record(bad.pk))
    services.bad_case_verify(actor=head, bad_case=bad, note="核实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome="explained", reply="说明")
    with CaptureQueriesContext(connection) as long:
        client.get(record(bad.pk))
    assert len(long.captured_queries) <= len(short.captured_queries)


def test_verify_then_reply_rectified(bad, head):
    client = signed_in(head)
    response = act(client, bad.pk, "verify", {"note": "经查监控，窗口人员语气生硬"})
    assert response.status_code == 302 and response["Location"] == record(bad.pk)
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.RECTIFYING and bad.verified_by == head
    page = text(client.get(record(bad.pk)))
    assert "已记录核实情况" in page and "经查监控" in page and 'id="action-reply"' in page
    assert 'id="action-verify"' not in page
    response = act(client, bad.pk, "reply", {"outcome": "rectified", "changes": "窗口人员接受服务规范培训",
                                            "reply": "已对窗口人员批评教育并培训。"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert (bad.status, bad.outcome, bad.changes) == (BadCaseStatus.REPLIED, "rectified", "窗口人员接受服务规范培训")
    page = text(client.get(record(bad.pk)))
    assert "核实属实，已整改" in page and "按期反馈" in page and "整改反馈" in page


def test_verify_without_a_note_keeps_the_page_and_says_why(bad, head):
    response = act(signed_in(head), bad.pk, "verify", {"note": "  "})
    assert response.status_code == 400
    assert "请填写核实情况。" in text(response) and 'id="action-verify" open' in text(response)
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.VERIFYING


def test_reply_rectified_without_changes_keeps_the_form(bad, head):
    client = signed_in(head)
    act(client, bad.pk, "verify", {"note": "核实"})
    response = act(client, bad.pk, "reply", {"outcome": "rectified", "reply": "已整改，请您放心"})
    assert response.status_code == 400
    page = text(response)
    assert "已整改的请写明整改措施。" in page and "已整改，请您放心" in page
    response = act(client, bad.pk, "reply", {"reply": "x"})  # no outcome: the form's own check
    assert response.status_code == 400 and "请检查标出的项目" in text(response)


def test_a_step_the_state_no_longer_allows_is_a_409_with_the_message(bad, head):
    client = signed_in(head)
    act(client, bad.pk, "verify", {"note": "核实"})
    response = act(client, bad.pk, "verify", {"note": "再核实一次"})
    assert response.status_code == 409
    assert "不能核实" in text(response)
    assert act(client, bad.pk, "nonsense", {}).status_code == 404


def test_appeal_and_its_review(bad, head, manager):
    client = signed_in(head)
    response = act(client, bad.pk, "appeal", {"reason": ""})
    assert response.status_code == 400 and "请写明申诉理由" in text(response)
    response = act(client, bad.pk, "appeal", {"reason": "申请人要求违规办理，未满足后恶意差评"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.APPEALED
    # The department cannot judge its own appeal: no form, and 403 on POST.
    page = text(client.get(record(bad.pk)))
    assert 'id="action-decide-appeal"' not in page
    response = act(client, bad.pk, "decide-appeal", {"upheld": "yes", "comment": "成立"})
    assert response.status_code == 403
    judge = signed_in(manager)
    assert 'id="action-decide-appeal"' in text(judge.get(record(bad.pk)))
    response = act(judge, bad.pk, "decide-appeal", {"upheld": "yes", "comment": ""})
    assert response.status_code == 400 and "请填写复核意见。" in text(response)
    response = act(judge, bad.pk, "decide-appeal", {"upheld": "yes", "comment": "经调取录音，申诉成立"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.CLOSED and bad.rating.excluded
    assert "申诉成立" in text(judge.get(record(bad.pk)))


def test_rejected_appeal_returns_to_the_department(bad, head, inspector):
    act(signed_in(head), bad.pk, "appeal", {"reason": "误评"})
    response = act(signed_in(inspector), bad.pk, "decide-appeal", {"upheld": "no", "comment": "理由不足"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.VERIFYING


def test_follow_up_closes_the_record(bad, head, manager, citizen):
    services.bad_case_verify(actor=head, bad_case=bad, note="核实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome="explained", reply="该要求无政策依据。")
    services.bad_case_respond(bad_case=bad, satisfied=True, actor=citizen)
    caller = signed_in(manager)
    page = text(caller.get(record(bad.pk)))
    assert 'id="action-follow-up"' in page and "已解释说明" in page
    response = act(caller, bad.pk, "follow-up", {"reached": "yes", "satisfied": "yes", "note": ""})
    assert response.status_code == 400 and "请填写回访记录。" in text(response)
    response = act(caller, bad.pk, "follow-up", {"reached": "yes", "satisfied": "yes", "note": "申请人表示满意"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.CLOSED and bad.follow_up_reached
    page = text(caller.get(record(bad.pk)))
    assert "整改单已办结" in page and "申请人表示满意" in page


def test_a_clerk_of_another_window_may_read_but_not_judge(bad, clerk):
    client = signed_in(clerk)
    page = text(client.get(record(bad.pk)))
    assert 'id="action-verify"' in page  # clerks of the department are handlers
    assert act(client, bad.pk, "decide-appeal", {"upheld": "yes", "comment": "x"}).status_code == 403


# ------------------------------------------------------------------ 12345


def _hotline(client, case, **over):
    data = {"case_number": case.number, "id_tail": case.applicant.identifier[-6:], "service_event": "whole_case",
            "level": "4", "comment": "", "real_name": "on"}
    data.update(over)
    return client.post(HOTLINE, data)


def test_hotline_entry_good_and_bad(make_case, manager):
    client = signed_in(manager)
    page = text(client.get(HOTLINE))
    assert "办件编号" in page and "证件号码后六位" in page and "服务态度差" in page
    case = make_case()
    response = _hotline(client, case)
    assert response.status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.channel, rating.level, rating.recorded_by) == ("hotline", 4, manager)
    assert "已录入评价" in text(client.get(HOTLINE))
    case2 = make_case()
    response = _hotline(client, case2, level="1", options=["服务态度差"], comment="来电反映态度差")
    assert response.status_code == 302
    bad = BadRatingCase.objects.get(case=case2)
    page = text(client.get(HOTLINE))
    assert "差评已生成差评整改单" in page and record(bad.pk) in page


def test_hotline_errors_keep_the_form(make_case, manager):
    client = signed_in(manager)
    case = make_case()
    response = _hotline(client, case, id_tail="000000")
    assert response.status_code == 404
    page = text(response)
    assert "未找到该办件，请核对办件编号和证件号码后六位。" in page and case.number in page
    response = _hotline(client, case, level="1")  # a bad rating needs a reason
    assert response.status_code == 400 and "差评请至少选择一项原因或填写评价内容。" in text(response)
    response = _hotline(client, case, level="5", options=["服务态度差"])
    assert response.status_code == 400 and "评价选项与评价等级不符" in text(response)
    assert _hotline(client, case).status_code == 302
    response = _hotline(client, case)
    assert response.status_code == 409 and "该服务已经评价过" in text(response)
    response = _hotline(client, case, id_tail="12")
    assert response.status_code == 400


def test_hotline_is_for_operators_only(make_case, head):
    client = signed_in(head)
    assert client.get(HOTLINE).status_code == 403
    assert _hotline(client, make_case()).status_code == 403
    assert not Rating.objects.exists()


# ------------------------------------------------------------------ dashboard


def test_dashboard_figures_charts_and_table(make_case, citizen, head):
    rate(make_case(), citizen, level=5, options=(), comment="")
    bad = rate(make_case(), citizen).bad_case
    make_case()  # completed, not rated
    client = signed_in(head)
    response = client.get(STATS)
    assert response.status_code == 200
    page = text(response)
    assert 'data-figure="bad">1<' in page
    assert 'data-figure="good_rate">50.0%<' in page
    assert 'data-figure="rating_rate">66.7%<' in page
    assert 'id="chart-counts"' in page and 'data-chart="chart-rates"' in page
    assert "echarts.common.min.js" in page and "ow/charts.js" in page
    assert "云溪县市场监督管理局" in page and "导出 Excel" in page and "默认好评" in page
    services.bad_case_verify(actor=head, bad_case=bad, note="核实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome="rectified", reply="已整改", changes="培训")
    page = text(client.get(STATS))
    assert 'data-figure="on_time_rate">100.0%<' in page


@pytest.mark.parametrize("group_by", ["department", "window", "staff", "item", "channel", "hall", "month"])
def test_dashboard_every_grouping(make_case, citizen, head, group_by):
    rate(make_case(), citizen)
    response = signed_in(head).get(STATS, {"group_by": group_by})
    assert response.status_code == 200
    assert 'id="rating-stats"' in text(response)


def test_dashboard_htmx_period_and_bad_period(make_case, citizen, inspector):
    rate(make_case(), citizen)
    client = signed_in(inspector)
    response = client.get(STATS, {"since": "2020-01", "until": "2020-03"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(response) and "2020-01..2020-03" in text(response)
    assert "统计期间内没有评价" in text(response)
    response = client.get(STATS, {"since": "2026-05", "until": "2020-01"})
    assert response.status_code == 200 and "结束月份不能早于开始月份" in text(response)


def test_dashboard_roles_and_scope(make_case, citizen, clerk, other_head):
    rate(make_case(), citizen)
    response = signed_in(clerk).get(STATS)
    assert response.status_code == 403 and "评价统计" in text(response)
    assert signed_in(clerk).get("/workbench/ratings/stats.xlsx").status_code == 403
    page = text(signed_in(other_head).get(STATS))
    assert 'data-figure="bad">0<' in page


def test_dashboard_query_count_is_fixed(make_case, citizen, inspector):
    client = signed_in(inspector)
    rate(make_case(), citizen)
    client.get(STATS, {"group_by": "staff"})
    with CaptureQueriesContext(connection) as few:
        client.get(STATS, {"group_by": "staff"})
    for _ in range(5):
        rate(make_case(), citizen, level=5, options=(), comment="")
    with CaptureQueriesContext(connection) as many:
        client.get(STATS, {"group_by": "staff"})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_excel_export_with_the_session(make_case, citizen, head):
    rate(make_case(), citizen)
    response = signed_in(head).get("/workbench/ratings/stats.xlsx", {"group_by": "department"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "县市场监管局" in values and "合计" in values
