"""Serve the app for the demo: runserver without the reloader, stopping cleanly on Ctrl-C and SIGTERM."""

import signal

from django.core.management import call_command
from django.core.management.base import BaseCommand


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # runserver turns this into its normal, clean shutdown


class Command(BaseCommand):
    help = "Serve OneWindow (embedded demo server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options):
        signal.signal(signal.SIGTERM, _interrupt)
        call_command("runserver", f"{host}:{port}", use_reloader=False)
