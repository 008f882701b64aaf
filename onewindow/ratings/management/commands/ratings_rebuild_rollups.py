from django.core.management.base import BaseCommand

from onewindow.ratings import rollups


class Command(BaseCommand):
    help = ("Recount the rating and completed-case rollups from the records (safe at any time). With --backfill, "
            "first count cases completed before the ratings app was installed.")

    def add_arguments(self, parser):
        parser.add_argument("--backfill", action="store_true")

    def handle(self, *args, **options):
        if options["backfill"]:
            self.stdout.write(f"completed cases added: {rollups.backfill_completed()}")
        result = rollups.rebuild()
        self.stdout.write(f"rating rollup rows: {result['rating_rows']}, completed rows: {result['completed_rows']}")
