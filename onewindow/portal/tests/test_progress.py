"""Public progress query (no sign-in) and the guide's 预计办结 line on the working-day clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from onewindow.cases import services
from onewindow.cases.tests.factories import person, submitted_case, valid_ric
from onewindow.catalogue.models import ItemVersion
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case():
    dept = DepartmentFactory(name="云溪县市场监督管理局")
    version = published_item(department=dept)
    case = submitted_case(version=version, applicant=person(8, name="周八"))
    services.case_accept(actor=staff(Role.CLERK, dept, username="clerk"), case=case)
    case.refresh_from_db()
    return case


def test_right_number_and_tail_show_status_events_and_due_date_without_personal_data(client, case):
    url = reverse("portal:progress")
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": case.number, "id_tail": valid_ric(8)[-6:].lower()})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("食品经营许可", "已受理（审查中）", "提交申请", "受理", "办结期限",
                 f"{case.due_at.astimezone(CST):%Y}年{case.due_at.astimezone(CST).month}月{case.due_at.astimezone(CST).day}日"):
        assert text in html, text
    assert "周八" not in html and valid_ric(8) not in html
    assert response["Cache-Control"] == "private, no-store"


def test_wrong_tail_and_unknown_number_get_the_same_message(client, case):
    url = reverse("portal:progress")
    wrong_tail = client.post(url, {"number": case.number, "id_tail": "000000"})
    unknown = client.post(url, {"number": "430422209901010000", "id_tail": valid_ric(8)[-6:]})
    message = "未找到该办件，请核对办件编号和证件号码后六位。"
    assert wrong_tail.status_code == unknown.status_code == 404
    assert message in wrong_tail.content.decode() and message in unknown.content.decode()
    assert "已受理" not in wrong_tail.content.decode()
    short = client.post(url, {"number": case.number, "id_tail": "123"})
    assert short.status_code == 400 and "请填写 6 位" in short.content.decode()


@override_settings(CASES_PROGRESS_NUMBER_RATE="3/hour")
def test_guessing_one_case_is_rate_limited(client, case):
    url = reverse("portal:progress")
    for tail in ("000001", "000002", "000003"):
        assert client.post(url, {"number": case.number, "id_tail": tail}).status_code == 404
    blocked = client.post(url, {"number": case.number, "id_tail": valid_ric(8)[-6:]})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()


@pytest.mark.parametrize(("now", "days", "unit", "expected"), [
    # Tue 30 Sep 2025, 5 working days: National Day (1–8 Oct) is skipped, Sat 11 Oct is a make-up day.
    (dt.datetime(2025, 9, 30, 10, 0, tzinfo=CST), 5, "workday", "若今日受理，预计 10月14日前办结"),
    # Fri 13 Feb 2026, 3 working days across the Spring Festival (make-up Sat 14 Feb counts).
    (dt.datetime(2026, 2, 13, 10, 0, tzinfo=CST), 3, "workday", "若今日受理，预计 2月25日前办结"),
    # Sun 28 Sep 2025, 3 natural days ending on a holiday: the first working day after it.
    (dt.datetime(2025, 9, 28, 9, 30, tzinfo=CST), 3, "natural", "若今日受理，预计 10月9日前办结"),
])
def test_guide_shows_the_expected_completion_date_across_holidays(client, now, days, unit, expected):
    version = published_item()
    # The guide's promise as data (the quality rules on step shares are not what this test is about).
    ItemVersion.objects.filter(pk=version.pk).update(promised_days=days, promised_days_unit=unit)
    with freeze_time(now):
        html = client.get(reverse("portal:guide_detail", args=[version.item.implementation_code])).content.decode()
    assert expected in html


def test_instant_item_says_so(client):
    version = published_item()
    ItemVersion.objects.filter(pk=version.pk).update(handling_type="instant", promised_days=0)
    with freeze_time(dt.datetime(2025, 9, 30, 18, 0, tzinfo=CST)):  # after office hours, before the holiday
        html = client.get(reverse("portal:guide_detail", args=[version.item.implementation_code])).content.decode()
    assert "即办件：若今日受理，预计 10月9日前办结" in html
