"""The demo history (onewindow/demo/history.py): after `demo_load` every journey of issues 4 and 5 has its case."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from onewindow.accounts.models import User
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case, CaseEvent, CorrectionNotice, WaiverPromise
from onewindow.core.models import AuditEvent
from onewindow.documents.models import CaseDocument
from onewindow.ratings.constants import BadCaseStatus, Level, ServiceEvent
from onewindow.ratings.models import BadRatingCase, Rating, RatingInvitation, RectificationCard
from onewindow.ratings.selectors import invitation_for_token, rating_stats
from onewindow.supervision.constants import CardLevel
from onewindow.supervision.models import Anomaly, Card
from onewindow.supervision.permissions import supervision_scope

pytestmark = pytest.mark.django_db

COUNTED = [Case, CaseEvent, CaseDocument, Rating, RatingInvitation, BadRatingCase, Card, Anomaly, AuditEvent]


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, msg="", *args, **kwargs):
        self.text += msg

    def flush(self):
        pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`demo_load --no-history`, then `demo_load` (adds the history), then `demo_load` again; rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo_load", history=False, stdout=_Sink())
            without = Case.objects.count()
            first = _Sink()
            call_command("demo_load", stdout=first)
            counts = {m: m.objects.count() for m in COUNTED}
            second = _Sink()
            call_command("demo_load", stdout=second)
            yield {"without": without, "counts": counts, "first": first.text, "second": second.text}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _liming():
    return User.objects.get(mobile="13800138000")


def test_no_history_makes_no_cases_and_a_second_run_adds_nothing(demo):
    assert demo["without"] == 0
    assert {m: m.objects.count() for m in COUNTED} == demo["counts"]
    assert "此前已加载" in demo["second"]
    assert "演示办件：" in demo["second"]  # the block is printed on every run


def test_liming_has_a_case_in_every_state_of_the_citizen_journey(demo):
    cases = {c.status: c for c in Case.objects.filter(applicant__user=_liming())}
    assert {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.ACCEPTED,
            CaseStatus.DELIVERED} <= set(cases)
    notice = CorrectionNotice.objects.get(case=cases[CaseStatus.CORRECTION_REQUESTED], resolved_at__isnull=True)
    assert len(notice.items) == 1  # re-upload only what was asked
    delivered = cases[CaseStatus.DELIVERED]
    assert CaseDocument.objects.filter(case=delivered, kind="approval_decision").exists()
    for case in cases.values():
        assert case.number in demo["first"]


def test_the_delivered_case_has_an_open_whole_case_invitation_whose_link_is_printed(demo):
    delivered = Case.objects.get(applicant__user=_liming(), status=CaseStatus.DELIVERED)
    invitation = RatingInvitation.objects.get(case=delivered, service_event=ServiceEvent.WHOLE_CASE)
    assert invitation.closed_at is None and invitation.expires_at > timezone.now()
    assert not Rating.objects.filter(invitation=invitation).exists()
    assert invitation_for_token(invitation.token).pk == invitation.pk
    assert f"/rate/{invitation.token}" in demo["first"]


def test_chen_xiao_corrected_a_case_once_and_rated_it_online(demo):
    case = Case.objects.get(applicant__user__mobile="13700137000")
    assert case.status == CaseStatus.DELIVERED
    assert case.events.filter(action="resubmit").count() == 1
    assert Rating.objects.filter(case=case, channel="online", rater_user__mobile="13700137000").exists()


def test_the_company_has_an_accepted_case_with_a_waived_material_owed(demo):
    case = Case.objects.get(applicant__user__mobile="13900139000")
    assert case.status == CaseStatus.ACCEPTED
    assert WaiverPromise.objects.filter(case=case, supplied_at__isnull=True).exists()


def test_past_cases_are_rated_on_every_level_and_bad_ratings_are_handled(demo):
    completed = Case.objects.filter(status__in=[CaseStatus.COMPLETED, CaseStatus.DELIVERED])
    assert completed.count() >= 40
    assert completed.values("department").distinct().count() >= 4
    assert Rating.objects.filter(service_event=ServiceEvent.ACCEPT).exists()  # 一次一评 as well as 一事一评
    assert set(Rating.objects.values_list("channel", flat=True)) >= {"window_pad", "mobile_link", "hotline", "online"}
    levels = set(Rating.objects.values_list("level", flat=True))
    assert levels == set(Level.values)
    assert Rating.objects.filter(level__gte=Level.BASICALLY_SATISFIED).count() > 5 * Rating.objects.filter(
        level__lte=Level.DISSATISFIED).count() / 2
    statuses = set(BadRatingCase.objects.values_list("status", flat=True))
    assert {BadCaseStatus.VERIFYING, BadCaseStatus.RECTIFYING, BadCaseStatus.REPLIED, BadCaseStatus.CLOSED} <= statuses
    assert BadRatingCase.objects.filter(appealed_at__isnull=False, appeal_upheld=True).exists()
    assert BadRatingCase.objects.filter(verified_at__isnull=False, replied_at__isnull=False).exists()
    assert RectificationCard.objects.exists()  # an overdue step raised its card
    head = User.objects.get(username="head")
    stats = rating_stats(user=head)  # the head's dashboard has figures, bad ratings among them
    assert stats["rows"] and stats["total"].rated > 0 and stats["total"].bad > 0
    assert stats["total"].completed_cases > 0


def test_reviewer_inbox_has_green_yellow_and_red_and_the_inspector_sees_red_cards(demo):
    open_cases = Case.objects.filter(department__short_name="市场监管局", status=CaseStatus.ACCEPTED)
    assert open_cases.count() >= 10
    now = timezone.now()
    assert open_cases.filter(due_at__lt=now).count() >= 2  # red
    assert open_cases.filter(warn_at__gt=now).exists()  # green
    red = Card.objects.filter(level=CardLevel.RED, resolved_at__isnull=True)
    assert red.count() >= 2
    inspector = User.objects.get(username="inspector")
    scope = supervision_scope(inspector)
    assert all(scope.covers(card.department_id, card.hall_id) for card in red)
    assert Anomaly.objects.filter(rule="quick_decision").exists()
    for number in red.values_list("case__number", flat=True):
        assert number in demo["first"]
