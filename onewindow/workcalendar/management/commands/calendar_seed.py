"""Load the working-day calendar of the years chinese_calendar knows (2004–2026 with chinesecalendar 1.11).

`migrate` already does this (post_migrate hook); run it by hand after upgrading the package:

    manage.py calendar_seed               # add years that are not there yet (idempotent)
    manage.py calendar_seed --refresh     # reload package days of every package year, keep manual edits
    manage.py calendar_seed --years 2025 2026
"""

from django.core.management.base import BaseCommand

from onewindow.workcalendar.services import calendar_seed_from_package, package_years


class Command(BaseCommand):
    help = "Load the working-day calendar (holidays and make-up working days) from the chinese_calendar package."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int, help="only these years (default: every package year)")
        parser.add_argument("--refresh", action="store_true",
                            help="reload days that came from the package, even for years already present")

    def handle(self, *args, years=None, refresh=False, verbosity=1, **options):
        known = package_years()
        seeded = calendar_seed_from_package(years=years, refresh=refresh)
        if verbosity >= 1:
            if seeded:
                self.stdout.write(self.style.SUCCESS(
                    f"Loaded {len(seeded)} year(s) from chinese_calendar: {', '.join(map(str, seeded))}."))
            else:
                self.stdout.write(f"Nothing to do: years {known[0]}–{known[-1]} are already present.")
