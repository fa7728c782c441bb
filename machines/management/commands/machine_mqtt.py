import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from machines.bridges.mqtt import BridgeMisconfigured, MachineEventBridge


class Command(BaseCommand):
    help = (
        "Record the job events machines publish on MQTT (CARNET_MQTT_TOPIC, by default "
        "carnet/machines/<slug>/events) from the broker at CARNET_MQTT_URL. Runs until stopped "
        "(Ctrl-C or SIGTERM)."
    )

    def handle(self, *args, **options):
        try:
            bridge = MachineEventBridge.from_settings()
        except BridgeMisconfigured as error:
            raise CommandError(str(error)) from None
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        self.stdout.write(f"Listening on {bridge.broker} for {bridge.topic}; Ctrl-C stops.")
        bridge.start()
        try:
            while not stop.wait(1):
                pass
        finally:
            bridge.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("MQTT bridge stopped.")
