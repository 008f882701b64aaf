from django.core.management.base import BaseCommand

from onewindow.ratings import rollups


class Command(BaseCommand):
    help = "Recount the rating and completed-case rollups from the records (safe to run at any time)."

    def handle(self, *args, **options):
        result = rollups.rebuild()
        self.stdout.write(f"rating rollup rows: {result['rating_rows']}, completed rows: {result['completed_rows']}")
