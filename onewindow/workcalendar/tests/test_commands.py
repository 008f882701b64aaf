import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from onewindow.workcalendar.constants import DayKind
from onewindow.workcalendar.listing import format_year_listing, parse_year_listing
from onewindow.workcalendar.models import CalendarDay, CalendarYear

from .factories import LISTING_2027


@pytest.mark.django_db
def test_calendar_seed_is_idempotent():
    out = io.StringIO()
    call_command("calendar_seed", stdout=out)
    assert "Nothing to do" in out.getvalue()
    CalendarYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    out = io.StringIO()
    call_command("calendar_seed", stdout=out)
    assert "2025" in out.getvalue()
    assert CalendarDay.objects.filter(date__year=2025).count() == 365


@pytest.mark.django_db
def test_calendar_import_year(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(LISTING_2027, encoding="utf-8")
    out = io.StringIO()
    call_command("calendar_import_year", "2027", str(path), "--note", "测试", stdout=out)
    assert "2027: 32 holiday(s), 4 make-up working day(s); configured." in out.getvalue()
    assert CalendarYear.objects.get(year=2027).is_complete


@pytest.mark.django_db
def test_calendar_import_year_reports_bad_lines(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text("休 2027-02-30 春节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行的日期不存在"):
        call_command("calendar_import_year", "2027", str(path))


def test_listing_parses_ranges_and_marks():
    holidays, makeups = parse_year_listing("""
        # comment
        休 2027-10-01..2027-10-03 国庆节
        holiday 2027-10-04 ~ 2027-10-05 国庆节
        休 2027-10-06至2027-10-07 国庆节
        班 2027-09-26 国庆节
        makeup 2027-10-09 国庆节
    """)
    assert [d.day for d, _ in holidays] == [1, 2, 3, 4, 5, 6, 7]
    assert {n for _, n in holidays} == {"国庆节"}
    assert makeups == [(dt.date(2027, 9, 26), "国庆节"), (dt.date(2027, 10, 9), "国庆节")]
    assert format_year_listing(holidays, makeups) == (
        "休 2027-10-01..2027-10-07 国庆节\n班 2027-09-26 国庆节\n班 2027-10-09 国庆节")


def test_listing_round_trips():
    holidays, makeups = parse_year_listing(LISTING_2027)
    assert parse_year_listing(format_year_listing(holidays, makeups)) == (holidays, makeups)


def test_listing_reports_every_bad_line():
    from onewindow.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        parse_year_listing("休 2027-01-01\n假 2027-01-02 元旦\n休 2027-01-05..2027-01-01 元旦\n休 2027-01-01 元旦")
    assert [m[:6] for m in exc.value.fields["text"]] == ["第 1 行格", "第 2 行的", "第 3 行的"]


def test_day_kinds_are_what_bureaus_call_them():
    assert [str(label) for label in DayKind.labels] == ["工作日", "休息日", "法定节假日", "调休上班"]
