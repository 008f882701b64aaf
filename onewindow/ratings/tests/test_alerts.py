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


def test_the_reply_reaches_the_applicant_with_the_link(make_case, citizen, head, committed, settings):
    from onewindow.notifications.models import Message

    settings.RATINGS_LINK_BASE_URL = "https://zwfw.example.gov.cn"
    case = _rate(make_case, citizen, committed, level=2)
    bad = BadRatingCase.objects.get(case=case)
    before = Message.objects.filter(case=case).count()
    committed(services.bad_case_verify, actor=head, bad_case=bad, note="经核实，窗口未一次性告知")
    committed(services.bad_case_reply, actor=head, bad_case=bad, outcome="rectified", reply="已对窗口人员批评教育",
              changes="完善一次性告知清单")
    message = Message.objects.filter(case=case).exclude(event__isnull=False).get()
    assert Message.objects.filter(case=case).count() == before + 1
    assert message.recipient == citizen and message.title == "您的评价已收到答复"
    assert "已对窗口人员批评教育" in message.body and case.number in message.body
    assert "https://zwfw.example.gov.cn/rate/" in message.body and message.params["reply_url"].endswith("/reply/")


def test_without_a_site_address_the_reply_points_to_my_cases(make_case, citizen, head, committed, settings):
    from onewindow.notifications.models import Message

    settings.RATINGS_LINK_BASE_URL = ""
    case = _rate(make_case, citizen, committed, level=1)
    bad = BadRatingCase.objects.get(case=case)
    committed(services.bad_case_verify, actor=head, bad_case=bad, note="核实")
    committed(services.bad_case_reply, actor=head, bad_case=bad, outcome="explained", reply="该要求无法律依据")
    message = Message.objects.get(case=case, event__isnull=True)
    assert "我的办件" in message.body and "/rate/" not in message.body
