from django.core.management.base import BaseCommand

from onewindow.ratings.exchange.sm2 import generate_keypair


class Command(BaseCommand):
    help = "Print a new SM2 key pair for RATINGS_EXCHANGE_PRIVATE_KEY / RATINGS_EXCHANGE_PUBLIC_KEY."

    def handle(self, *args, **options):
        private, public = generate_keypair()
        self.stdout.write(f"RATINGS_EXCHANGE_PRIVATE_KEY={private}\nRATINGS_EXCHANGE_PUBLIC_KEY={public}")
