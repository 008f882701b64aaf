"""Import one year's holidays and make-up working days from a text list (see listing.py for the format).

    manage.py calendar_import_year 2027 holidays-2027.txt
    manage.py calendar_import_year 2027 - < holidays-2027.txt
    manage.py calendar_import_year 2027 holidays-2027.txt --incomplete   # a draft: deadlines stay provisional
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.errors import ApplicationError
from onewindow.workcalendar.listing import parse_year_listing
from onewindow.workcalendar.services import calendar_import_year


class Command(BaseCommand):
    help = "Replace one year of the working-day calendar from a list of holidays (休) and make-up days (班)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file", help="UTF-8 text file, or - for standard input")
        parser.add_argument("--incomplete", action="store_true", help="do not mark the year as configured")
        parser.add_argument("--note", default="", help="e.g. the number of the State Council notice")

    def handle(self, *args, year, file, incomplete=False, note="", verbosity=1, **options):
        if file == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(file, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as exc:
                raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            holidays, makeups = parse_year_listing(text)
            row = calendar_import_year(actor=None, year=year, holidays=holidays, makeup_workdays=makeups,
                                       complete=not incomplete, note=note)
        except ApplicationError as exc:
            details = "\n".join(f"  {m}" for msgs in exc.fields.values() for m in msgs)
            raise CommandError(f"{exc.message}\n{details}") from exc
        if verbosity >= 1:
            state = "configured" if row.is_complete else "saved as a draft (not configured)"
            self.stdout.write(self.style.SUCCESS(
                f"{year}: {len(holidays)} holiday(s), {len(makeups)} make-up working day(s); {state}."))
