import datetime as dt

import pytest
from django.core.cache import cache

from onewindow.core.errors import ApplicationError, PermissionDenied
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, staff
from onewindow.workcalendar import services, snapshot
from onewindow.workcalendar.clock import compute_deadline
from onewindow.workcalendar.constants import CalendarSource, DayKind
from onewindow.workcalendar.listing import parse_year_listing
from onewindow.workcalendar.models import CalendarDay, CalendarYear
from onewindow.workcalendar.owners import register_deadline_owner
from onewindow.workcalendar.selectors import calendar_missing_years_needed, calendar_snapshot

from .factories import LISTING_2027, at, package_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return staff(Role.ADMIN, None, username="calendar-admin")


def import_2027(actor=None, complete=True):
    holidays, makeups = parse_year_listing(LISTING_2027)
    return services.calendar_import_year(actor=actor, year=2027, holidays=holidays, makeup_workdays=makeups,
                                         complete=complete, note="国办发明电〔2026〕测试号")


# -- seeding --------------------------------------------------------------------------------------

def test_migrate_seeded_2004_to_2026_from_the_package():
    assert list(CalendarYear.objects.filter(is_complete=True).order_by("year").values_list("year", flat=True)) == list(
        range(2004, 2027))
    assert CalendarDay.objects.count() == sum(366 if y % 4 == 0 else 365 for y in range(2004, 2027))
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 11)).kind == DayKind.MAKEUP
    day = CalendarDay.objects.get(date=dt.date(2025, 10, 6))
    assert (day.kind, day.holiday_name) == (DayKind.HOLIDAY, "中秋节")


def test_the_database_snapshot_is_the_package_calendar():
    db, pkg = calendar_snapshot(), package_snapshot()
    assert db.configured_years == pkg.configured_years
    assert (db.lo, db.hi, db._work) == (pkg.lo, pkg.hi, pkg._work)


def test_seeding_again_does_nothing_and_keeps_manual_edits():
    services.calendar_set_day(actor=None, day=dt.date(2026, 3, 2), kind=DayKind.HOLIDAY, holiday_name="县庆")
    assert services.calendar_seed_from_package() == []
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 2)).kind == DayKind.HOLIDAY
    # a refresh reloads the package's days but leaves the manual one alone
    CalendarDay.objects.filter(date=dt.date(2026, 1, 1)).update(kind=DayKind.WORKDAY, holiday_name="")
    assert services.calendar_seed_from_package(years=[2026], refresh=True) == [2026]
    assert CalendarDay.objects.get(date=dt.date(2026, 1, 1)).kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=dt.date(2026, 3, 2)).holiday_name == "县庆"
    assert CalendarDay.objects.filter(date__year=2026).count() == 365


def test_seeding_an_empty_table_is_fast_and_complete(django_assert_max_num_queries):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    with django_assert_max_num_queries(10):  # one prepared insert run over all 8401 rows
        years = services.calendar_seed_from_package()
    assert years == list(range(2004, 2027))
    assert CalendarDay.objects.filter(source=CalendarSource.PACKAGE).count() == 8401
    assert AuditEvent.objects.filter(action="workcalendar.seed_package").exists()


# -- one day ----------------------------------------------------------------------------------------

def test_setting_a_day_is_audited_and_the_clock_sees_it_at_once(admin_user):
    before = compute_deadline(at("2026-03-02 10:00"), 1)
    assert before.due_at == at("2026-03-03 17:30")
    services.calendar_set_day(actor=admin_user, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY,
                              holiday_name="县庆", note="县政府通知")
    assert compute_deadline(at("2026-03-02 10:00"), 1).due_at == at("2026-03-04 17:30")
    event = AuditEvent.objects.get(action="workcalendar.day_set")
    assert event.old_values == {"kind": "workday", "holiday_name": ""}
    assert event.new_values == {"kind": "holiday", "holiday_name": "县庆"}
    assert event.actor == admin_user and event.reason == "县政府通知"


def test_other_processes_see_the_change_through_the_shared_version(admin_user, django_capture_on_commit_callbacks,
                                                                   settings):
    settings.WORKCALENDAR_VERSION_CHECK_SECONDS = 0
    old = calendar_snapshot()
    version = cache.get(snapshot.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_set_day(actor=admin_user, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY,
                                  holiday_name="县庆")
    assert cache.get(snapshot.VERSION_KEY) > version
    # another process still holding `old` compares versions and rebuilds
    snapshot._snapshot, snapshot._next_check = old, 0.0
    assert calendar_snapshot() is not old
    assert not calendar_snapshot().is_working_ordinal(dt.date(2026, 3, 3).toordinal())


@pytest.mark.parametrize(("day", "kind", "name", "field"), [
    (dt.date(2026, 3, 7), DayKind.WORKDAY, "", "kind"),      # a Saturday cannot be a plain workday
    (dt.date(2026, 3, 4), DayKind.REST, "", "kind"),         # a Wednesday off is a holiday, with a name
    (dt.date(2026, 3, 4), DayKind.MAKEUP, "春节", "kind"),    # make-up days are weekend days
    (dt.date(2026, 3, 4), DayKind.HOLIDAY, "", "holiday_name"),
    (dt.date(2026, 3, 7), DayKind.MAKEUP, " ", "holiday_name"),
    (dt.date(2026, 3, 7), "party", "", "kind"),
])
def test_impossible_days_are_refused(admin_user, day, kind, name, field):
    with pytest.raises(ApplicationError) as exc:
        services.calendar_set_day(actor=admin_user, day=day, kind=kind, holiday_name=name)
    assert field in exc.value.fields


def test_only_bureau_administrators_edit_the_calendar():
    clerk = staff(Role.CLERK, None)
    dept_admin = staff(Role.ADMIN, DepartmentFactory())
    for user in (clerk, dept_admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.calendar_set_day(actor=user, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY, holiday_name="x")
    superuser = UserFactory(is_superuser=True)
    services.calendar_set_day(actor=superuser, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY, holiday_name="x")


# -- a year ---------------------------------------------------------------------------------------

def test_importing_2027_makes_it_configured(admin_user):
    before = compute_deadline(at("2026-12-28 10:00"), 5)
    assert before.provisional and before.missing_years == (2027,)
    assert before.due_at == at("2027-01-04 17:30")  # Mon–Fri fallback counts Jan 1
    row = import_2027(admin_user)
    assert row.is_complete and row.source == CalendarSource.IMPORT
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 20)).kind == DayKind.MAKEUP
    after = compute_deadline(at("2026-12-28 10:00"), 5)
    assert not after.provisional
    assert after.due_at == at("2027-01-05 17:30")  # Dec 29, 30, 31, (Jan 1–3 元旦) Jan 4, 5
    event = AuditEvent.objects.get(action="workcalendar.year_import")
    assert "2027-02-20 春节" in event.new_values["makeup_workdays"]


def test_importing_again_replaces_the_year(admin_user):
    import_2027(admin_user)
    services.calendar_import_year(actor=admin_user, year=2027, holidays=[(dt.date(2027, 1, 1), "元旦")])
    assert CalendarDay.objects.filter(date__year=2027, kind=DayKind.HOLIDAY).count() == 1
    assert not CalendarDay.objects.filter(date__year=2027, kind=DayKind.MAKEUP).exists()


def test_a_bad_import_reports_every_problem_and_changes_nothing(admin_user):
    with pytest.raises(ApplicationError) as exc:
        services.calendar_import_year(actor=admin_user, year=2027, holidays=[
            (dt.date(2028, 1, 1), "元旦"), (dt.date(2027, 2, 8), "")],
            makeup_workdays=[(dt.date(2027, 2, 8), "春节"), (dt.date(2027, 2, 10), "春节")])
    assert exc.value.fields["text"] == [
        "2028-01-01 不在 2027 年内。",
        "2027-02-08：法定节假日和调休上班日须填写节日名称。",
        "2027-02-08 不是周末，不能设为调休上班日。",
        "2027-02-10 不是周末，不能设为调休上班日。",
        "2027 年没有任何法定节假日：请核对清单。",
    ]
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_draft_year_is_used_but_stays_provisional(admin_user):
    import_2027(admin_user, complete=False)
    d = compute_deadline(at("2026-12-28 10:00"), 5)
    assert d.provisional and d.missing_years == (2027,)
    assert d.due_at == at("2027-01-05 17:30")  # the holidays already entered do count
    services.calendar_year_set_complete(actor=admin_user, year=2027)
    assert not compute_deadline(at("2026-12-28 10:00"), 5).provisional


def test_a_year_without_holidays_cannot_be_marked_complete(admin_user):
    with pytest.raises(ApplicationError, match="尚未录入"):
        services.calendar_year_set_complete(actor=admin_user, year=2028)


def test_missing_years_needed_for_administrators(admin_user):
    today = dt.date(2026, 11, 23)
    assert calendar_missing_years_needed(today=today) == [2027]
    compute_deadline(at("2026-06-01 10:00"), 500)  # runs into 2028 as well
    assert calendar_missing_years_needed(today=today) == [2027, 2028]
    import_2027(admin_user)
    assert calendar_missing_years_needed(today=today) == [2028]


def test_a_missing_year_is_logged_once(caplog):
    with caplog.at_level("WARNING", logger="onewindow.workcalendar"):
        compute_deadline(at("2026-12-28 10:00"), 5)
        compute_deadline(at("2026-12-29 10:00"), 5)
    assert [r.getMessage() for r in caplog.records].count(
        "工作日历缺少 2027 年的配置：涉及该年度的办理期限按周一至周五临时计算，请管理员配置该年度。") == 1


# -- the recompute hook ---------------------------------------------------------------------------

class MemoryDeadlines:
    """A test-only deadline owner: keeps deadlines in a dict the way cases will keep them in rows."""

    label = "test-memory"

    def __init__(self):
        self.rows: dict[str, tuple] = {}
        self.calls: list[frozenset[int]] = []

    def add(self, key, start, days):
        self.rows[key] = (start, days, compute_deadline(start, days))

    def recompute_deadlines(self, *, years):
        self.calls.append(years)
        changed = 0
        for key, (start, days, old) in self.rows.items():
            if not set(old.missing_years) & years:
                continue
            new = compute_deadline(start, days)
            if new != old:
                self.rows[key] = (start, days, new)
                changed += 1
        return changed


def test_configuring_a_year_recomputes_provisional_deadlines(admin_user, django_capture_on_commit_callbacks):
    owner = register_deadline_owner(MemoryDeadlines())
    owner.add("case-1", at("2026-12-28 10:00"), 5)    # into 2027: provisional
    owner.add("case-2", at("2026-06-01 10:00"), 5)    # inside 2026: final
    assert owner.rows["case-1"][2].provisional and owner.rows["case-1"][2].due_at == at("2027-01-04 17:30")
    with django_capture_on_commit_callbacks(execute=True):
        import_2027(admin_user)
    assert owner.calls == [frozenset({2027})]
    final = owner.rows["case-1"][2]
    assert not final.provisional and final.due_at == at("2027-01-05 17:30")
    assert not owner.rows["case-2"][2].provisional


def test_the_hook_waits_for_the_commit(admin_user, django_capture_on_commit_callbacks):
    owner = register_deadline_owner(MemoryDeadlines())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.calendar_set_day(actor=admin_user, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY,
                                  holiday_name="县庆")
    assert owner.calls == []
    for callback in callbacks:
        callback()
    assert owner.calls == [frozenset({2026})]


def test_a_failing_owner_does_not_stop_the_others(admin_user, django_capture_on_commit_callbacks):
    class Broken:
        label = "broken"

        def recompute_deadlines(self, *, years):
            raise RuntimeError("boom")

    register_deadline_owner(Broken())
    good = register_deadline_owner(MemoryDeadlines())
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.calendar_set_day(actor=admin_user, day=dt.date(2026, 3, 3), kind=DayKind.HOLIDAY, holiday_name="x")
    assert good.calls == [frozenset({2026})]


def test_an_owner_needs_the_protocol():
    with pytest.raises(TypeError):
        register_deadline_owner(object())
