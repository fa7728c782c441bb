import signal
import threading

from django.core.management.base import BaseCommand

from machines.bridges.octoprint import OctoPrintPoller


class Command(BaseCommand):
    help = (
        "Follow the prints of every machine with an OctoPrint address: poll its /api/job every "
        "CARNET_OCTOPRINT_POLL_SECONDS and record start, progress (time left) and finish. Runs "
        "until stopped (Ctrl-C or SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Poll every OctoPrint once and exit (a print already followed is recognised "
            "from its running job).",
        )

    def handle(self, *args, once=False, **options):
        poller = OctoPrintPoller()
        if once:
            poller.poll_once()
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        self.stdout.write(f"Polling OctoPrint every {poller.poll_seconds:g} s; Ctrl-C stops.")
        try:
            poller.run(stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("OctoPrint poller stopped.")
