"""Bad ratings reach the department head as a 工作提醒: when the record opens and when a step goes overdue."""

import datetime as dt

import pytest
from freezegun import freeze_time

from onewindow.notifications.models import StaffNotice
from onewindow.ratings import services
from onewindow.ratings.models import BadRatingCase

from .conftest import login, post

pytestmark = pytest.mark.django_db


def _rate(make_case, citizen, committed, level):
    case = make_case()
    committed(post, login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": level,
                                         "options": ["服务态度差"] if level <= 2 else []})
    return case


def test_a_bad_rating_alerts_the_department_head_once(make_case, citizen, head, other_head, committed):
    case = _rate(make_case, citizen, committed, level=2)
    bad = BadRatingCase.objects.get(case=case)
    notice = StaffNotice.objects.get()
    assert notice.recipient == head and notice.kind == "ratings"
    assert case.number in notice.title and "核实" in notice.body
    assert notice.url == f"/workbench/ratings/bad/{bad.pk}/"
    committed(services.bad_case_open, rating=bad.rating)  # opening again (a retried receiver) alerts nobody
    assert StaffNotice.objects.count() == 1


def test_a_good_rating_alerts_nobody(make_case, citizen, head, committed):
    _rate(make_case, citizen, committed, level=5)
    assert not StaffNotice.objects.exists()


def test_an_overdue_verification_alerts_once_per_stage(make_case, citizen, head, committed):
    case = _rate(make_case, citizen, committed, level=1)
    bad = BadRatingCase.objects.get(case=case)
    later = bad.verify_due_at + dt.timedelta(hours=1)
    with freeze_time(later):
        committed(services.overdue_scan, now=later)
        committed(services.overdue_scan, now=later)
    overdue = StaffNotice.objects.filter(key__startswith="ratings:overdue:")
    assert overdue.count() == 1 and "核实超期" in overdue.get().title
