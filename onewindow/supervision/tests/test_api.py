import pytest
from django.contrib.auth.models import AnonymousUser
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import Decision
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.models import StaffRole
from onewindow.org.tests.factories import DepartmentFactory, RegionFactory, staff
from onewindow.supervision import services
from onewindow.supervision.constants import CardLevel
from onewindow.supervision.models import Anomaly, Card

from .factories import accepted_case, at, scan

pytestmark = pytest.mark.django_db

URL = "/api/v1/supervision/cards"


@pytest.fixture
def other_dept():
    return DepartmentFactory(name="云溪县民政局")


@pytest.fixture
def world(version, clerk, window, other_dept):
    """Two red cases and one yellow case in the market department (one red at the window), one red elsewhere."""
    other_clerk = staff(Role.CLERK, other_dept, username="clerk-mz")
    other_version = published_item(department=other_dept, name="最低生活保障对象审核确认")
    red_window = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00", channel="window",
                               window=window, actor=clerk)
    red_online = accepted_case(version=version, clerk=clerk, when="2025-11-03 11:00")
    yellow = accepted_case(version=version, clerk=clerk, when="2025-11-04 10:00")
    elsewhere = accepted_case(version=other_version, clerk=other_clerk, when="2025-11-03 10:00")
    scan("2025-11-10 18:00")
    return {"red_window": red_window, "red_online": red_online, "yellow": yellow, "elsewhere": elsewhere}


def _numbers(response):
    return [row["case"]["number"] for row in response.json()["results"]]


def test_signed_in_supervisors_only(client, world, clerk):
    response = client.get(URL)
    assert response.status_code in (401, 403) and response.json()["code"] == "not_authenticated"
    client.force_login(clerk)
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json()["message"] == "只有电子监察员、大厅管理员和部门负责人可以查看电子监察信息。"


def test_the_red_list_shows_an_overdue_case_with_its_facts(client, world, inspector, clerk, window):
    client.force_login(inspector)
    body = client.get(URL, {"level": "red", "open": "true"}).json()
    assert set(_numbers_from(body)) == {world[k].number for k in ("red_window", "red_online", "elsewhere")}
    row = next(r for r in body["results"] if r["case"]["number"] == world["red_window"].number)
    assert row["level"] == "red" and row["level_label"] == "红牌" and row["step"] == "case"
    assert row["issued_at"] == "2025-11-10T17:30:00+08:00" and row["open"] is True
    assert row["window"] == {"id": window.pk, "number": "4", "name": "综合受理窗口"}
    assert row["hall"]["name"] == "云溪县政务服务中心"
    assert row["responsible"] == {"id": clerk.pk, "name": "张丽"}
    assert row["item"]["name"] == "食品经营许可" and row["late_by_seconds"] is None
    assert body["has_next"] is False and body["next"] is None
    online = next(r for r in body["results"] if r["case"]["number"] == world["red_online"].number)
    assert online["hall"] is None and online["window"] is None and online["department"]["name"] == "云溪县市场监督管理局"


def _numbers_from(body):
    return [row["case"]["number"] for row in body["results"]]


def test_filters(client, world, inspector, dept, window, clerk, version):
    client.force_login(inspector)
    assert set(_numbers(client.get(URL, {"level": "red", "department": dept.pk}))) == {
        world["red_window"].number, world["red_online"].number}
    assert _numbers(client.get(URL, {"level": "yellow", "open": "true"})) == [world["yellow"].number]
    assert _numbers(client.get(URL, {"window": window.pk, "level": "red"})) == [world["red_window"].number]
    assert _numbers(client.get(URL, {"hall": window.hall_id, "level": "red"})) == [world["red_window"].number]
    assert len(_numbers(client.get(URL, {"staff": clerk.pk}))) == 5  # 2 red + their 2 escalated yellow + 1 yellow
    assert len(_numbers(client.get(URL, {"item": version.item.implementation_code, "level": "red"}))) == 2
    assert _numbers(client.get(URL, {"since": "2025-11-11"})) == []
    assert len(_numbers(client.get(URL, {"until": "2025-11-10", "level": "red"}))) == 3
    page = client.get(URL, {"page_size": 2}).json()
    assert page["has_next"] is True and "page=2" in page["next"] and page["previous"] is None
    second = client.get(page["next"]).json()
    assert second["previous"] is not None and not set(_numbers_from(second)) & set(_numbers_from(page))


def test_bad_filters_are_400_with_the_parameter_named(client, world, inspector):
    client.force_login(inspector)
    response = client.get(URL, {"level": "orange", "department": 999999, "item": "NOPE", "window": "x",
                                "open": "maybe", "page_size": 500})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"level", "department", "item", "window", "open", "page_size"}
    response = client.get(URL, {"since": "2025-11-10", "until": "2025-11-01"})
    assert response.status_code == 400 and "until" in response.json()["fields"]


def test_data_scope(client, world, dept, other_dept, window):
    my_head = staff(Role.DEPARTMENT_HEAD, dept, username="head-scjg")
    client.force_login(my_head)
    assert world["elsewhere"].number not in _numbers(client.get(URL))
    assert len(_numbers(client.get(URL, {"level": "red"}))) == 2
    # Another department's head sees nothing of this department, even when asking for it.
    other_head = staff(Role.DEPARTMENT_HEAD, other_dept, username="head-mz")
    client.force_login(other_head)
    assert _numbers(client.get(URL, {"department": dept.pk})) == []
    assert _numbers(client.get(URL, {"level": "red"})) == [world["elsewhere"].number]
    # A regional inspector of another county sees nothing; one of this county sees everything here.
    outside = staff(Role.INSPECTOR, None, username="inspector-far")
    StaffRole.objects.filter(user=outside).update(region=RegionFactory(code="110105", name="朝阳区"))
    client.force_login(outside)
    assert _numbers(client.get(URL)) == []
    # A hall manager of this county's hall sees its halls and departments.
    manager = staff(Role.HALL_MANAGER, None, username="manager")
    StaffRole.objects.filter(user=manager).update(region=window.hall.region)
    client.force_login(manager)
    assert len(_numbers(client.get(URL, {"level": "red"}))) == 3


def test_the_list_costs_the_same_queries_whatever_its_length(client, world, inspector, version, clerk,
                                                            django_assert_num_queries):
    client.force_login(inspector)
    client.get(URL)  # warm the calendar and content types
    with django_assert_num_queries(4):  # session, user, staff roles, one page of cards
        assert len(_numbers(client.get(URL))) == 7
    for _ in range(4):
        accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    scan("2025-11-10 18:05", full=True)
    with django_assert_num_queries(4):
        assert len(_numbers(client.get(URL))) == 15
    # session, user, staff roles, one lookup per filter (department, item), one grouped query per grouping
    with django_assert_num_queries(3 + 2 + 3):
        client.get("/api/v1/supervision/summary", {"department": version.item.department_id,
                                                   "item": version.item.implementation_code})


def test_summary_counts_by_department_window_and_staff(client, world, inspector, dept, other_dept, window, clerk):
    client.force_login(inspector)
    body = client.get("/api/v1/supervision/summary", {"open": "true"}).json()
    assert body["totals"] == {"yellow": 1, "red": 3}
    assert body["departments"] == [{"id": dept.pk, "name": dept.name, "yellow": 1, "red": 2},
                                   {"id": other_dept.pk, "name": other_dept.name, "yellow": 0, "red": 1}]
    assert body["windows"] == [{"id": window.pk, "number": "4", "name": "综合受理窗口", "hall": "云溪县政务服务中心",
                                "yellow": 0, "red": 1}]
    assert body["staff"][0] == {"id": clerk.pk, "name": "张丽", "yellow": 1, "red": 2}
    all_time = client.get("/api/v1/supervision/summary").json()
    assert all_time["totals"] == {"yellow": 4, "red": 3}  # escalated yellow cards stay on the record


def test_a_late_completion_stays_on_the_list_with_how_late(client, world, inspector, reviewer,
                                                          django_capture_on_commit_callbacks):
    case = world["red_online"]
    with freeze_time(at("2025-11-11 09:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
        cases.case_complete(actor=reviewer, case=case)
    client.force_login(inspector)
    rows = client.get(URL, {"level": "red", "open": "false"}).json()["results"]
    assert [(r["case"]["number"], r["late_by_seconds"], r["open"]) for r in rows] == [
        (case.number, 15 * 3600 + 30 * 60, False)]
    assert rows[0]["case"]["status"] == "completed" and rows[0]["resolved_at"] == "2025-11-11T09:00:00+08:00"


def test_anomalies_list_and_review(client, version, clerk, reviewer, inspector, head):
    case = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    with freeze_time(at("2025-11-03 10:03")):
        cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
    with freeze_time(at("2025-11-03 11:00")):
        services.anomalies_detect()
    anomaly = Anomaly.objects.get()
    client.force_login(inspector)
    body = client.get("/api/v1/supervision/anomalies", {"rule": "quick_decision", "verdict": "pending"}).json()
    assert [(r["case"]["number"], r["rule_label"], r["account"]["name"]) for r in body["results"]] == [
        (case.number, "受理后短时间内作出决定", "陈志强")]
    assert body["results"][0]["detail"]["minutes"] == 3.0
    assert client.get("/api/v1/supervision/anomalies", {"rule": "bogus"}).status_code == 400
    review = f"/api/v1/supervision/anomalies/{anomaly.pk}/review"
    response = client.post(review, {"verdict": "pending", "comment": ""}, content_type="application/json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"verdict", "comment"}
    client.force_login(head)
    assert client.post(review, {"verdict": "confirmed", "comment": "x"},
                       content_type="application/json").status_code == 403
    client.force_login(inspector)
    response = client.post(review, {"verdict": "explained", "comment": "现场核实后当场决定"},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["verdict"] == "explained" and response.json()["reviewed_by"]["name"] == "赵敏"
    assert client.post(review, {"verdict": "confirmed", "comment": "再议"},
                       content_type="application/json").status_code == 409
    assert client.post("/api/v1/supervision/anomalies/999999/review", {"verdict": "confirmed", "comment": "x"},
                       content_type="application/json").status_code == 404


def test_the_selector_refuses_anonymous_users():
    from onewindow.core.errors import PermissionDenied
    from onewindow.supervision.selectors import cards_list

    with pytest.raises(PermissionDenied):
        cards_list(user=AnonymousUser())


def test_done_when_a_case_past_its_deadline_shows_a_red_card(client, version, clerk, inspector):
    """The issue's acceptance criterion, end to end through the beat task."""
    from onewindow.supervision.tasks import supervision_scan

    case = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    with freeze_time(at("2025-11-10 17:35")):
        result = supervision_scan.delay().get()
    assert result["red"] == 1
    client.force_login(inspector)
    assert _numbers(client.get(URL, {"level": "red"})) == [case.number]
    assert Card.objects.get(case=case, level=CardLevel.RED).issued_at == case.due_at
