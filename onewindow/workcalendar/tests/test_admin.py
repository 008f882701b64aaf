import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from onewindow.accounts.testing import staff_login
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import UserFactory, staff
from onewindow.workcalendar.constants import DayKind
from onewindow.workcalendar.models import CalendarDay, CalendarYear

from .factories import LISTING_2027

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    staff_login(client, user)  # /admin needs password + TOTP
    return client


@freeze_time("2026-11-23 10:00:00+08:00")
def test_the_year_list_tells_administrators_which_year_to_configure(admin_client):
    response = admin_client.get(reverse("admin:workcalendar_calendaryear_changelist"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "以下年度尚未配置工作日历：2027" in text
    assert "导入年度节假日安排" in text
    response = admin_client.get(reverse("admin:workcalendar_calendarday_changelist"), {"year": "2025", "kind": "makeup"})
    assert response.status_code == 200
    assert "以下年度尚未配置工作日历：2027" in response.content.decode()
    assert response.context["cl"].result_count == 5


@freeze_time("2026-11-23 10:00:00+08:00")
def test_importing_a_year_from_the_admin(admin_client):
    url = reverse("admin:workcalendar_calendaryear_import")
    page = admin_client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["year"] == 2027
    response = admin_client.post(url, {"year": 2027, "text": LISTING_2027, "complete": "on", "note": "国办通知"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).is_complete
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 9)).kind == DayKind.MAKEUP
    assert AuditEvent.objects.filter(action="workcalendar.year_import", actor__username="root").exists()
    # and the existing year comes back pre-filled, ranges folded
    page = admin_client.get(url, {"year": 2027})
    assert "休 2027-10-01..2027-10-07 国庆节" in page.context["form"].initial["text"]


def test_a_bad_listing_is_shown_line_by_line(admin_client):
    url = reverse("admin:workcalendar_calendaryear_import")
    response = admin_client.post(url, {"year": 2027, "text": "休 2027-01-01 元旦\n放 2027-02-06 春节\n班 2027-02-08 春节"})
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert any("第 2 行" in e for e in errors)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_editing_a_day_goes_through_the_service(admin_client):
    day = CalendarDay.objects.get(date=dt.date(2026, 3, 3))
    url = reverse("admin:workcalendar_calendarday_change", args=[day.pk])
    response = admin_client.post(url, {"kind": DayKind.HOLIDAY, "holiday_name": "县庆", "note": "县政府通知"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.kind, day.holiday_name) == (DayKind.HOLIDAY, "县庆")
    assert AuditEvent.objects.filter(action="workcalendar.day_set", object_id=str(day.pk)).exists()


def test_an_impossible_day_is_a_form_error(admin_client):
    day = CalendarDay.objects.get(date=dt.date(2026, 3, 4))  # a Wednesday
    url = reverse("admin:workcalendar_calendarday_change", args=[day.pk])
    response = admin_client.post(url, {"kind": DayKind.MAKEUP, "holiday_name": "春节"})
    assert response.status_code == 200
    assert "不能设为调休上班日" in str(response.context["adminform"].form.errors)
    day.refresh_from_db()
    assert day.kind == DayKind.WORKDAY


def test_marking_a_year_complete_needs_its_holidays(admin_client):
    response = admin_client.post(reverse("admin:workcalendar_calendaryear_add"),
                                 {"year": 2028, "is_complete": "on", "note": ""}, follow=True)
    assert "尚未录入任何法定节假日" in response.content.decode()
    assert not CalendarYear.objects.get(year=2028).is_complete


def test_staff_without_the_role_cannot_edit(client):
    clerk = staff(Role.CLERK, None, username="clerk", is_staff=True)
    staff_login(client, clerk)
    assert client.get(reverse("admin:workcalendar_calendaryear_import")).status_code == 403
