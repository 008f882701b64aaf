import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import Decision
from onewindow.supervision.constants import CardLevel, CardStep
from onewindow.supervision.models import Card
from onewindow.supervision.selectors import cards_list

from .factories import accepted_case, at, scan

pytestmark = pytest.mark.django_db

# Accepted Mon 2025-11-03 10:00 with 5 working days: warning Fri 11-07 17:30, due Mon 11-10 17:30.
ACCEPTED = "2025-11-03 10:00"
WARN, DUE = at("2025-11-07 17:30"), at("2025-11-10 17:30")


def _cards(case):
    return {(c.level, c.step): c for c in Card.objects.filter(case=case)}


def test_yellow_at_the_warning_instant_and_red_at_the_due_instant(version, clerk, inspector):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    assert (case.warn_at, case.due_at) == (WARN, DUE)

    assert scan("2025-11-07 17:29").yellow == 0
    result = scan("2025-11-07 17:40")
    assert (result.yellow, result.red) == (1, 0)
    yellow = _cards(case)[(CardLevel.YELLOW, CardStep.CASE)]
    assert yellow.issued_at == WARN and yellow.deadline_at == DUE  # the instant reached, not the scan time
    assert yellow.department_id == case.department_id and yellow.responsible == clerk and yellow.is_open

    result = scan("2025-11-10 17:35")
    assert (result.yellow, result.red) == (0, 1)
    cards = _cards(case)
    red = cards[(CardLevel.RED, CardStep.CASE)]
    assert red.issued_at == DUE and red.resolved_at is None and red.late_by is None
    assert cards[(CardLevel.YELLOW, CardStep.CASE)].escalated_at == DUE  # no longer a current yellow card

    page = cards_list(user=inspector, level=CardLevel.RED, open_only=True)
    assert [c.case.number for c in page.results] == [case.number]
    assert cards_list(user=inspector, level=CardLevel.YELLOW, open_only=True).results == []


def test_completed_late_keeps_the_red_card_with_how_late(version, clerk, reviewer, inspector,
                                                          django_capture_on_commit_callbacks):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    scan("2025-11-10 18:00")
    with freeze_time(at("2025-11-11 10:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
        cases.case_complete(actor=reviewer, case=case)
    red = _cards(case)[(CardLevel.RED, CardStep.CASE)]
    assert red.resolved_at == at("2025-11-11 10:00")
    assert red.late_by == dt.timedelta(hours=16, minutes=30)
    assert _cards(case)[(CardLevel.YELLOW, CardStep.CASE)].resolved_at == at("2025-11-11 10:00")
    # Still on the record (assessment), no longer current.
    assert [c.pk for c in cards_list(user=inspector, level=CardLevel.RED).results] == [red.pk]
    assert cards_list(user=inspector, level=CardLevel.RED, open_only=True).results == []
    assert [c.pk for c in cards_list(user=inspector, level=CardLevel.RED, open_only=False).results] == [red.pk]


def test_completion_after_the_deadline_between_scans_still_gets_its_red_card(
        version, clerk, reviewer, inspector, django_capture_on_commit_callbacks):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    with freeze_time(at("2025-11-10 17:45")), django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
        cases.case_complete(actor=reviewer, case=case)
    cards = _cards(case)
    red = cards[(CardLevel.RED, CardStep.CASE)]
    assert red.issued_at == DUE and red.late_by == dt.timedelta(minutes=15) and red.resolved_at is not None
    assert red.responsible == reviewer  # decided_by after the decision
    assert cards[(CardLevel.YELLOW, CardStep.CASE)].escalated_at == DUE
    assert scan("2025-11-10 18:00").red == 0  # the scan finds nothing left to do


def test_completion_in_time_gets_no_card_and_resolves_the_yellow_one(version, clerk, reviewer,
                                                                      django_capture_on_commit_callbacks):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    scan("2025-11-10 09:00")
    with freeze_time(at("2025-11-10 15:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
        cases.case_complete(actor=reviewer, case=case)
    cards = _cards(case)
    assert set(cards) == {(CardLevel.YELLOW, CardStep.CASE)}
    assert cards[(CardLevel.YELLOW, CardStep.CASE)].resolved_at == at("2025-11-10 15:00")
    assert scan("2025-11-12 09:00").red == 0


def test_a_paused_case_gets_no_card_while_paused(version, clerk, reviewer):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    with freeze_time(at("2025-11-04 10:00")):
        cases.case_request_correction(actor=reviewer, case=case, items=[{"spec_id": version.materials.first().pk}])
    assert scan("2025-11-20 10:00", full=True).examined == 0
    assert not Card.objects.filter(case=case).exists()


def test_the_scan_is_idempotent(version, clerk):
    cases_ = [accepted_case(version=version, clerk=clerk, when=ACCEPTED) for _ in range(3)]
    first = scan("2025-11-10 18:00")
    assert (first.yellow, first.red, first.examined) == (3, 3, 6)
    before = sorted(Card.objects.values_list("case_id", "level", "step", "issued_at"))
    second = scan("2025-11-10 18:05")
    again_full = scan("2025-11-10 18:10", full=True)
    assert (second.yellow, second.red, second.examined) == (0, 0, 0)
    assert (again_full.yellow, again_full.red, again_full.examined) == (0, 0, 0)
    assert sorted(Card.objects.values_list("case_id", "level", "step", "issued_at")) == before
    assert len(before) == 2 * len(cases_)


def test_the_scan_reads_only_the_newly_passed_range_and_never_carded_cases(version, clerk):
    accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    scan("2025-11-07 17:40")  # the yellow card is issued
    with CaptureQueriesContext(connection) as ctx:
        result = scan("2025-11-07 17:45")
    assert result.examined == 0
    case_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "cases_case"' in q["sql"]]
    yellow = next(q for q in case_queries if '"cases_case"."warn_at" <=' in q)
    red = next(q for q in case_queries if '"cases_case"."due_at" <=' in q)
    # A bounded range on the stored instant (since the last scan minus the overlap) ...
    assert '"cases_case"."warn_at" >' in yellow and '"cases_case"."due_at" >' in red
    # ... and a case that already has the card is excluded in SQL.
    assert re.search(r"NOT \(?EXISTS", yellow) and re.search(r"NOT \(?EXISTS", red)
    assert '"cases_case"."department_id" IN' in red  # walks the (department, status, due_at) index


def test_a_late_commit_inside_the_overlap_is_still_carded(version, clerk):
    scan("2025-11-07 17:35")  # the case below is not visible yet (its transaction commits later)
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)  # warn_at 17:30, before that scan
    assert scan("2025-11-07 17:40").yellow == 1  # looked back SUPERVISION_SCAN_OVERLAP_MINUTES (10)
    assert Card.objects.filter(case=case).count() == 1


def test_cards_are_never_deleted(version, clerk):
    accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    scan("2025-11-10 18:00")
    with pytest.raises(RuntimeError):
        Card.objects.first().delete()
    with pytest.raises(RuntimeError):
        Card.objects.all().delete()


def test_an_extension_after_the_warning_keeps_the_yellow_card_and_moves_the_red_one(version, clerk, reviewer,
                                                                                     head):
    case = accepted_case(version=version, clerk=clerk, when=ACCEPTED)
    scan("2025-11-07 17:40")
    with freeze_time(at("2025-11-10 09:00")):
        cases.case_request_extension(actor=reviewer, case=case, days=5, reason="需现场核查")
        cases.case_decide_extension(actor=head, case=case, approve=True)
    assert scan("2025-11-10 18:00").red == 0
    case.refresh_from_db()
    assert case.due_at == at("2025-11-17 17:30")
    result = scan("2025-11-17 17:31")
    assert result.red == 1 and _cards(case)[(CardLevel.RED, CardStep.CASE)].issued_at == case.due_at
