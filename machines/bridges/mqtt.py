"""The MQTT bridge: job events published on `carnet/machines/<slug>/events` become machine jobs.

Card readers (ESP32 + RFID), power-sensing plugs (Shelly, Tasmota) and Home Assistant often
speak MQTT rather than HTTP. Each message carries the same JSON body as
`POST /api/machines/<slug>/events`; the topic names the machine (the segment the `+` of
CARNET_MQTT_TOPIC matches).

Trust: the bridge holds no per-machine token. Whoever may publish on a machine's topic may
report its jobs, so the broker's ACLs are the access control (one account per device, allowed
to publish on its own machine's topic only; the bridge's account only subscribes).

Nothing a message contains can stop the bridge: a bad body, an unknown machine or a database
error is logged (logger "carnet.machines.mqtt") and the next message is read. The connection
to the broker is re-established by paho with a growing delay, and its loss is logged once.
"""

import logging
import ssl
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from django.conf import settings

from machines.bridges import refresh_connections
from machines.events import EventRejected, is_machine_slug, parse_event
from machines.models import Machine
from machines.services import EventResult, machine_job_record_event

logger = logging.getLogger("carnet.machines.mqtt")

DEFAULT_TOPIC = "carnet/machines/+/events"


class BridgeMisconfigured(ValueError):
    """A broker address or topic the bridge cannot use; the message says what to change."""


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> "BrokerAddress":
        """`mqtt://user:password@host:1883`, or `mqtts://…` for TLS (port 8883 by default)."""
        parsed = urlparse(url)
        if parsed.scheme not in {"mqtt", "mqtts"}:
            raise BridgeMisconfigured(
                f"CARNET_MQTT_URL must start with mqtt:// or mqtts://, not {url!r}"
            )
        if not parsed.hostname:
            raise BridgeMisconfigured(f"CARNET_MQTT_URL names no host: {url!r}")
        tls = parsed.scheme == "mqtts"
        try:
            port = parsed.port or (8883 if tls else 1883)
        except ValueError as error:
            raise BridgeMisconfigured(f"CARNET_MQTT_URL: {error}") from None
        return cls(
            host=parsed.hostname,
            port=port,
            username=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            tls=tls,
        )

    def __str__(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def slug_position(topic_filter: str) -> int:
    """Which level of the topic holds the machine slug: the one `+` in the filter."""
    levels = topic_filter.split("/")
    wildcards = [index for index, level in enumerate(levels) if level == "+"]
    if len(wildcards) != 1 or "#" in levels[: wildcards[0]]:
        raise BridgeMisconfigured(
            f"CARNET_MQTT_TOPIC must contain exactly one + where the machine slug goes, "
            f"like {DEFAULT_TOPIC}; not {topic_filter!r}"
        )
    return wildcards[0]


class MachineEventBridge:
    """Subscribes to the machines' event topic and records every message it receives.

    `start()` connects in paho's network thread and returns; `stop()` disconnects and waits for
    that thread. `subscribed` is set once the broker has confirmed the subscription."""

    QOS = 1
    KEEPALIVE_SECONDS = 30
    RECONNECT_MAX_SECONDS = 60

    def __init__(
        self,
        *,
        url: str,
        topic: str = DEFAULT_TOPIC,
        client_id: str = "",
        ca_file: str = "",
    ):
        self.broker = BrokerAddress.from_url(url)
        self.topic = topic
        self._slug_level = slug_position(topic)
        self.subscribed = threading.Event()
        self._stopping = False
        self._connected_once = False
        self._outage_since: float | None = None
        # A fixed client id asks the broker for a persistent session: messages published
        # with QoS 1 while the bridge restarts are kept for it. Without one, a random id.
        persistent = bool(client_id)
        self._client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id or f"carnet-bridge-{uuid.uuid4().hex[:12]}",
            clean_session=not persistent,
        )
        if self.broker.username:
            self._client.username_pw_set(self.broker.username, self.broker.password)
        if self.broker.tls:
            self._client.tls_set(
                ca_certs=ca_file or None, cert_reqs=ssl.CERT_REQUIRED, tls_version=None
            )
        self._client.reconnect_delay_set(min_delay=1, max_delay=self.RECONNECT_MAX_SECONDS)
        self._client.on_connect = self._on_connect
        self._client.on_connect_fail = self._on_connect_fail
        self._client.on_disconnect = self._on_disconnect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message

    @classmethod
    def from_settings(cls) -> "MachineEventBridge":
        return cls(
            url=settings.CARNET_MQTT_URL,
            topic=settings.CARNET_MQTT_TOPIC,
            client_id=settings.CARNET_MQTT_CLIENT_ID,
            ca_file=settings.CARNET_MQTT_CA_FILE,
        )

    # Running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Connect (retrying until the broker answers) in a background thread."""
        self._stopping = False
        self._client.connect_async(
            self.broker.host, self.broker.port, keepalive=self.KEEPALIVE_SECONDS
        )
        self._client.loop_start()

    def stop(self) -> None:
        """Disconnect and wait for the network thread to end."""
        self._stopping = True
        self._client.disconnect()
        self._client.loop_stop()
        self.subscribed.clear()

    # Messages -----------------------------------------------------------------------------

    def slug_for(self, topic: str) -> str | None:
        levels = topic.split("/")
        if len(levels) <= self._slug_level or not is_machine_slug(levels[self._slug_level]):
            return None
        return levels[self._slug_level]

    def handle_message(self, topic: str, payload: bytes) -> EventResult | None:
        """Record one message; None (and a warning in the log) when it cannot be recorded."""
        slug = self.slug_for(topic)
        if slug is None:
            logger.warning("Skipped a message on %s: the topic names no machine.", topic)
            return None
        try:
            event = parse_event(payload)
        except EventRejected as error:
            logger.warning("Skipped a message on %s: %s", topic, error)
            return None
        machine = Machine.objects.filter(slug=slug).first()
        if machine is None:
            logger.warning("Skipped a message on %s: no machine has the slug %r.", topic, slug)
            return None
        result = machine_job_record_event(machine=machine, event=event, source="mqtt")
        logger.debug(
            "%s: %s of job %s %s.",
            topic,
            event.event,
            event.job_id,
            "recorded" if result.applied else "changed nothing (duplicate or late)",
        )
        return result

    # paho callbacks (run in the network thread) --------------------------------------------

    def _on_message(self, client, userdata, message) -> None:
        # Like a request: connections past their age, or broken by an error, are dropped
        # before and after, so a database that went away is reconnected on the next message.
        refresh_connections()
        try:
            self.handle_message(message.topic, message.payload)
        except Exception:
            logger.exception("Could not record the message on %s; skipped.", message.topic)
        finally:
            refresh_connections()

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self._begin_outage(f"the broker refused the connection ({reason_code})")
            return
        client.subscribe(self.topic, qos=self.QOS)
        if self._outage_since is not None and self._connected_once:
            logger.info(
                "Reconnected to the MQTT broker at %s after %.0f s.",
                self.broker,
                time.monotonic() - self._outage_since,
            )
        else:
            logger.info("Connected to the MQTT broker at %s.", self.broker)
        self._outage_since = None
        self._connected_once = True

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        refused = [code for code in reason_codes if code.is_failure]
        if refused:
            logger.error(
                "The MQTT broker at %s refused the subscription to %s (%s): check its ACL.",
                self.broker,
                self.topic,
                refused[0],
            )
            return
        logger.info("Listening for machine events on %s.", self.topic)
        self.subscribed.set()

    def _on_connect_fail(self, client, userdata) -> None:
        self._begin_outage("it cannot be reached")

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.subscribed.clear()
        if self._stopping:
            logger.info("Disconnected from the MQTT broker at %s.", self.broker)
            return
        self._begin_outage(f"connection lost ({reason_code})")

    def _begin_outage(self, reason: str) -> None:
        """Log the first failure of an outage only; paho keeps retrying with back-off."""
        if self._outage_since is not None:
            return
        self._outage_since = time.monotonic()
        logger.warning(
            "MQTT broker at %s: %s; retrying, waiting up to %d s between attempts.",
            self.broker,
            reason,
            self.RECONNECT_MAX_SECONDS,
        )
