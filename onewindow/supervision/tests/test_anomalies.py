import datetime as dt

import pytest
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import CaseStatus, Decision
from onewindow.cases.models import Case
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.models import StaffRole
from onewindow.org.tests.factories import DepartmentFactory, RegionFactory, staff
from onewindow.supervision import services
from onewindow.supervision.constants import AnomalyRule, Verdict
from onewindow.supervision.models import Anomaly

from .factories import accepted_case, at, filed_case

pytestmark = pytest.mark.django_db


def detect(when: str) -> dict:
    with freeze_time(at(when)):
        return services.anomalies_detect()


def decide(reviewer, case, when: str):
    with freeze_time(at(when)):
        return cases.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)


def _found(rule):
    return set(Anomaly.objects.filter(rule=rule).values_list("case_id", flat=True))


# ---------------------------------------------------------------- decided minutes after acceptance

def test_a_promised_item_decided_minutes_after_acceptance_is_flagged(version, clerk, reviewer):
    quick = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    decide(reviewer, quick, "2025-11-03 10:04")
    normal = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    decide(reviewer, normal, "2025-11-03 10:45")
    assert detect("2025-11-03 11:00")[AnomalyRule.QUICK_DECISION] == 1
    anomaly = Anomaly.objects.get(rule=AnomalyRule.QUICK_DECISION)
    assert anomaly.case_id == quick.pk and anomaly.account == reviewer and anomaly.detail["minutes"] == 4.0
    assert anomaly.verdict == Verdict.PENDING and anomaly.department_id == quick.department_id


def test_an_instant_item_finished_at_the_window_is_not_a_quick_decision(dept, clerk):
    from onewindow.catalogue.constants import HandlingType, StepKind
    from onewindow.catalogue.tests.factories import published_item

    instant = published_item(department=dept, name="公章刻制备案", handling_type=HandlingType.INSTANT,
                             promised_days=0, steps=[{"kind": StepKind.ACCEPT, "days": 0},
                                                     {"kind": StepKind.DECIDE, "days": 0}])
    case = filed_case(version=instant, when="2025-11-03 10:00", channel="window")
    with freeze_time(at("2025-11-03 10:01")):
        cases.case_complete_instantly(actor=clerk, case=case)
    detect("2025-11-03 11:00")
    assert not Anomaly.objects.exists()


# ---------------------------------------------------------------- completed without a decision

def test_completed_without_a_decide_step_is_flagged(version, clerk, reviewer):
    skipped = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    Case.objects.filter(pk=skipped.pk).update(status=CaseStatus.DECIDED)  # set outside the platform
    with freeze_time(at("2025-11-04 10:00")):
        cases.case_complete(actor=reviewer, case=skipped)
    proper = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    decide(reviewer, proper, "2025-11-04 09:00")
    with freeze_time(at("2025-11-04 10:00")):
        cases.case_complete(actor=reviewer, case=proper)
    assert detect("2025-11-04 11:00")[AnomalyRule.NO_DECIDE_STEP] == 1
    anomaly = Anomaly.objects.get(rule=AnomalyRule.NO_DECIDE_STEP)
    assert anomaly.case_id == skipped.pk and anomaly.account == reviewer
    assert anomaly.detail["without_events"] is False


def test_a_case_that_appears_already_completed_is_flagged_on_the_next_run(version, clerk):
    detect("2025-11-03 09:00")  # first run: remembers the newest case
    with freeze_time(at("2025-11-03 10:00")):
        imported = filed_case(version=version, when="2025-11-03 10:00")
        Case.objects.filter(pk=imported.pk).update(status=CaseStatus.COMPLETED, completed_at=at("2025-11-03 10:00"))
    assert detect("2025-11-03 11:00")[AnomalyRule.NO_DECIDE_STEP] == 1
    assert Anomaly.objects.get().detail["without_events"] is True


# ---------------------------------------------------------------- bulk entry after the fact

def _bulk(version, clerk, count: int, *, filed: str = "2025-11-03 10:00"):
    filed_cases = [filed_case(version=version, when=filed) for _ in range(count)]
    start = at("2025-11-06 10:00")
    for i, case in enumerate(filed_cases):
        with freeze_time(start + dt.timedelta(seconds=25 * i)):  # 20 within 8 minutes
            cases.case_accept(actor=clerk, case=case)
    return filed_cases


def test_twenty_old_applications_accepted_by_one_account_within_ten_minutes_are_flagged(version, clerk):
    bulk = _bulk(version, clerk, 20)
    assert detect("2025-11-06 11:00")[AnomalyRule.BULK_ENTRY] == 20
    assert _found(AnomalyRule.BULK_ENTRY) == {c.pk for c in bulk}
    detail = Anomaly.objects.filter(rule=AnomalyRule.BULK_ENTRY).first().detail
    assert detail["count"] == 20 and detail["lag_hours"] >= 48


def test_fewer_or_fresh_applications_are_not_bulk_entry(version, clerk):
    _bulk(version, clerk, 19)
    second = staff(Role.CLERK, version.item.department, username="clerk2")
    _bulk(version, second, 20, filed="2025-11-05 16:00")  # filed the day before: not "long before"
    assert detect("2025-11-06 11:00")[AnomalyRule.BULK_ENTRY] == 0


# ---------------------------------------------------------------- decisions outside office hours

def test_three_after_hours_decisions_in_a_week_by_one_account_are_flagged(version, clerk, reviewer):
    night = [accepted_case(version=version, clerk=clerk, when="2025-11-03 09:30") for _ in range(3)]
    decide(reviewer, night[0], "2025-11-03 21:00")   # Monday night
    decide(reviewer, night[1], "2025-11-05 07:10")   # Wednesday before office hours
    decide(reviewer, night[2], "2025-11-08 10:00")   # Saturday (a rest day)
    other = staff(Role.REVIEWER, version.item.department, username="reviewer2")
    late_but_fine = [accepted_case(version=version, clerk=clerk, when="2025-11-03 09:30") for _ in range(3)]
    decide(other, late_but_fine[0], "2025-11-03 21:00")
    decide(other, late_but_fine[1], "2025-11-04 17:50")  # within the 30-minute grace after 17:30
    decide(other, late_but_fine[2], "2025-11-04 10:00")
    assert detect("2025-11-09 12:00")[AnomalyRule.AFTER_HOURS] == 3
    assert _found(AnomalyRule.AFTER_HOURS) == {c.pk for c in night}
    assert set(Anomaly.objects.filter(rule=AnomalyRule.AFTER_HOURS).values_list("account", flat=True)) == {
        reviewer.pk}


def test_after_hours_decisions_spread_over_more_than_a_week_are_not_flagged(version, clerk, reviewer):
    spread = [accepted_case(version=version, clerk=clerk, when="2025-11-03 09:30") for _ in range(3)]
    decide(reviewer, spread[0], "2025-11-03 21:00")
    decide(reviewer, spread[1], "2025-11-07 21:00")
    decide(reviewer, spread[2], "2025-11-12 21:00")
    assert detect("2025-11-12 23:00")[AnomalyRule.AFTER_HOURS] == 0


def test_detection_is_idempotent(version, clerk, reviewer):
    quick = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    decide(reviewer, quick, "2025-11-03 10:02")
    assert detect("2025-11-03 11:00")["created"] == 1
    assert detect("2025-11-03 11:05")["created"] == 0
    assert Anomaly.objects.count() == 1


# ---------------------------------------------------------------- inspector review

@pytest.fixture
def anomaly(version, clerk, reviewer):
    quick = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    decide(reviewer, quick, "2025-11-03 10:02")
    detect("2025-11-03 11:00")
    return Anomaly.objects.get()


def test_an_inspector_explains_a_finding_once_with_a_comment(anomaly, inspector):
    with pytest.raises(ApplicationError) as exc:
        services.anomaly_review(actor=inspector, anomaly_id=anomaly.pk, verdict=Verdict.EXPLAINED, comment=" ")
    assert "comment" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.anomaly_review(actor=inspector, anomaly_id=anomaly.pk, verdict=Verdict.PENDING, comment="x")
    assert "verdict" in exc.value.fields
    reviewed = services.anomaly_review(actor=inspector, anomaly_id=anomaly.pk, verdict=Verdict.EXPLAINED,
                                       comment="经核实为现场踏勘后即时决定，材料齐全。")
    assert reviewed.verdict == Verdict.EXPLAINED and reviewed.reviewed_by == inspector
    event = AuditEvent.objects.get(action="supervision.anomaly_review")
    assert event.new_values["verdict"] == Verdict.EXPLAINED and event.reason.startswith("经核实")
    with pytest.raises(Conflict):
        services.anomaly_review(actor=inspector, anomaly_id=anomaly.pk, verdict=Verdict.CONFIRMED, comment="再议")


def test_only_inspectors_in_scope_review(anomaly, head):
    with pytest.raises(PermissionDenied):  # a department head sees the finding but does not judge it
        services.anomaly_review(actor=head, anomaly_id=anomaly.pk, verdict=Verdict.CONFIRMED, comment="x")
    elsewhere = staff(Role.INSPECTOR, DepartmentFactory(), username="inspector-elsewhere")
    with pytest.raises(NotFound):
        services.anomaly_review(actor=elsewhere, anomaly_id=anomaly.pk, verdict=Verdict.CONFIRMED, comment="x")
    regional = staff(Role.INSPECTOR, None, username="inspector-county")
    StaffRole.objects.filter(user=regional).update(region=RegionFactory())
    assert services.anomaly_review(actor=regional, anomaly_id=anomaly.pk, verdict=Verdict.CONFIRMED,
                                   comment="未见审查记录").verdict == Verdict.CONFIRMED
