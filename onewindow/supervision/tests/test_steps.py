import datetime as dt
from decimal import Decimal

import pytest
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.core.errors import ApplicationError, PermissionDenied
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff
from onewindow.supervision import services
from onewindow.supervision.constants import CardLevel, CardStep
from onewindow.supervision.models import Card

from .factories import at, filed_case, scan

pytestmark = pytest.mark.django_db


def _cards(case, step):
    return {c.level: c for c in Card.objects.filter(case=case, step=step)}


def test_a_window_application_not_accepted_on_the_day_turns_yellow_then_red(version, clerk, window,
                                                                            django_capture_on_commit_callbacks):
    # Filed Mon 10:00 at the window: due at office end (17:30); yellow when 20 % of 7.5 h is left (16:00).
    case = filed_case(version=version, when="2025-11-03 10:00", channel="window", window=window, actor=clerk)
    assert scan("2025-11-03 15:59").step_yellow == 0
    assert scan("2025-11-03 16:01").step_yellow == 1
    yellow = _cards(case, CardStep.ACCEPTANCE)[CardLevel.YELLOW]
    assert yellow.issued_at == at("2025-11-03 16:00") and yellow.deadline_at == at("2025-11-03 17:30")
    assert yellow.hall_id == window.hall_id and yellow.window_id == window.pk and yellow.responsible == clerk

    assert scan("2025-11-03 17:31").step_red == 1
    with freeze_time(at("2025-11-04 09:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_accept(actor=clerk, case=case)
    cards = _cards(case, CardStep.ACCEPTANCE)
    assert cards[CardLevel.RED].resolved_at == at("2025-11-04 09:00")
    assert cards[CardLevel.RED].late_by == dt.timedelta(hours=15, minutes=30)
    assert cards[CardLevel.YELLOW].escalated_at == at("2025-11-03 17:30")


def test_a_window_application_accepted_on_the_day_gets_no_card(version, clerk, window,
                                                              django_capture_on_commit_callbacks):
    case = filed_case(version=version, when="2025-11-03 10:00", channel="window", window=window, actor=clerk)
    with freeze_time(at("2025-11-03 10:05")), django_capture_on_commit_callbacks(execute=True):
        cases.case_accept(actor=clerk, case=case)
    scan("2025-11-04 09:00")
    assert not Card.objects.filter(case=case, step=CardStep.ACCEPTANCE).exists()


def test_online_prereview_within_one_working_day(version, head):
    case = filed_case(version=version, when="2025-11-03 10:00")  # online
    assert scan("2025-11-04 17:29").step_red == 0
    assert scan("2025-11-04 17:31").step_red == 1
    cards = _cards(case, CardStep.PREREVIEW)
    assert cards[CardLevel.RED].deadline_at == at("2025-11-04 17:30")
    assert cards[CardLevel.RED].responsible == head  # nobody handles it yet: the department head answers


def test_a_late_acceptance_between_scans_is_recorded_as_red(version, clerk, django_capture_on_commit_callbacks):
    case = filed_case(version=version, when="2025-11-03 10:00")
    with freeze_time(at("2025-11-05 09:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_accept(actor=clerk, case=case)
    red = _cards(case, CardStep.PREREVIEW)[CardLevel.RED]
    assert red.resolved_at == at("2025-11-05 09:00") and red.late_by == dt.timedelta(hours=15, minutes=30)


def test_a_correction_notice_in_time_ends_the_prereview_step(version, clerk, django_capture_on_commit_callbacks):
    case = filed_case(version=version, when="2025-11-03 10:00")
    scan("2025-11-04 12:00")  # yellow (20 % of 31.5 h left from 11:12)
    with freeze_time(at("2025-11-04 14:00")), django_capture_on_commit_callbacks(execute=True):
        cases.case_request_correction(actor=clerk, case=case, items=[{"spec_id": version.materials.first().pk}])
    assert scan("2025-11-10 09:00").step_red == 0
    cards = _cards(case, CardStep.PREREVIEW)
    assert set(cards) == {CardLevel.YELLOW} and cards[CardLevel.YELLOW].resolved_at == at("2025-11-04 14:00")


def test_limits_are_configurable_per_item(version, inspector):
    admin = staff(Role.ADMIN, None, username="sysadmin")
    with pytest.raises(PermissionDenied):
        services.step_limit_save(actor=inspector, step=CardStep.PREREVIEW, working_days=3, yellow_ratio=None,
                                 item=version.item)
    with pytest.raises(ApplicationError) as exc:
        services.step_limit_save(actor=admin, step=CardStep.PREREVIEW, working_days=3, yellow_ratio=Decimal("1.5"))
    assert "yellow_ratio" in exc.value.fields
    services.step_limit_save(actor=admin, step=CardStep.PREREVIEW, working_days=3, yellow_ratio=None,
                             item=version.item)
    assert AuditEvent.objects.filter(action="supervision.step_limit_set").count() == 1
    case = filed_case(version=version, when="2025-11-03 10:00")
    assert scan("2025-11-04 17:31").step_red == 0
    result = scan("2025-11-06 17:31")
    assert (result.step_yellow, result.step_red) == (0, 1)  # red only: no yellow ratio for this item
    assert set(_cards(case, CardStep.PREREVIEW)) == {CardLevel.RED}


def test_the_incremental_step_scan_reads_only_applications_filed_in_the_passed_range(version, clerk, window):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = filed_case(version=version, when="2025-10-27 10:00")  # long overdue, carded by the first scan
    scan("2025-11-03 09:00")
    fresh = filed_case(version=version, when="2025-11-03 10:00", channel="window", window=window, actor=clerk)
    with CaptureQueriesContext(connection) as ctx:
        result = scan("2025-11-03 16:05")
    assert (result.step_yellow, result.examined) == (1, 1)  # the window application only, not the old one
    step_query = next(q["sql"] for q in ctx.captured_queries
                      if 'FROM "cases_case"' in q["sql"] and '"cases_case"."status" = \'submitted\'' in q["sql"])
    # a range of the event log's indexed created_at, not every waiting application
    assert '"cases_caseevent"' in step_query and '"created_at" >' in step_query
    assert set(_cards(old, CardStep.PREREVIEW)) == {CardLevel.YELLOW, CardLevel.RED}
    assert set(_cards(fresh, CardStep.ACCEPTANCE)) == {CardLevel.YELLOW}
