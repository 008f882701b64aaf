"""办件 inboxes: tabs per role, ordering by the due instant, red/yellow badges, working days left, filters,
htmx fragments and a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from onewindow.cases import services
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff

from .case_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, name="陈审批")


def accepted(version, actor, at, seq, name="申请人"):
    with freeze_time(at):
        return services.case_accept(actor=actor, case=submitted_case(version=version, applicant=person(seq, name=name)))


@pytest.fixture
def four(version, reviewer):
    """Accepted Mon 27 Oct, Fri 31 Oct, Mon 3 Nov and Tue 4 Nov 2025 (5 working days each)."""
    return {
        "red": accepted(version, reviewer, "2025-10-27 10:00:00+08:00", 1, "赵一"),  # due Mon 3 Nov
        "normal": accepted(version, reviewer, "2025-11-03 10:00:00+08:00", 2, "钱二"),  # due Mon 10 Nov
        "later": accepted(version, reviewer, "2025-11-04 10:00:00+08:00", 3, "孙三"),  # due Tue 11 Nov
        "yellow": accepted(version, reviewer, "2025-10-31 10:00:00+08:00", 4, "李四"),  # due Fri 7 Nov
    }


def inbox(client, headers=None, **params):
    return client.get(reverse("workbench:cases"), params, headers=headers)


@freeze_time("2025-11-06 18:00:00+08:00")  # Thursday evening
def test_review_inbox_is_sorted_by_due_instant_with_badges_and_working_days_left(client, reviewer, four):
    login(client, reviewer)
    response = inbox(client, tab="review")
    rows = response.context["rows"]
    assert [r["case"].number for r in rows] == [four[k].number for k in ("red", "yellow", "normal", "later")]
    assert [r["clock"]["badge"] for r in rows] == ["badge-red", "badge-yellow", "", ""]
    assert [r["clock"]["left"] for r in rows] == [-3, 1, 2, 3]
    page = response.content.decode()
    assert "已超期" in page and "即将到期" in page
    assert "超期 3 个工作日" in page and "剩余 1 个工作日" in page and "剩余 3 个工作日" in page


@freeze_time("2025-11-06 18:00:00+08:00")
def test_clock_filter_and_search(client, reviewer, four):
    login(client, reviewer)
    rows = inbox(client, tab="review", clock="overdue").context["rows"]
    assert [r["case"].number for r in rows] == [four["red"].number]
    rows = inbox(client, tab="review", q="李四").context["rows"]
    assert [r["case"].number for r in rows] == [four["yellow"].number]
    rows = inbox(client, tab="review", q=four["later"].number).context["rows"]
    assert [r["case"].number for r in rows] == [four["later"].number]


@freeze_time("2025-11-06 18:00:00+08:00")
def test_sorting_by_submission_and_item_filter(client, reviewer, four, dept):
    other = published_item(department=dept, name="食品生产许可")
    extra = accepted(other, reviewer, "2025-11-05 10:00:00+08:00", 9)
    login(client, reviewer)
    rows = inbox(client, tab="review", sort="-submitted").context["rows"]
    assert rows[0]["case"] == extra and rows[-1]["case"] == four["red"]
    rows = inbox(client, tab="review", item=other.item_id).context["rows"]
    assert [r["case"] for r in rows] == [extra]


def test_htmx_gets_the_table_only(client, reviewer, four):
    login(client, reviewer)
    response = inbox(client, headers={"HX-Request": "true"}, tab="review")
    page = response.content.decode()
    assert "<html" not in page and "<table" in page and 'aria-current="page"' in page


def test_the_tabs_by_role(client, dept, reviewer, version):
    head = staff(Role.DEPARTMENT_HEAD, dept, name="王局长")
    clerk = staff(Role.CLERK, dept, name="钱窗口")
    case = accepted(version, reviewer, "2025-11-03 10:00:00+08:00", 1)
    services.case_request_extension(actor=reviewer, case=case, days=5, reason="需现场核查")
    submitted_case(version=version, applicant=person(2))

    login(client, clerk)
    response = inbox(client)
    assert response.context["tab"]["key"] == "submitted"  # a clerk starts with 待受理
    labels = [t["label"] for t in response.context["tabs"]]
    assert "待受理" in labels and "待审查" in labels and "待延期审批" not in labels

    login(client, reviewer)
    assert inbox(client).context["tab"]["key"] == "review"

    login(client, head)
    response = inbox(client, tab="extension")
    tabs = {t["key"]: t for t in response.context["tabs"]}
    assert tabs["review"]["label"] == "待决定" and tabs["extension"]["count"] == 1
    assert [r["case"] for r in response.context["rows"]] == [case]
    assert "延期待批" in response.content.decode()


def test_another_departments_cases_are_not_listed(client, reviewer, other_dept, version):
    mine = submitted_case(version=version)
    submitted_case(version=published_item(department=other_dept), applicant=person(2))
    login(client, reviewer)
    rows = inbox(client, tab="submitted").context["rows"]
    assert [r["case"] for r in rows] == [mine]


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = inbox(client, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("tab", ["submitted", "review"])
def test_a_page_costs_the_same_queries_for_5_and_25_cases(client, dept, version, tab):
    head = staff(Role.DEPARTMENT_HEAD, dept, name="王局长")
    login(client, head)

    def make(n, start):
        for i in range(n):
            case = submitted_case(version=version, applicant=person(start + i), all_materials=tab == "review")
            if tab == "review":
                services.case_accept(actor=head, case=case)

    make(5, 1)
    inbox(client, tab=tab)  # warm the calendar snapshot
    few = _queries(client, tab=tab)
    make(20, 100)
    many = _queries(client, tab=tab)
    assert few == many
    assert len(inbox(client, tab=tab).context["rows"]) == 20  # one full page; the rest on page 2
    assert few <= 12  # session, user, (TOTP device), roles, items of the filter, page, count, tab counts, calendar


def test_staff_without_a_case_role_are_refused(client, editor):
    login(client, editor)
    response = inbox(client)
    assert response.status_code == 403
    assert "您没有办件办理权限" in response.content.decode()
