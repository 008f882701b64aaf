"""Send pending notification deliveries whose retry time has come (cron in the embedded setup)."""

from django.core.management.base import BaseCommand

from onewindow.notifications.constants import DeliveryStatus
from onewindow.notifications.models import Delivery
from onewindow.notifications.services import deliveries_retry, deliveries_retry_due


class Command(BaseCommand):
    help = ("Queue (or, without a broker, send) pending deliveries that are due; --failed also starts failed "
            "deliveries over.")

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="also retry deliveries that failed for good")

    def handle(self, *args, failed=False, **options):
        restarted = 0
        if failed:
            ids = list(Delivery.objects.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
            restarted = deliveries_retry(delivery_ids=ids)
        due = deliveries_retry_due()
        counts = {s: Delivery.objects.filter(status=s).count() for s in DeliveryStatus.values}
        self.stdout.write(f"{len(due) + restarted} delivery(ies) queued. Now: " +
                          ", ".join(f"{k} {v}" for k, v in counts.items()))
