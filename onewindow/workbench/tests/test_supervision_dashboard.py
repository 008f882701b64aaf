"""The supervision dashboard (电子监察) of the workbench: figures, charts, lists, drill-down, scope, verdicts."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import HallFactory, WindowFactory, staff
from onewindow.supervision import selectors
from onewindow.supervision.constants import AnomalyRule, CardLevel, CardStep, Verdict
from onewindow.supervision.models import Anomaly, Card
from onewindow.supervision.tests.factories import accepted_case, at, scan

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workbench:supervision")
CARDS = reverse("workbench:supervision_cards")
ANOMALIES = reverse("workbench:supervision_anomalies")


@pytest.fixture
def version(dept):
    return published_item(department=dept, name="食品经营许可")


@pytest.fixture
def other_version(other_dept):
    return published_item(department=other_dept, name="道路运输经营许可")


@pytest.fixture
def other_clerk(other_dept):
    return staff(Role.CLERK, other_dept, name="孙窗口")


@pytest.fixture
def inspector():
    return staff(Role.INSPECTOR, None, username="inspector", name="赵敏")


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, name="陈审查")


@pytest.fixture
def window():
    return WindowFactory(hall=HallFactory(name="示范县政务服务中心"), number="4", name="综合受理窗口")


@pytest.fixture
def world(version, other_version, clerk, other_clerk, window):
    """Market department: two red cases (one at window 4), one yellow; transport: one red."""
    red_window = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00", channel="window",
                               window=window, actor=clerk)
    red_online = accepted_case(version=version, clerk=clerk, when="2025-11-03 11:00")
    yellow = accepted_case(version=version, clerk=clerk, when="2025-11-04 10:00")
    elsewhere = accepted_case(version=other_version, clerk=other_clerk, when="2025-11-03 10:00")
    scan("2025-11-10 18:00")
    return {"red_window": red_window, "red_online": red_online, "yellow": yellow, "elsewhere": elsewhere}


def _main(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------ who may see what


def test_clerks_and_reviewers_get_the_forbidden_page_in_chinese(client, clerk, reviewer):
    for user in (clerk, reviewer):
        client.force_login(user)
        for url in (DASHBOARD, CARDS, ANOMALIES):
            response = client.get(url)
            assert response.status_code == 403
            assert "只有电子监察员、大厅管理员和部门负责人可以查看电子监察信息。" in _main(response)
        assert "监察概览" not in _main(client.get(reverse("workbench:home")))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nav_links_only_for_supervising_roles(client, inspector, head):
    for user in (inspector, head):
        client.force_login(user)
        html = _main(client.get(reverse("workbench:home")))
        assert f'href="{DASHBOARD}"' in html and f'href="{ANOMALIES}"' in html


def test_a_department_head_sees_only_their_department(client, world, head):
    client.force_login(head)
    html = _main(client.get(DASHBOARD))
    assert world["red_window"].number in html and world["red_online"].number in html
    assert world["elsewhere"].number not in html
    assert "示范县交通运输局" not in html
    # A card of another department by URL: 404, nothing revealed.
    other = Card.objects.get(case=world["elsewhere"], level=CardLevel.RED)
    response = client.get(reverse("workbench:supervision_card", args=[other.pk]))
    assert response.status_code == 404 and "不在您的监察范围内" in _main(response)
    # A filter outside the scope finds nothing.
    response = client.get(CARDS, {"department": world["elsewhere"].department_id})
    assert world["elsewhere"].number not in _main(response)


def test_the_inspector_sees_the_card_page_and_drills_down_to_the_case(client, world, inspector):
    client.force_login(inspector)
    card = Card.objects.get(case=world["elsewhere"], level=CardLevel.RED)
    html = _main(client.get(reverse("workbench:supervision_card", args=[card.pk])))
    assert reverse("workbench:case", args=[world["elsewhere"].number]) in html
    assert client.get(reverse("workbench:case", args=[world["elsewhere"].number])).status_code == 200


# ------------------------------------------------------------------ the dashboard


def test_dashboard_figures_red_first(client, world, inspector):
    client.force_login(inspector)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = _main(response)
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))
    assert figures["open_red"] == "3" and figures["open_yellow"] == "1"
    assert html.index('data-figure="open_red"') < html.index('data-figure="open_yellow"')
    # The card list: red cards before the yellow one, each row linking to the case page.
    table = html[html.index('id="sup-cards"'):]
    assert table.index(world["red_online"].number) < table.index(world["yellow"].number)
    assert table.index(world["elsewhere"].number) < table.index(world["yellow"].number)
    for case in world.values():
        assert reverse("workbench:case", args=[case.number]) in html


def test_dashboard_includes_echarts_and_json_data_and_no_inline_script(client, world, inspector, dept):
    client.force_login(inspector)
    html = _main(client.get(DASHBOARD))
    assert "vendor/echarts/echarts.common.min.js" in html and "ow/charts.js" in html
    for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
        attrs, body = script
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        if body.strip():
            assert 'type="application/json"' in attrs
    data = re.search(r'<script id="chart-departments" type="application/json">(.*?)</script>', html, re.S)
    spec = json.loads(data.group(1))
    assert spec["type"] == "hbar" and spec["categories"][0] == dept.name
    assert [s["name"] for s in spec["series"]] == ["红牌", "黄牌"]
    assert spec["series"][0]["data"][0] == 2 and spec["series"][1]["data"][0] == 1
    assert spec["links"][0].startswith(CARDS) and f"department={dept.pk}" in spec["links"][0]
    assert 'data-chart="chart-departments"' in html and 'data-chart="chart-windows"' in html
    # The same figures as a table.
    assert re.search(rf"{re.escape(dept.name)}</a></th><td class=\"num sup-red\">2</td><td class=\"num\">1</td>",
                     html)


def test_filters_by_level_and_department_with_htmx(client, world, inspector, other_dept):
    client.force_login(inspector)
    response = client.get(DASHBOARD, {"department": other_dept.pk}, HTTP_HX_REQUEST="true")
    html = _main(response)
    assert "<html" not in html  # only the results
    assert world["elsewhere"].number in html and world["red_online"].number not in html
    response = client.get(CARDS, {"level": "yellow"}, HTTP_HX_REQUEST="true")
    html = _main(response)
    assert world["yellow"].number in html and world["red_online"].number not in html


def test_state_closed_lists_the_record_after_completion(client, world, inspector):
    client.force_login(inspector)
    html = _main(client.get(CARDS, {"state": "closed"}))
    # The escalated yellow cards are no longer current.
    assert world["red_online"].number in html and "已转红牌" in html
    html = _main(client.get(CARDS, {"state": "open", "level": "yellow"}))
    assert world["red_online"].number not in html and world["yellow"].number in html


def test_window_and_staff_drill_down(client, world, inspector, window, clerk):
    client.force_login(inspector)
    html = _main(client.get(CARDS, {"window": window.pk}))
    assert world["red_window"].number in html and world["red_online"].number not in html
    assert "只看 4号窗口" in html
    html = _main(client.get(CARDS, {"staff": clerk.pk}))
    assert world["red_online"].number in html and world["elsewhere"].number not in html


def test_card_list_paginates_on_the_server(client, world, inspector, monkeypatch):
    from onewindow.workbench.views import supervision

    monkeypatch.setattr(supervision, "PAGE_SIZE", 2)
    client.force_login(inspector)
    first = _main(client.get(CARDS, {"state": "all"}))
    second = _main(client.get(CARDS, {"state": "all", "page": 2}))
    assert "下一页" in first and "上一页" in second
    numbers = lambda html: set(re.findall(r"/workbench/cases/(\w+)/", html))  # noqa: E731
    assert numbers(first).isdisjoint(numbers(second)) or len(numbers(first)) == 2


def test_a_bad_filter_value_is_ignored_not_a_500(client, world, inspector):
    client.force_login(inspector)
    for params in ({"department": "abc"}, {"since": "2025-13-40"}, {"level": "orange"}, {"page": "x"},
                   {"since": "2025-12-01", "until": "2025-11-01"}):
        assert client.get(CARDS, params).status_code == 200
        assert client.get(DASHBOARD, params).status_code == 200


def test_period_filters_by_issue_date(client, world, inspector):
    client.force_login(inspector)
    html = _main(client.get(DASHBOARD, {"since": "2025-12-01"}))
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))
    assert figures["open_red"] == "0" and "期间内已结束" in html
    html = _main(client.get(DASHBOARD, {"since": "2025-11-01", "until": "2025-11-30"}))
    assert dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))["open_red"] == "3"


# ------------------------------------------------------------------ fixed number of queries


def _many_cards(version, clerk, n: int):
    """n cards quickly: n/2 cases, each with a red card and its escalated yellow one, plus anomalies."""
    created = []
    for i in range((n + 1) // 2):
        case = accepted_case(version=version, clerk=clerk, when=f"2025-10-{1 + i % 28:02d} 10:00")
        created.append(case)
        due = case.due_at
        Card.objects.bulk_create([
            Card(case=case, level=CardLevel.YELLOW, step=CardStep.CASE, issued_at=case.warn_at, deadline_at=due,
                 department_id=case.department_id, item_id=case.item_id, responsible=clerk, escalated_at=due),
            Card(case=case, level=CardLevel.RED, step=CardStep.CASE, issued_at=due, deadline_at=due,
                 department_id=case.department_id, item_id=case.item_id, responsible=clerk),
        ])
        Anomaly.objects.create(case=case, rule=AnomalyRule.QUICK_DECISION, account=clerk,
                               department_id=case.department_id, item_id=case.item_id, occurred_at=due,
                               detail={"minutes": 2.0})
    return created


@pytest.mark.parametrize("url", [DASHBOARD, CARDS, ANOMALIES])
def test_pages_render_in_the_same_number_of_queries_for_3_and_30_cards(client, version, clerk, inspector, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(inspector)
    _many_cards(version, clerk, 3)
    client.get(url, {"state": "all"})  # warm the content types and the calendar
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"state": "all"})
    assert response.status_code == 200 and Card.objects.count() == 4
    _many_cards(version, clerk, 30)
    assert Card.objects.count() >= 30
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"state": "all"})
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many]
    assert response.content.decode().count("/workbench/cases/") >= 10


def test_hall_manager_of_the_region_sees_it_and_a_far_inspector_sees_nothing(client, world, window):
    from onewindow.org.models import StaffRole
    from onewindow.org.tests.factories import RegionFactory

    manager = staff(Role.HALL_MANAGER, None, username="manager")
    StaffRole.objects.filter(user=manager).update(region=window.hall.region)
    client.force_login(manager)
    html = _main(client.get(DASHBOARD))
    assert world["red_window"].number in html and world["elsewhere"].number in html
    assert f'<option value="{window.hall_id}"' in html  # the hall filter lists the region's halls
    far = staff(Role.INSPECTOR, None, username="inspector-far")
    StaffRole.objects.filter(user=far).update(region=RegionFactory(code="110105", name="朝阳区"))
    client.force_login(far)
    html = _main(client.get(DASHBOARD))
    assert dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))["open_red"] == "0"
    assert world["red_window"].number not in html


# ------------------------------------------------------------------ anomalies and verdicts


@pytest.fixture
def finding(world, clerk):
    case = world["red_online"]
    return Anomaly.objects.create(case=case, rule=AnomalyRule.QUICK_DECISION, account=clerk,
                                  department_id=case.department_id, item_id=case.item_id,
                                  occurred_at=at("2025-11-03 11:05"),
                                  detail={"minutes": 3.0, "limit_minutes": 10,
                                          "accepted_at": "2025-11-03T11:02:00+08:00"})


def test_anomaly_list_shows_the_rule_label_and_links_to_the_case(client, finding, inspector):
    client.force_login(inspector)
    html = _main(client.get(ANOMALIES))
    assert "受理后短时间内作出决定" in html
    assert reverse("workbench:case", args=[finding.case.number]) in html
    assert reverse("workbench:supervision_anomaly", args=[finding.pk]) in html
    dashboard = _main(client.get(DASHBOARD))
    assert dict(re.findall(r'data-figure="(\w+)">(\d+)<', dashboard))["anomalies"] == "1"
    assert "受理后短时间内作出决定" in dashboard


def test_an_inspector_records_a_verdict_once(client, finding, inspector):
    client.force_login(inspector)
    url = reverse("workbench:supervision_anomaly", args=[finding.pk])
    html = _main(client.get(url))
    assert "受理至决定间隔（分钟）" in html and "2025-11-03 11:02" in html
    response = client.post(url, {"verdict": "confirmed", "comment": ""})
    assert response.status_code == 400 and "请填写核查说明。" in _main(response)
    response = client.post(url, {"comment": "说明"})
    assert response.status_code == 400 and "请选择核查结论。" in _main(response)
    response = client.post(url, {"verdict": "confirmed", "comment": "核实为线下审批后补录。"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.verdict == Verdict.CONFIRMED and finding.reviewed_by == inspector
    html = _main(client.get(url))
    assert "核查结论已记录。" in html and "核实为线下审批后补录。" in html and "提交核查结论" not in html
    response = client.post(url, {"verdict": "explained", "comment": "再次核查"})
    assert response.status_code == 400 and "不能重复核查" in _main(response)


def test_a_department_head_sees_findings_but_cannot_judge(client, finding, head):
    client.force_login(head)
    url = reverse("workbench:supervision_anomaly", args=[finding.pk])
    html = _main(client.get(url))
    assert "待电子监察员核查" in html and "提交核查结论" not in html
    response = client.post(url, {"verdict": "explained", "comment": "正常"})
    assert response.status_code == 403 and "只有电子监察员可以核查异常办件。" in _main(response)
    finding.refresh_from_db()
    assert finding.verdict == Verdict.PENDING


def test_a_finding_outside_the_scope_is_404(client, world, other_clerk, outsider):
    case = world["red_online"]
    anomaly = Anomaly.objects.create(case=case, rule=AnomalyRule.NO_DECIDE_STEP, department_id=case.department_id,
                                     item_id=case.item_id, occurred_at=at("2025-11-03 11:05"))
    client.force_login(outsider)
    response = client.get(reverse("workbench:supervision_anomaly", args=[anomaly.pk]))
    assert response.status_code == 404


# ------------------------------------------------------------------ the selectors the dashboard added


def test_cards_list_red_first_and_other_orderings(world, inspector):
    rows = selectors.cards_list(user=inspector, ordering="red_first", open_only=True).results
    levels = [c.level for c in rows]
    assert levels == sorted(levels, key=lambda v: v != "red") and levels[0] == "red" and levels[-1] == "yellow"
    oldest = selectors.cards_list(user=inspector, ordering="oldest").results
    assert [c.issued_at for c in oldest] == sorted(c.issued_at for c in oldest)
    deadline = selectors.cards_list(user=inspector, ordering="deadline").results
    assert [c.deadline_at for c in deadline] == sorted(c.deadline_at for c in deadline)
    assert selectors.cards_list(user=inspector, ordering="nonsense").results  # falls back to newest


def test_cards_totals_and_anomalies_count(world, inspector, head, clerk, django_assert_num_queries):
    totals = selectors.cards_totals(user=inspector)
    assert (totals["open_red"], totals["open_yellow"], totals["red"], totals["yellow"]) == (3, 1, 3, 4)
    assert selectors.cards_totals(user=head)["open_red"] == 2
    assert selectors.cards_totals(user=inspector, since=dt.date(2025, 12, 1))["red"] == 0
    with django_assert_num_queries(1):
        selectors.cards_totals(user=inspector)
    case = world["red_online"]
    Anomaly.objects.create(case=case, rule=AnomalyRule.NO_DECIDE_STEP, department_id=case.department_id,
                           item_id=case.item_id, occurred_at=at("2025-11-03 11:05"))
    assert selectors.anomalies_count(user=inspector, verdict=Verdict.PENDING) == 1
    assert selectors.anomalies_count(user=inspector, verdict=Verdict.CONFIRMED) == 0


def test_card_get_scoped(world, inspector, outsider):
    card = Card.objects.get(case=world["red_online"], level=CardLevel.RED)
    assert selectors.card_get(user=inspector, card_id=card.pk).department_name
    from onewindow.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.card_get(user=outsider, card_id=card.pk)

