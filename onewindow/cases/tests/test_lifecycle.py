import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from freezegun import freeze_time

from onewindow.cases import services
from onewindow.cases.constants import Action, CaseStatus, Decision, ExtensionStatus
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.tests.factories import EXE_BYTES, pdf, person, submitted_case
from onewindow.catalogue.constants import HandlingType, StepKind
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk")


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, username="reviewer")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, username="head")


def _actions(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", "from_status", "to_status"))


def test_submit_gives_a_readable_unique_number_and_keeps_the_files(version):
    case = submitted_case(version=version)
    today = dt.datetime.now(CST).date()
    assert case.number == f"430422{today:%Y%m%d}00001"
    assert submitted_case(version=version, applicant=person(2)).number.endswith("00002")
    assert case.status == CaseStatus.SUBMITTED
    assert case.materials.count() == 3 and all(m.sha256 for m in case.materials.all())
    assert _actions(case) == [(Action.SUBMIT, CaseStatus.DRAFT, CaseStatus.SUBMITTED)]


def test_retried_submission_with_the_same_key_returns_the_same_case(version):
    citizen = staff(Role.CLERK, None, username="citizen-account")
    first = submitted_case(version=version, actor=citizen, idempotency_key="k-1")
    again = submitted_case(version=version, actor=citizen, idempotency_key="k-1")
    assert again.pk == first.pk and Case.objects.count() == 1


def test_a_disguised_executable_is_refused_and_nothing_is_saved(version):
    spec = version.materials.first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ApplicationError):
        services.case_submit(actor=None, item_code=version.item.implementation_code, applicant=person(),
                             channel="online", files={spec.pk: SimpleUploadedFile("x.pdf", EXE_BYTES)})
    assert Case.objects.count() == 0


def test_invalid_id_number_gets_a_field_error():
    with pytest.raises(ApplicationError) as exc:
        services.applicant_get_or_create(kind="person", name="张三", id_number="110105199001010000")
    assert "applicant.id_number" in exc.value.fields


def test_form_data_is_validated_against_the_version_schema(dept):
    schema = {"type": "object", "required": ["shop_name"],
              "properties": {"shop_name": {"type": "string", "title": "店铺名称", "minLength": 2},
                             "area": {"type": "number", "title": "经营面积", "minimum": 1}}}
    version = published_item(department=dept, form_schema=schema)
    with pytest.raises(ApplicationError) as exc:
        submitted_case(version=version, form_data={"area": 0})
    assert set(exc.value.fields) == {"form_data.shop_name", "form_data.area"}
    assert submitted_case(version=version, form_data={"shop_name": "好味小吃", "area": 30}).form_data["area"] == 30


def test_item_that_is_not_published_cannot_be_applied_for(dept):
    from onewindow.catalogue.tests.factories import draft_item

    draft = draft_item(department=dept)
    with pytest.raises(ApplicationError, match="未发布"):
        services.case_submit(actor=None, item_code=draft.item.implementation_code, applicant=person(),
                             channel="online")


@freeze_time("2025-09-30 10:00:00+08:00")
def test_accept_starts_the_clock_across_national_day(version, clerk):
    case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    # 5 working days from 2025-09-30: Oct 1-8 holiday, Sat Oct 11 is a make-up working day.
    assert case.due_at == dt.datetime(2025, 10, 14, 17, 30, tzinfo=CST)
    assert case.warn_at == dt.datetime(2025, 10, 13, 17, 30, tzinfo=CST)
    assert not case.deadline_provisional
    assert CaseEvent.objects.get(case=case, action=Action.ACCEPT).clock["due_at"] is not None


def test_missing_required_material_blocks_acceptance_with_the_list(version, clerk):
    case = submitted_case(version=version, skip=("食品经营许可申请书",))
    with pytest.raises(ApplicationError) as exc:
        services.case_accept(actor=clerk, case=case)
    assert "食品经营许可申请书" in exc.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_waivable_material_can_be_accepted_with_a_promise_and_blocks_approval_until_supplied(version, clerk,
                                                                                            reviewer):
    waivable = version.materials.get(name="食品安全管理制度")
    case = submitted_case(version=version, skip=("食品安全管理制度",))
    due = dt.date.today() + dt.timedelta(days=10)
    case = services.case_accept(actor=clerk, case=case, waivers={waivable.pk: due})
    assert case.status == CaseStatus.ACCEPTED
    assert _actions(case)[-1][0] == Action.ACCEPT_WITH_WAIVER
    with pytest.raises(Conflict, match="容缺材料尚未补齐"):
        services.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
    services.case_supply_waived(actor=clerk, case=case, spec_id=waivable.pk, upload=pdf())
    assert services.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE).status == CaseStatus.DECIDED


def test_a_required_material_cannot_be_waived(version, clerk):
    required = version.materials.get(name="营业执照")
    case = submitted_case(version=version, skip=("营业执照",))
    with pytest.raises(ApplicationError):
        services.case_accept(actor=clerk, case=case, waivers={required.pk: dt.date.today()})


def test_one_correction_notice_then_resubmission(version, clerk):
    case = submitted_case(version=version, skip=("营业执照",))
    specs = {m.name: m.pk for m in version.materials.all()}
    notice = services.case_request_correction(actor=clerk, case=case, items=[
        {"spec_id": specs["营业执照"], "reason": "未提交"},
        {"spec_id": specs["食品经营许可申请书"], "reason": "未签字"},
    ], comment="请一次性补齐")
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED and len(notice.items) == 2
    with pytest.raises(ApplicationError, match="营业执照"):
        services.case_resubmit(actor=clerk, case=case, files={specs["食品经营许可申请书"]: pdf()})
    case = services.case_resubmit(actor=clerk, case=case, files={specs["营业执照"]: pdf(),
                                                                specs["食品经营许可申请书"]: pdf()})
    assert case.status == CaseStatus.SUBMITTED
    assert services.case_accept(actor=clerk, case=case).status == CaseStatus.ACCEPTED


def test_correction_during_review_pauses_the_clock(version, clerk, reviewer):
    spec = version.materials.first()
    with freeze_time("2025-11-03 10:00:00+08:00"):  # Monday
        case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    assert case.due_at == dt.datetime(2025, 11, 10, 17, 30, tzinfo=CST)
    with freeze_time("2025-11-04 10:00:00+08:00"):  # Tuesday: one working day used
        services.case_request_correction(actor=reviewer, case=case, items=[{"spec_id": spec.pk}])
        case.refresh_from_db()
        assert case.due_at is None and case.paused_at is not None
    with freeze_time("2025-11-07 10:00:00+08:00"):  # Friday: resumed, 3 working days left from Monday
        case = services.case_resubmit(actor=clerk, case=case, files={spec.pk: pdf()})
    assert case.status == CaseStatus.ACCEPTED and case.paused_at is None
    assert case.due_at == dt.datetime(2025, 11, 13, 17, 30, tzinfo=CST)


def test_decide_complete_and_deliver_by_mail(version, clerk, reviewer):
    case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    with pytest.raises(ApplicationError) as exc:
        services.case_decide(actor=reviewer, case=case, decision=Decision.DENY)
    assert set(exc.value.fields) == {"reason"}
    services.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE, reason="符合条件")
    services.case_complete(actor=reviewer, case=case)
    with pytest.raises(ApplicationError) as exc:
        services.case_deliver(actor=clerk, case=case, method="mail", address="云溪县人民路 1 号")
    assert "tracking_number" in exc.value.fields
    case = services.case_deliver(actor=clerk, case=case, method="mail", address="云溪县人民路 1 号",
                                 tracking_number="SF1234567890")
    assert case.status == CaseStatus.DELIVERED
    assert [a[0] for a in _actions(case)] == [Action.SUBMIT, Action.ACCEPT, Action.DECIDE, Action.COMPLETE,
                                              Action.DELIVER]


def test_wrong_state_actions_are_conflicts_with_the_reason(version, clerk, reviewer):
    case = submitted_case(version=version)
    with pytest.raises(Conflict, match="待受理"):
        services.case_decide(actor=reviewer, case=case, decision=Decision.APPROVE)
    with pytest.raises(Conflict):
        services.case_complete(actor=reviewer, case=case)
    services.case_refuse(actor=clerk, case=case, reason="不属于本部门职权范围")
    with pytest.raises(Conflict):
        services.case_accept(actor=clerk, case=case)


def test_refusal_needs_a_written_reason(version, clerk):
    case = submitted_case(version=version)
    with pytest.raises(ApplicationError) as exc:
        services.case_refuse(actor=clerk, case=case, reason=" ")
    assert "reason" in exc.value.fields


def test_applicant_may_withdraw_before_the_decision_only(version, clerk, reviewer):
    citizen = staff(Role.CLERK, None, username="citizen")  # any signed-in user linked to the applicant
    applicant = person(user=citizen)
    case = services.case_accept(actor=clerk, case=submitted_case(version=version, applicant=applicant))
    assert services.case_withdraw(actor=citizen, case=case, reason="不再经营").status == CaseStatus.WITHDRAWN
    other = services.case_accept(actor=clerk, case=submitted_case(version=version, applicant=applicant))
    services.case_decide(actor=reviewer, case=other, decision=Decision.APPROVE)
    with pytest.raises(Conflict):
        services.case_withdraw(actor=citizen, case=other)


def test_special_procedure_does_not_count(version, clerk, reviewer):
    with freeze_time("2025-11-03 10:00:00+08:00"):
        case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    with freeze_time("2025-11-04 09:00:00+08:00"):
        with pytest.raises(ApplicationError):
            services.case_suspend(actor=reviewer, case=case, kind="party", reason="x")
        case = services.case_suspend(actor=reviewer, case=case, kind="expert_review", reason="需组织专家评审",
                                     expected_end=dt.date(2025, 11, 14))
        assert case.status == CaseStatus.SUSPENDED
    with freeze_time("2025-11-14 16:00:00+08:00"):
        case = services.case_resume(actor=reviewer, case=case)
    # The acceptance day (Mon) is not counted; Tue, the day the pause began, is used up (docs/workdays.md).
    # 4 working days remain, counted again from Mon 17th: due Thu 20th instead of Mon 10th.
    assert case.due_at == dt.datetime(2025, 11, 20, 17, 30, tzinfo=CST)


def test_extension_requested_by_reviewer_approved_by_head_once(version, clerk, reviewer, head):
    with freeze_time("2025-11-03 10:00:00+08:00"):
        case = services.case_accept(actor=clerk, case=submitted_case(version=version))
        with pytest.raises(ApplicationError):
            services.case_request_extension(actor=reviewer, case=case, days=30, reason="情况复杂")
        services.case_request_extension(actor=reviewer, case=case, days=5, reason="情况复杂需现场核查")
        with pytest.raises(Conflict):
            services.case_request_extension(actor=reviewer, case=case, days=5, reason="again")
        with pytest.raises(PermissionDenied):
            services.case_decide_extension(actor=reviewer, case=case, approve=True)
        extension = services.case_decide_extension(actor=head, case=case, approve=True, comment="同意")
    case.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED and case.extension_days == 5
    assert case.due_at == dt.datetime(2025, 11, 17, 17, 30, tzinfo=CST)


def test_instant_item_is_finished_at_the_window_in_one_step(dept, clerk):
    version = published_item(department=dept, name="公章刻制备案", handling_type=HandlingType.INSTANT,
                             promised_days=0, steps=[{"kind": StepKind.ACCEPT, "days": 0},
                                                     {"kind": StepKind.DECIDE, "days": 0}])
    case = services.case_complete_instantly(actor=clerk, case=submitted_case(version=version, channel="window"))
    assert case.status == CaseStatus.COMPLETED and case.accepted_at == case.completed_at
    promised = submitted_case(version=published_item(department=dept))
    with pytest.raises(Conflict, match="承诺件"):
        services.case_complete_instantly(actor=clerk, case=promised)


def test_staff_of_another_department_cannot_see_or_act(version):
    outsider = staff(Role.REVIEWER, DepartmentFactory())
    case = submitted_case(version=version)
    with pytest.raises(NotFound):
        services.case_accept(actor=outsider, case=case)


def test_a_clerk_may_not_decide(version, clerk):
    case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=clerk, case=case, decision=Decision.APPROVE)


def test_case_events_are_append_only(version):
    event = CaseEvent.objects.filter(case=submitted_case(version=version)).first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@freeze_time("2026-12-24 10:00:00+08:00")
def test_deadline_into_an_unconfigured_year_is_provisional_and_recomputed_when_configured(
        dept, clerk, django_capture_on_commit_callbacks):
    version = published_item(department=dept, promised_days=15, legal_days=20,
                             steps=[{"kind": StepKind.ACCEPT, "days": 5}, {"kind": StepKind.DECIDE, "days": 10}])
    case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    assert case.deadline_provisional and case.due_at is not None
    provisional_due = case.due_at
    from onewindow.workcalendar.listing import parse_year_listing
    from onewindow.workcalendar.services import calendar_import_year

    admin = staff(Role.ADMIN, None, username="cal-admin", is_superuser=True)
    # 2027: New Year holiday Jan 1-3, and a made-up extra holiday on Jan 4-5 to move the deadline.
    holidays, makeups = parse_year_listing("休 2027-01-01..2027-01-05 元旦\n")
    with django_capture_on_commit_callbacks(execute=True):
        calendar_import_year(actor=admin, year=2027, holidays=holidays, makeup_workdays=makeups)
    case.refresh_from_db()
    assert not case.deadline_provisional
    assert case.due_at > provisional_due


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_accept_exactly_once(dept):
    version = published_item(department=dept)
    clerks = [staff(Role.CLERK, dept) for _ in range(2)]
    case = submitted_case(version=version)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(clerk):
        barrier.wait()
        try:
            services.case_accept(actor=clerk, case=case)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert CaseEvent.objects.filter(case=case, action=Action.ACCEPT).count() == 1


def test_paper_materials_received_at_the_window_count_for_acceptance(version, clerk):
    specs = [m.pk for m in version.materials.all()]
    case = services.case_submit(actor=clerk, item_code=version.item.implementation_code, applicant=person(),
                                channel="window", paper=specs)
    assert case.materials.filter(on_paper=True).count() == len(specs)
    assert services.case_accept(actor=clerk, case=case).status == CaseStatus.ACCEPTED


def test_only_staff_may_record_paper_materials(version):
    with pytest.raises(PermissionDenied):
        services.case_submit(actor=None, item_code=version.item.implementation_code, applicant=person(),
                             channel="online", paper=[version.materials.first().pk])


def test_a_comprehensive_window_accepts_any_item_of_its_scope(version):
    """无差别受理: the clerk of a comprehensive window belongs to no department of the item, yet accepts it;
    deciding stays with the department."""
    from onewindow.org.models import StaffRole
    from onewindow.org.tests.factories import UserFactory, WindowFactory

    window = WindowFactory()  # comprehensive by default
    window.items.add(version.item)
    front_desk = UserFactory()
    StaffRole.objects.create(user=front_desk, role=Role.CLERK, department=DepartmentFactory(), window=window)
    case = services.case_accept(actor=front_desk, case=submitted_case(version=version))
    assert case.status == CaseStatus.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=front_desk, case=case, decision=Decision.APPROVE)
    other = published_item()
    with pytest.raises(NotFound):
        services.case_accept(actor=front_desk, case=submitted_case(version=other))
