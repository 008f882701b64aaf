"""Bad-rating handling: appeals, an unsatisfied reply going back once with escalation, overdue cards."""

import datetime as dt

import pytest
from freezegun import freeze_time

from onewindow.ratings import rollups, services
from onewindow.ratings.constants import BadCaseStatus, CardStage
from onewindow.ratings.models import BadRatingCase, Rating, RectificationCard

from .conftest import login, post

pytestmark = pytest.mark.django_db


def _bad(make_case, citizen, level=1):
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": level,
                              "options": ["服务态度差"]})
    return BadRatingCase.objects.get(case=case)


def _total(user, period=None):
    params = {"period": period} if period else {}
    return login(user).get("/api/v1/ratings/stats", params).json()["total"]


def test_upheld_appeal_excludes_the_rating_from_stats_but_keeps_it(make_case, citizen, head, manager, clerk):
    bad = _bad(make_case, citizen)
    assert _total(head)["bad"] == 1
    staff = login(head)
    post(staff, f"/bad-cases/{bad.pk}/verify", {"note": "经查监控，窗口人员按规定办理"})
    response = post(staff, f"/bad-cases/{bad.pk}/appeal", {"reason": "申请人要求违规办理，未满足后恶意差评"})
    assert response.status_code == 200 and response.json()["status"] == "appealed"
    # Only the hall manager or the inspector decides; the department cannot.
    assert post(staff, f"/bad-cases/{bad.pk}/decide-appeal", {"upheld": True, "comment": "x"}).status_code == 403
    response = post(login(manager), f"/bad-cases/{bad.pk}/decide-appeal", {"upheld": True, "comment": "申诉成立"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    total = _total(head)
    assert (total["rated"], total["bad"], total["excluded"], total["rated_cases"]) == (0, 0, 1, 1)
    rating = Rating.objects.get()
    assert rating.excluded and rating.level == 1  # kept on record
    assert post(staff, f"/bad-cases/{bad.pk}/appeal", {"reason": "again"}).status_code == 409


def test_rejected_appeal_goes_back_to_rectification(make_case, citizen, head, inspector):
    bad = _bad(make_case, citizen)
    staff = login(head)
    post(staff, f"/bad-cases/{bad.pk}/verify", {"note": "核实"})
    post(staff, f"/bad-cases/{bad.pk}/appeal", {"reason": "误评"})
    response = post(login(inspector), f"/bad-cases/{bad.pk}/decide-appeal", {"upheld": False, "comment": "不成立"})
    assert response.json()["status"] == "rectifying"
    assert _total(head)["bad"] == 1


def test_unsatisfied_reply_goes_back_once_with_escalation(make_case, citizen, head):
    bad = _bad(make_case, citizen)
    staff, me = login(head), login(citizen)
    post(staff, f"/bad-cases/{bad.pk}/verify", {"note": "核实"})
    post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "explained", "reply": "该要求无政策依据。"})
    response = post(me, f"/bad-cases/{bad.pk}/respond", {"satisfied": False, "comment": "解释不清"})
    assert response.status_code == 200, response.content
    bad.refresh_from_db()
    assert (bad.status, bad.round, bad.escalated) == (BadCaseStatus.RECTIFYING, 2, True)
    assert "escalate" in [a.action for a in bad.actions.all()]
    post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "rectified", "reply": "已重新办理", "changes": "流程调整"})
    response = post(me, f"/bad-cases/{bad.pk}/respond", {"satisfied": False})
    bad.refresh_from_db()
    assert (bad.status, bad.round) == (BadCaseStatus.FOLLOW_UP, 2)  # no third round
    # Replied on time in round 1 counts once.
    assert _total(head)["bad_replied"] == 1
    assert me.get("/api/v1/ratings").json()[0]["bad_case"]["reply"] == "已重新办理"


def test_only_the_applicant_responds(make_case, citizen, stranger, head):
    bad = _bad(make_case, citizen)
    staff = login(head)
    post(staff, f"/bad-cases/{bad.pk}/verify", {"note": "核实"})
    post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "explained", "reply": "说明"})
    assert post(login(stranger), f"/bad-cases/{bad.pk}/respond", {"satisfied": True}).status_code == 404


def test_reply_needs_verification_and_rectified_needs_changes(make_case, citizen, head, clerk):
    bad = _bad(make_case, citizen)
    staff = login(head)
    early = post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "explained", "reply": "说明"})
    assert early.status_code == 409
    post(login(clerk), f"/bad-cases/{bad.pk}/verify", {"note": "核实"})
    missing = post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "rectified", "reply": "已整改"})
    assert missing.status_code == 400 and "changes" in missing.json()["fields"]


@freeze_time("2026-11-18 10:00:00+08:00")  # Wednesday
def test_overdue_rectification_raises_cards_and_they_resolve(make_case, citizen, head):
    bad = _bad(make_case, citizen)
    assert services.overdue_scan() == {"verify": 0, "reply": 0, "follow_up": 0}
    with freeze_time("2026-11-20 09:00:00+08:00"):  # past the 1-working-day verify deadline (19th 17:30)
        assert services.overdue_scan()["verify"] == 1
        assert services.overdue_scan()["verify"] == 0  # idempotent
        card = RectificationCard.objects.get()
        assert (card.stage, card.deadline_at, card.resolved_at) == (CardStage.VERIFY, bad.verify_due_at, None)
        listing = login(head).get("/api/v1/ratings/bad-cases", {"overdue": "true"}).json()["results"]
        assert [r["id"] for r in listing] == [bad.pk]
        post(login(head), f"/bad-cases/{bad.pk}/verify", {"note": "核实（已超期）"})
        card.refresh_from_db()
        assert card.resolved_at is not None
    with freeze_time(bad.reply_due_at + dt.timedelta(hours=1)):
        assert services.overdue_scan()["reply"] == 1
        response = post(login(head), f"/bad-cases/{bad.pk}/reply", {"outcome": "explained", "reply": "说明"})
        assert response.json()["replied_on_time"] is False
    assert RectificationCard.objects.filter(resolved_at__isnull=True).count() == 0


def test_rectify_days_per_region(settings, make_case, citizen, dept):
    settings.RATINGS_RECTIFY_DAYS_BY_REGION = {dept.region.code: 5}
    bad = _bad(make_case, citizen)
    from onewindow.workcalendar.clock import compute_deadline

    assert bad.reply_due_at == compute_deadline(bad.opened_at, 5).due_at


def test_amend_bad_to_good_closes_the_record_and_moves_the_counts(make_case, citizen, head):
    bad = _bad(make_case, citizen, level=2)
    me = login(citizen)
    rating = Rating.objects.get()
    assert post(me, f"/{rating.pk}/amend", {"level": 4}).status_code == 200
    bad.refresh_from_db()
    assert bad.status == BadCaseStatus.CLOSED
    total = _total(head)
    assert (total["bad"], total["good"], total["by_level"]["4"], total["by_level"]["2"]) == (0, 1, 1, 0)


def test_rollups_equal_a_recount_after_everything(make_case, citizen, head, manager):
    staff = login(head)
    for level in (5, 4, 1, 2, 3):
        bad_or_not = make_case()
        post(login(citizen), "", {"case": bad_or_not.number, "service_event": "whole_case", "level": level,
                                  "options": ["服务态度差"] if level <= 2 else []})
        post(login(citizen), "", {"case": bad_or_not.number, "service_event": "accept", "level": 5})
    make_case(complete=False)
    a, b = BadRatingCase.objects.order_by("pk")
    post(staff, f"/bad-cases/{a.pk}/verify", {"note": "核实"})
    post(staff, f"/bad-cases/{a.pk}/reply", {"outcome": "explained", "reply": "说明"})
    post(login(citizen), f"/bad-cases/{a.pk}/respond", {"satisfied": True})
    post(staff, f"/bad-cases/{a.pk}/follow-up", {"reached": True, "note": "满意"})
    post(staff, f"/bad-cases/{b.pk}/verify", {"note": "核实"})
    post(staff, f"/bad-cases/{b.pk}/appeal", {"reason": "误评"})
    post(login(manager), f"/bad-cases/{b.pk}/decide-appeal", {"upheld": True, "comment": "成立"})
    r = Rating.objects.filter(level=3).first()
    post(login(citizen), f"/{r.pk}/amend", {"level": 1, "options": ["多次跑动"]})

    from onewindow.ratings.models import CompletedRollup, RatingRollup

    def current():
        ratings = {(x.dimension, x.month, x.department_id, x.key, x.service_event, x.level, x.channel):
                   [x.rated, x.excluded, x.real_name, x.replied, x.replied_on_time, x.followed_up]
                   for x in RatingRollup.objects.all() if any((x.rated, x.excluded, x.real_name, x.replied,
                                                               x.replied_on_time, x.followed_up))}
        completed = {(x.dimension, x.month, x.department_id, x.key): x.completed
                     for x in CompletedRollup.objects.all()}
        return ratings, completed

    expected = rollups.recount()
    assert current() == expected
    total = _total(head)
    assert (total["completed_cases"], total["rated_cases"], total["excluded"], total["bad"]) == (5, 5, 1, 2)
    rollups.rebuild()
    assert current() == expected


def test_the_link_still_shows_and_answers_the_reply_weeks_later(make_case, head):
    from django.test import Client

    from onewindow.ratings.models import RatingInvitation

    case = make_case()
    invitation = RatingInvitation.objects.get(case=case, service_event="whole_case")
    link = Client()
    assert post(link, "", {"token": invitation.token, "level": 1, "options": ["服务态度差"]}).status_code == 201
    bad = BadRatingCase.objects.get()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)  # past the 15-day rating window
    with freeze_time(later):
        staff = login(head)
        post(staff, f"/bad-cases/{bad.pk}/verify", {"note": "核实"})
        post(staff, f"/bad-cases/{bad.pk}/reply", {"outcome": "explained", "reply": "已说明情况"})
        page = link.get("/api/v1/ratings/invitation", {"token": invitation.token}).json()
        assert page["rating"]["bad_case"]["reply"] == "已说明情况"
        response = post(link, f"/bad-cases/{bad.pk}/respond", {"token": invitation.token, "satisfied": True})
        assert response.status_code == 200 and response.json()["status"] == "follow_up"
        # Rating anew with the old link is over.
        other = RatingInvitation.objects.get(case=case, service_event="accept")
        assert post(link, "", {"token": other.token, "level": 5}).status_code == 404
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(days=61)):
        assert link.get("/api/v1/ratings/invitation", {"token": invitation.token}).status_code == 404


def test_rebuild_command_with_backfill(make_case, head):
    from io import StringIO

    from django.core.management import call_command

    from onewindow.ratings.models import CompletedCase

    make_case()
    CompletedCase.objects.all().delete()  # as if completed before the app was installed
    out = StringIO()
    call_command("ratings_rebuild_rollups", "--backfill", stdout=out)
    assert "completed cases added: 1" in out.getvalue()
    assert _total(head)["completed_cases"] == 1
