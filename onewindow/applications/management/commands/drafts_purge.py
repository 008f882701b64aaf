"""Delete online-application drafts abandoned for a long time, with their uploaded files."""

from django.core.management.base import BaseCommand

from onewindow.applications.services import drafts_purge


class Command(BaseCommand):
    help = "Delete open drafts (and their files) not saved for N days (default 90). Submitted drafts are kept."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="age in days since the last save (default 90)")
        parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")

    def handle(self, *args, days=90, dry_run=False, **options):
        count = drafts_purge(older_than_days=days, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} draft(s) older than {days} days.")
