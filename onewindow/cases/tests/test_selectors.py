"""Case reads in the caller's scope: who sees what, clock states, the timeline and the public progress query."""

import datetime as dt

import pytest
from freezegun import freeze_time

from onewindow.cases import services
from onewindow.cases.constants import Action, CaseStatus
from onewindow.cases.selectors import (
    CASE_NOT_FOUND,
    PROGRESS_NOT_FOUND,
    ClockState,
    case_clock_state,
    case_get_for_user,
    case_list_for_user,
    case_progress_public,
    case_timeline,
)
from onewindow.cases.tests.factories import person, submitted_case, valid_ric
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.errors import NotFound
from onewindow.org.constants import Role
from onewindow.org.models import StaffRole
from onewindow.org.tests.factories import DepartmentFactory, RegionFactory, UserFactory, make_uscc, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def other_dept():
    return DepartmentFactory(name="云溪县交通运输局")


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk")


def numbers(qs) -> list[str]:
    return [c.number for c in qs]


def test_staff_see_their_departments_cases_only(version, other_dept, clerk):
    mine = submitted_case(version=version)
    theirs = submitted_case(version=published_item(department=other_dept), applicant=person(2))
    assert numbers(case_list_for_user(user=clerk)) == [mine.number]
    assert case_get_for_user(user=clerk, number=mine.number) == mine
    with pytest.raises(NotFound, match=CASE_NOT_FOUND):
        case_get_for_user(user=clerk, number=theirs.number)


def test_region_wide_and_bureau_wide_roles_see_every_department_they_cover(version, other_dept):
    a = submitted_case(version=version)
    b = submitted_case(version=published_item(department=other_dept), applicant=person(2))
    far = DepartmentFactory(region=RegionFactory(code="430423", name="邻县"))
    c = submitted_case(version=published_item(department=far), applicant=person(3))
    inspector = UserFactory()
    StaffRole.objects.create(user=inspector, role=Role.INSPECTOR, region=RegionFactory())  # 430422
    assert set(numbers(case_list_for_user(user=inspector))) == {a.number, b.number}
    assert set(numbers(case_list_for_user(user=staff(Role.HALL_MANAGER, None)))) == {a.number, b.number, c.number}


def test_applicants_see_the_cases_of_their_records_and_the_ones_they_filed(version):
    citizen = UserFactory()
    own = submitted_case(version=version, applicant=person(1, user=citizen))
    filed_for_mother = submitted_case(version=version, applicant=person(2, name="李母"), actor=citizen)
    submitted_case(version=version, applicant=person(3))
    assert set(numbers(case_list_for_user(user=citizen))) == {own.number, filed_for_mother.number}
    assert numbers(case_list_for_user(user=UserFactory())) == []


def test_roles_that_do_not_see_cases_see_nothing(version, dept):
    submitted_case(version=version)
    editor = staff(Role.CATALOGUE_EDITOR, dept)
    assert numbers(case_list_for_user(user=editor)) == []


def test_unknown_and_absurd_numbers_are_not_found(clerk):
    for number in ("", "4304222025", "9" * 500):
        with pytest.raises(NotFound):
            case_get_for_user(user=clerk, number=number)


def test_clock_states(version, clerk):
    with freeze_time("2025-11-03 10:00:00+08:00"):
        case = services.case_accept(actor=clerk, case=submitted_case(version=version))
        assert case_clock_state(case) == ClockState.NORMAL
    assert case_clock_state(case, now=dt.datetime(2025, 11, 10, 9, tzinfo=dt.UTC)) == ClockState.WARNING
    assert case_clock_state(case, now=dt.datetime(2025, 11, 11, 9, tzinfo=dt.UTC)) == ClockState.OVERDUE
    assert case_clock_state(submitted_case(version=version, applicant=person(2))) == ClockState.NONE
    reviewer = staff(Role.REVIEWER, version.item.department)
    case = services.case_suspend(actor=reviewer, case=case, kind="hearing", reason="听证")
    assert case_clock_state(case) == ClockState.PAUSED


def test_list_search_by_number_prefix_or_applicant_name(version, clerk):
    a = submitted_case(version=version, applicant=person(1, name="张三丰"))
    b = submitted_case(version=version, applicant=person(2, name="李四"))
    assert numbers(case_list_for_user(user=clerk, search="三丰")) == [a.number]
    assert numbers(case_list_for_user(user=clerk, search=b.number)) == [b.number]
    today = dt.date.today()
    assert len(case_list_for_user(user=clerk, submitted_from=today, submitted_to=today)) == 2
    assert len(case_list_for_user(user=clerk, submitted_to=today - dt.timedelta(days=2))) == 0


def test_timeline_for_applicants_leaves_out_internal_events(version, clerk):
    reviewer = staff(Role.REVIEWER, version.item.department)
    case = services.case_accept(actor=clerk, case=submitted_case(version=version))
    services.case_request_extension(actor=reviewer, case=case, days=3, reason="需现场核查")
    assert [e.action for e in case_timeline(case, public_only=False)] == [
        Action.SUBMIT, Action.ACCEPT, Action.REQUEST_EXTENSION]
    assert [e.action for e in case_timeline(case, public_only=True)] == [Action.SUBMIT, Action.ACCEPT]


# Public progress -----------------------------------------------------------------------------------


def test_progress_with_the_right_tail_in_any_case(version, clerk):
    id_number = valid_ric(11)
    case = services.case_accept(actor=clerk, case=submitted_case(version=version, applicant=person(11)))
    progress = case_progress_public(number=case.number, id_tail=id_number[-6:].lower())
    assert progress.status == CaseStatus.ACCEPTED and progress.item_name == "食品经营许可"
    assert progress.due_at == case.due_at
    assert [e.action for e in progress.events] == [Action.SUBMIT, Action.ACCEPT]


def test_a_company_is_found_by_its_credit_code_tail(version):
    code = make_uscc(77)
    company = services.applicant_get_or_create(kind="company", name="好味餐饮有限公司", credit_code=code)
    case = submitted_case(version=version, applicant=company)
    assert case_progress_public(number=case.number, id_tail=code[-6:]).number == case.number


def test_wrong_tail_and_unknown_number_give_the_same_answer(version):
    case = submitted_case(version=version, applicant=person(12))
    messages = []
    for number, tail in ((case.number, "000000"), ("430422209901010000", valid_ric(12)[-6:]), ("", "123456"),
                         (case.number, "")):
        with pytest.raises(NotFound) as exc:
            case_progress_public(number=number, id_tail=tail)
        messages.append((exc.value.code, exc.value.message))
    assert set(messages) == {("not_found", PROGRESS_NOT_FOUND)}


def test_progress_lists_the_materials_to_correct_and_nothing_personal(version, clerk):
    spec = version.materials.get(name="营业执照")
    case = submitted_case(version=version, applicant=person(13, name="赵六"))
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": spec.pk, "reason": "已过期"}])
    progress = case_progress_public(number=case.number, id_tail=valid_ric(13)[-6:])
    assert progress.correction_materials == ["营业执照"]
    text = repr(progress)
    assert "赵六" not in text and valid_ric(13) not in text and "13800000000" not in text
