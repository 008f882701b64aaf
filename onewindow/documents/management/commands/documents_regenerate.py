"""Issue the legal documents that case events should have produced but did not."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from onewindow.cases.models import Case
from onewindow.documents.services import documents_create_missing


class Command(BaseCommand):
    help = "Issue missing legal documents (PDF) for case events, e.g. after a render failure. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--case", help="only this case number")
        parser.add_argument("--since", help="only events on or after this date (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="list what is missing, issue nothing")

    def handle(self, *args, case=None, since=None, dry_run=False, **options):
        case_obj = None
        if case:
            case_obj = Case.objects.filter(number=case).first()
            if case_obj is None:
                raise CommandError(f"No case numbered {case}.")
        since_date = None
        if since:
            since_date = parse_date(since)
            if since_date is None:
                raise CommandError("--since must be a date like 2025-01-31.")
        since_at = timezone.make_aware(dt.datetime.combine(since_date, dt.time.min)) if since_date else None
        report = documents_create_missing(case=case_obj, since=since_at, dry_run=dry_run)
        if dry_run:
            for event_id, kind in report.missing:
                self.stdout.write(f"missing: event {event_id} {kind}")
            self.stdout.write(f"{len(report.missing)} document(s) missing.")
            return
        for document in report.created:
            self.stdout.write(f"issued: {document.number} (case {document.case.number})")
        for event_id, kind, error in report.failed:
            self.stderr.write(f"failed: event {event_id} {kind}: {error}")
        self.stdout.write(f"{len(report.created)} issued, {len(report.failed)} failed.")
        if report.failed:
            raise CommandError("Some documents could not be issued; see the errors above.")
