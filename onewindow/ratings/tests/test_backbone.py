"""The journey of issue 5: a citizen rates a completed case 不满意 through the signed link (no login), the
department sees the rectification record with its deadline and replies, the citizen accepts the reply, and the
statistics change accordingly."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from onewindow.core.models import AuditEvent
from onewindow.ratings.constants import BadCaseStatus, ServiceEvent
from onewindow.ratings.models import BadRatingCase, Rating, RatingInvitation
from onewindow.workcalendar.clock import compute_deadline

from .conftest import login, post

pytestmark = pytest.mark.django_db


def _stats(client, **params):
    params.setdefault("period", timezone.localdate().strftime("%Y-%m"))
    response = client.get("/api/v1/ratings/stats", params)
    assert response.status_code == 200, response.content
    return response.json()


@freeze_time("2026-11-18 10:00:00+08:00")  # a Wednesday
def test_bad_rating_through_the_link_to_an_accepted_reply(make_case, head, clerk, citizen):
    case = make_case()
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)
    boss = login(head)
    before = _stats(boss)["total"]
    assert (before["completed_cases"], before["rated"], before["rating_rate"]) == (1, 0, 0.0)

    # The applicant opens the link from the SMS: no login.
    anonymous = Client()
    page = anonymous.get("/api/v1/ratings/invitation", {"token": invitation.token})
    assert page.status_code == 200
    assert page.json()["item_name"] == "食品经营许可" and page.json()["staff_name"] == "钱窗口"
    response = post(anonymous, "", {"token": invitation.token, "level": 2, "options": ["办事效率低", "多次跑动"],
                                    "comment": "跑了三趟才办好"})
    assert response.status_code == 201, response.content
    rating = response.json()
    assert (rating["level_label"], rating["channel"]) == ("不满意", "mobile_link")
    assert rating["bad_case"]["status"] == "verifying"

    # The department sees the rectification record, with its stored deadlines and the applicant (masked).
    listing = boss.get("/api/v1/ratings/bad-cases")
    assert listing.status_code == 200
    [row] = listing.json()["results"]
    bad = BadRatingCase.objects.get()
    assert row["id"] == bad.pk and row["case"] == case.number
    assert row["applicant_name"] == "李明" and row["applicant_id_masked"].startswith("*")
    opened = Rating.objects.get().rated_at
    assert bad.verify_due_at == compute_deadline(opened, 1).due_at
    assert bad.reply_due_at == compute_deadline(opened, 15).due_at
    assert timezone.localtime(bad.verify_due_at).date() == dt.date(2026, 11, 19)
    assert AuditEvent.objects.filter(action="ratings.bad_case_view", actor=head, object_id=str(bad.pk)).exists()

    # Stats now: one rated case of one completed, no good rating.
    mid = _stats(boss)["total"]
    assert (mid["rated"], mid["bad"], mid["rating_rate"], mid["good_rate"]) == (1, 1, 1.0, 0.0)
    assert (mid["real_name_bad"], mid["bad_on_time"], mid["followed_up"]) == (1, 0, 0)

    # Verify, then reply with what was changed.
    assert post(boss, f"/bad-cases/{bad.pk}/verify", {"note": "属实：材料清单未一次性告知"}).status_code == 200
    response = post(boss, f"/bad-cases/{bad.pk}/reply", {
        "outcome": "rectified", "reply": "已向您致歉，并已修订一次性告知单。", "changes": "修订告知单，窗口培训"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied" and response.json()["replied_on_time"] is True

    # The citizen sees the reply (through the same link) and accepts it.
    response = post(anonymous, f"/bad-cases/{bad.pk}/respond", {"token": invitation.token, "satisfied": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == BadCaseStatus.FOLLOW_UP
    assert response.json()["reply"] == "已向您致歉，并已修订一次性告知单。"

    # The follow-up call closes it.
    response = post(boss, f"/bad-cases/{bad.pk}/follow-up", {"reached": True, "note": "回访：满意"})
    assert response.status_code == 200 and response.json()["status"] == "closed"

    after = _stats(boss)["total"]
    assert (after["bad_replied"], after["bad_on_time"], after["on_time_rate"]) == (1, 1, 1.0)
    assert (after["followed_up"], after["follow_up_rate"]) == (1, 1.0)
    by_level = after["by_level"]
    assert by_level["2"] == 1 and sum(by_level.values()) == 1


@freeze_time("2026-11-18 10:00:00+08:00")
def test_citizen_rates_online_and_the_applicant_sees_the_reply(make_case, citizen, head):
    case = make_case()
    me = login(citizen)
    response = post(me, "", {"case": case.number, "service_event": "accept", "level": 5,
                             "options": ["服务态度好"]})
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "online" and response.json()["bad_case"] is None
    mine = me.get("/api/v1/ratings").json()
    assert [r["service_event"] for r in mine] == ["accept"]
    stats = _stats(login(head), group_by="staff")
    assert [(r["label"], r["rated"], r["good"]) for r in stats["rows"]] == [("钱窗口", 1, 1)]


@freeze_time("2026-11-18 10:00:00+08:00")
def test_every_group_and_the_excel_file(make_case, head, citizen):
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 4})
    boss = login(head)
    for group in ("department", "window", "staff", "item", "channel", "hall", "month"):
        rows = _stats(boss, group_by=group)["rows"]
        assert sum(r["rated"] for r in rows) == 1, group
    assert _stats(boss, group_by="channel")["rows"][0]["label"] == "网上评价"
    response = boss.get("/api/v1/ratings/stats.xlsx", {"group_by": "department", "period": "2026-01..2026-12"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A3"].value == "县市场监管局" and ws["B3"].value == 1
    bad = boss.get("/api/v1/ratings/stats", {"group_by": "nope"})
    assert bad.status_code == 400 and "group_by" in bad.json()["fields"]
