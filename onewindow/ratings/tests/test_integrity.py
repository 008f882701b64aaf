"""Integrity: nobody rates a case that is not theirs, twice, or after the window; one amendment, then locked;
ratings are never deleted; staff see no rater until a bad rating opens a record; reads are audited."""

import datetime as dt

import pytest
from django.test import Client
from freezegun import freeze_time

from onewindow.core.models import AuditEvent
from onewindow.ratings import services
from onewindow.ratings.constants import ServiceEvent
from onewindow.ratings.models import BadRatingCase, Rating, RatingAmendment, RatingInvitation
from onewindow.ratings.tokens import make_token

from .conftest import login, post

pytestmark = pytest.mark.django_db


def _invitation(case, event=ServiceEvent.WHOLE_CASE):
    return RatingInvitation.objects.get(case=case, service_event=event)


def test_one_invitation_per_service_event_from_the_case_events(make_case):
    case = make_case()
    events = sorted(RatingInvitation.objects.filter(case=case).values_list("service_event", flat=True))
    assert events == ["accept", "whole_case"]
    assert _invitation(case).staff.name == "钱窗口"


def test_not_your_case_is_404(make_case, stranger, head, clerk):
    case = make_case()
    for user in (stranger, head, clerk):
        response = post(login(user), "", {"case": case.number, "service_event": "whole_case", "level": 5})
        assert response.status_code == 404, (user, response.content)
    assert post(Client(), "", {"case": case.number, "service_event": "whole_case", "level": 5}).status_code == 404
    assert not Rating.objects.exists()


def test_a_forged_or_foreign_token_is_refused(make_case):
    case = make_case()
    token = _invitation(case).token
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert post(Client(), "", {"token": forged, "level": 5}).status_code == 404
    # A token signed for an invitation id that does not match the stored token (e.g. re-issued) is refused too.
    assert post(Client(), "", {"token": make_token(999999), "level": 5}).status_code == 404


def test_rating_twice_the_same_event_is_409(make_case, citizen):
    case = make_case()
    me = login(citizen)
    assert post(me, "", {"case": case.number, "service_event": "whole_case", "level": 5}).status_code == 201
    again = post(me, "", {"case": case.number, "service_event": "whole_case", "level": 1, "options": ["服务态度差"]})
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    by_link = post(Client(), "", {"token": _invitation(case).token, "level": 4})
    assert by_link.status_code == 409
    assert Rating.objects.count() == 1


def test_amend_once_then_locked(make_case, citizen):
    case = make_case()
    me = login(citizen)
    rating = post(me, "", {"case": case.number, "service_event": "whole_case", "level": 3}).json()
    amended = post(me, f"/{rating['id']}/amend", {"level": 4, "options": ["服务态度好"]})
    assert amended.status_code == 200 and amended.json()["level"] == 4 and amended.json()["amended"] is True
    record = RatingAmendment.objects.get()
    assert (record.old_level, record.new_level) == (3, 4)
    again = post(me, f"/{rating['id']}/amend", {"level": 5})
    assert again.status_code == 409 and again.json()["code"] == "already_amended"
    assert Rating.objects.get().level == 4


def test_amend_after_the_amend_window_is_refused(make_case, citizen):
    case = make_case()
    me = login(citizen)
    with freeze_time(dt.datetime.now(dt.UTC)):
        rating = post(me, "", {"case": case.number, "service_event": "whole_case", "level": 3}).json()
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        late = post(login(citizen), f"/{rating['id']}/amend", {"level": 5})  # a fresh session
    assert late.status_code == 409 and late.json()["code"] == "amend_window_closed"


def test_someone_else_cannot_amend(make_case, citizen, stranger):
    case = make_case()
    rating = post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 3}).json()
    assert post(login(stranger), f"/{rating['id']}/amend", {"level": 1, "options": ["服务态度差"]}).status_code == 404


def test_after_the_rating_window_is_refused(make_case, citizen):
    case = make_case()
    token = _invitation(case).token
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(days=16)):
        by_link = post(Client(), "", {"token": token, "level": 5})
        assert by_link.status_code == 404  # the signed link itself has expired
        online = post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 5})
        assert online.status_code == 409 and online.json()["code"] == "window_closed"


def test_bad_rating_needs_a_reason_and_options_must_fit_the_level(make_case, citizen):
    case = make_case()
    me = login(citizen)
    body = {"case": case.number, "service_event": "whole_case"}
    assert post(me, "", {**body, "level": 1}).json()["code"] == "reason_required"
    assert post(me, "", {**body, "level": 5, "options": ["服务态度差"]}).json()["code"] == "invalid_option"
    assert post(me, "", {**body, "level": 9}).status_code == 400


def test_ratings_are_never_deleted(make_case, citizen, head):
    case = make_case()
    rating_id = post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 1,
                                          "options": ["服务态度差"]}).json()["id"]
    rating = Rating.objects.get(pk=rating_id)
    with pytest.raises(RuntimeError):
        rating.delete()
    with pytest.raises(RuntimeError):
        Rating.objects.all().delete()
    with pytest.raises(RuntimeError):
        BadRatingCase.objects.all().delete()
    response = login(head).delete(f"/api/v1/ratings/{rating_id}/amend")
    assert response.status_code == 405
    assert Rating.objects.count() == 1


def test_staff_see_no_rater_of_good_ratings(make_case, citizen, head):
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 5})
    boss = login(head)
    assert boss.get("/api/v1/ratings/bad-cases").json()["results"] == []
    stats = boss.get("/api/v1/ratings/stats", {"group_by": "staff"}).content.decode()
    assert "李明" not in stats and case.applicant.id_number not in stats
    # Staff calling "my ratings" get their own (none), never the applicant's.
    assert boss.get("/api/v1/ratings").json() == []


def test_bad_cases_are_scoped_to_the_responsible_department(make_case, citizen, other_head, head, manager):
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 1,
                              "options": ["服务态度差"]})
    bad = BadRatingCase.objects.get()
    assert login(other_head).get("/api/v1/ratings/bad-cases").json()["results"] == []
    assert login(other_head).get(f"/api/v1/ratings/bad-cases/{bad.pk}").status_code == 404
    assert post(login(other_head), f"/bad-cases/{bad.pk}/verify", {"note": "x"}).status_code == 404
    assert login(citizen).get("/api/v1/ratings/bad-cases").status_code == 403
    detail = login(head).get(f"/api/v1/ratings/bad-cases/{bad.pk}")
    assert detail.status_code == 200 and [a["action"] for a in detail.json()["actions"]] == ["open"]
    assert AuditEvent.objects.filter(action="ratings.bad_case_view", actor=head).count() == 1
    assert login(manager).get("/api/v1/ratings/bad-cases").json()["results"][0]["id"] == bad.pk


def test_stats_need_a_supervising_role(make_case, citizen, clerk, other_head):
    assert login(citizen).get("/api/v1/ratings/stats").status_code == 403
    assert login(clerk).get("/api/v1/ratings/stats").status_code == 403
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 5})
    assert login(other_head).get("/api/v1/ratings/stats").json()["rows"] == []


def test_hotline_operator_records_a_rating_after_checking_the_id_tail(make_case, manager, clerk):
    case = make_case()
    body = {"case": case.number, "service_event": "whole_case", "level": 2, "options": ["办事效率低"],
            "channel": "hotline", "id_tail": case.applicant.id_number[-6:]}
    assert post(login(clerk), "", body).status_code == 403
    assert post(login(manager), "", {**body, "id_tail": "000000"}).status_code == 404
    response = post(login(manager), "", body)
    assert response.status_code == 201, response.content
    rating = Rating.objects.get()
    assert (rating.channel, rating.recorded_by, rating.rater_user) == ("hotline", manager, None)


def test_invitations_expire_and_default_good_is_off_by_default(make_case, settings):
    case = make_case()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=16)
    assert services.invitations_expire(now=later) == {"default_good": 0}
    assert not Rating.objects.exists()
    assert RatingInvitation.objects.filter(case=case, closed_at__isnull=True).count() == 0


def test_default_good_when_configured_is_reported_separately(make_case, settings, head):
    settings.RATINGS_DEFAULT_GOOD = True
    make_case()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=16)
    assert services.invitations_expire(now=later) == {"default_good": 1}
    period = later.strftime("%Y-%m")
    period = f"{dt.date.today():%Y-%m}..{period}"
    total = login(head).get("/api/v1/ratings/stats", {"period": period}).json()["total"]
    assert (total["default_good"], total["rated"], total["good"]) == (1, 0, 0)


def test_the_window_pad_shows_the_service_just_given_and_rates_through_its_token(make_case, window):
    from onewindow.ratings.selectors import invitation_for_window_pad

    case = make_case()
    invitation = invitation_for_window_pad(window_id=window.pk)
    assert invitation.case == case and invitation.staff.name == "钱窗口"
    response = post(Client(), "", {"token": invitation.token, "level": 5, "channel": "window_pad"})
    assert response.status_code == 201 and response.json()["channel"] == "window_pad"
    assert invitation_for_window_pad(window_id=window.pk) != invitation
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)):
        assert invitation_for_window_pad(window_id=window.pk) is None


def test_bad_case_list_costs_the_same_for_2_and_5_records(make_case, citizen, head, django_assert_num_queries):
    def rate_badly():
        case = make_case()
        post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 1,
                                  "options": ["服务态度差"]})

    boss = login(head)
    boss.get("/api/v1/ratings/bad-cases")  # session and roles warm
    for _ in range(2):
        rate_badly()
    # session, user, roles, count, page, one INSERT of the audit rows
    with django_assert_num_queries(6):
        assert len(boss.get("/api/v1/ratings/bad-cases").json()["results"]) == 2
    for _ in range(3):
        rate_badly()
    with django_assert_num_queries(6):
        assert len(boss.get("/api/v1/ratings/bad-cases").json()["results"]) == 5
    assert AuditEvent.objects.filter(action="ratings.bad_case_view").count() == 2 + 5
