"""The MQTT bridge against a real Mosquitto broker: messages published on a machine's topic
become its jobs, and nothing a message contains stops the bridge.

The bridge records events in paho's network thread, so these tests use committed
transactions (pytest-django empties the tables after each one)."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from django.db import OperationalError, connection

from machines.bridges import mqtt as bridge_module
from machines.bridges.mqtt import (
    BridgeMisconfigured,
    BrokerAddress,
    MachineEventBridge,
    slug_position,
)
from machines.factories import MachineFactory
from machines.models import JobOutcome, JobState, MachineJob, MachineJobEvent

from .conftest import REPOSITORY, Mosquitto

LOGGER = "carnet.machines.mqtt"
T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def committed(test):
    """The bridge records events from paho's thread: the test needs committed transactions,
    and reads beside the bridge's writes."""
    test = pytest.mark.usefixtures("reads_beside_the_bridge")(test)
    return pytest.mark.django_db(transaction=True)(test)


def wait_until(condition, *, timeout: float = 10, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Publisher:
    """A device on the broker: publishes with QoS 1 and waits until the broker has it."""

    def __init__(self, url: str):
        address = BrokerAddress.from_url(url)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.connect(address.host, address.port)
        self.client.loop_start()

    def publish(self, topic: str, payload) -> None:
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        self.client.publish(topic, payload, qos=1).wait_for_publish(timeout=5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def event(kind: str, job_id: str = "print-1", at: datetime = T0, **fields) -> dict:
    return {"event": kind, "job_id": job_id, "timestamp": at.isoformat(), **fields}


@pytest.fixture
def reads_beside_the_bridge():
    """On SQLite, the test database is one in-memory database shared between threads, where a
    table being written is locked for the other connections ("database table is locked"),
    without waiting. The test's own connection reads without taking locks, so checking the
    bridge's work never gets in its way. Other databases need nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 1")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 0")


@pytest.fixture
def prefix() -> str:
    """A topic prefix of its own for each test, so no test hears another's messages."""
    return f"carnet-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def bridge(mosquitto_broker, prefix):
    running = MachineEventBridge(url=mosquitto_broker.url, topic=f"{prefix}/machines/+/events")
    running.start()
    assert running.subscribed.wait(10), "the bridge did not subscribe"
    yield running
    running.stop()


@pytest.fixture
def publisher(mosquitto_broker):
    device = Publisher(mosquitto_broker.url)
    yield device
    device.close()


# Settings parsing (no broker) ---------------------------------------------------------------


def test_broker_url_gives_host_port_credentials_and_tls():
    plain = BrokerAddress.from_url("mqtt://bridge:s%40cret@broker.lab:1884")
    assert (plain.host, plain.port, plain.username, plain.password, plain.tls) == (
        "broker.lab",
        1884,
        "bridge",
        "s@cret",
        False,
    )
    secure = BrokerAddress.from_url("mqtts://broker.lab")
    assert (secure.port, secure.tls, secure.username) == (8883, True, None)
    assert BrokerAddress.from_url("mqtt://127.0.0.1").port == 1883


@pytest.mark.parametrize("url", ["http://broker.lab", "broker.lab:1883", "mqtt://"])
def test_broker_url_without_mqtt_scheme_or_host_is_refused(url):
    with pytest.raises(BridgeMisconfigured):
        BrokerAddress.from_url(url)


def test_the_plus_in_the_topic_is_where_the_slug_is_read():
    assert slug_position("carnet/machines/+/events") == 2
    assert slug_position("+/events") == 0
    for wrong in ("carnet/machines/events", "carnet/+/machines/+/events", "#/+/events"):
        with pytest.raises(BridgeMisconfigured):
            slug_position(wrong)


# Against the broker ----------------------------------------------------------------------


@committed
def test_start_progress_finish_on_mqtt_make_one_job_with_progress_time_left_and_outcome(
    bridge, publisher, prefix
):
    machine = MachineFactory(slug="prusa-mk4")
    topic = f"{prefix}/machines/prusa-mk4/events"

    publisher.publish(topic, event("start", file_name="support.gcode", estimated_seconds=3600))
    publisher.publish(
        topic, event("progress", at=T0 + timedelta(minutes=20), progress=40, remaining_seconds=1800)
    )
    job = wait_until(
        lambda: MachineJob.objects.filter(machine=machine, progress=40).first(),
        what="the progress to be recorded",
    )
    assert job.state == JobState.RUNNING
    assert job.file_name == "support.gcode"
    assert job.expected_end_at == T0 + timedelta(minutes=50)

    publisher.publish(topic, event("finish", at=T0 + timedelta(minutes=30), outcome="failed"))
    job = wait_until(
        lambda: MachineJob.objects.filter(machine=machine, state=JobState.FINISHED).first(),
        what="the finish to be recorded",
    )
    assert MachineJob.objects.filter(machine=machine).count() == 1
    assert job.outcome == JobOutcome.FAILED
    assert job.finished_at == T0 + timedelta(minutes=30)
    assert job.progress == 40
    sources = set(MachineJobEvent.objects.filter(job=job).values_list("source", flat=True))
    assert sources == {"mqtt"}
    assert MachineJobEvent.objects.filter(job=job).count() == 3


@committed
def test_bad_json_is_logged_with_its_topic_and_skipped_and_the_next_message_is_recorded(
    bridge, publisher, prefix, caplog
):
    machine = MachineFactory(slug="laser-1")
    topic = f"{prefix}/machines/laser-1/events"
    caplog.set_level(logging.WARNING, logger=LOGGER)

    publisher.publish(topic, b'{"event": "start", "job_id": ')
    publisher.publish(topic, event("explode"))
    publisher.publish(topic, event("start", job_id="cut-2"))

    wait_until(lambda: MachineJob.objects.filter(machine=machine).exists(), what="the good one")
    assert list(MachineJob.objects.values_list("external_id", flat=True)) == ["cut-2"]
    warnings = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 2, warnings
    assert all(topic in message for message in warnings)
    assert "not valid JSON" in warnings[0]
    assert "event" in warnings[1]


@committed
def test_same_event_published_ten_times_gives_one_job_and_one_event_row(bridge, publisher, prefix):
    machine = MachineFactory(slug="laser-2")
    topic = f"{prefix}/machines/laser-2/events"
    for _ in range(10):
        publisher.publish(topic, event("start", job_id="burst", file_name="box.svg"))
    # Messages on one topic arrive in order: once this one is in, the burst has been handled.
    publisher.publish(topic, event("progress", job_id="burst", at=T0 + timedelta(seconds=5)))
    wait_until(
        lambda: MachineJobEvent.objects.filter(kind="progress").exists(), what="the last one"
    )
    assert MachineJob.objects.filter(machine=machine).count() == 1
    assert MachineJobEvent.objects.filter(job__machine=machine, kind="start").count() == 1


@committed
def test_message_for_an_unknown_machine_is_logged_and_skipped(bridge, publisher, prefix, caplog):
    known = MachineFactory(slug="cnc")
    caplog.set_level(logging.WARNING, logger=LOGGER)
    publisher.publish(f"{prefix}/machines/ghost/events", event("start", job_id="g"))
    publisher.publish(f"{prefix}/machines/cnc/events", event("start", job_id="c"))

    wait_until(lambda: MachineJob.objects.filter(machine=known).exists(), what="the known one")
    assert MachineJob.objects.count() == 1
    assert any(
        "ghost" in r.getMessage() and "no machine" in r.getMessage()
        for r in caplog.records
        if r.name == LOGGER
    )


@committed
def test_database_error_on_one_message_is_logged_and_the_bridge_goes_on(
    bridge, publisher, prefix, caplog, monkeypatch
):
    machine = MachineFactory(slug="embroidery")
    topic = f"{prefix}/machines/embroidery/events"
    real_record = bridge_module.machine_job_record_event
    calls = []

    def database_down_once(**kwargs):
        calls.append(kwargs["event"].job_id)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return real_record(**kwargs)

    monkeypatch.setattr(bridge_module, "machine_job_record_event", database_down_once)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    publisher.publish(topic, event("start", job_id="lost"))
    publisher.publish(topic, event("start", job_id="kept", at=T0 + timedelta(minutes=1)))

    wait_until(lambda: MachineJob.objects.filter(machine=machine).exists(), what="the second")
    assert calls == ["lost", "kept"]
    assert list(MachineJob.objects.values_list("external_id", flat=True)) == ["kept"]
    failures = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert topic in failures[0].getMessage()
    assert "went away" in str(failures[0].exc_info[1])


@committed
def test_bridge_logs_a_lost_broker_once_and_reconnects_when_it_returns(tmp_path, caplog):
    machine = MachineFactory(slug="laser-3")
    broker = Mosquitto(tmp_path)
    broker.start()
    caplog.set_level(logging.INFO, logger=LOGGER)
    bridge = MachineEventBridge(url=broker.url, topic="carnet/machines/+/events")
    bridge.start()
    try:
        assert bridge.subscribed.wait(10)
        broker.stop()
        wait_until(lambda: not bridge.subscribed.is_set(), what="the bridge to notice")
        time.sleep(1.5)  # a few reconnection attempts fail meanwhile
        broker.start()  # same port
        assert bridge.subscribed.wait(15), "the bridge did not reconnect"
        publisher = Publisher(broker.url)
        publisher.publish("carnet/machines/laser-3/events", event("start", job_id="after"))
        publisher.close()
        wait_until(lambda: MachineJob.objects.filter(machine=machine).exists(), what="the job")
    finally:
        bridge.stop()
        broker.stop()
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    lost = [m for m in messages if "connection lost" in m or "cannot be reached" in m]
    assert len(lost) == 1, messages
    assert any(m.startswith("Reconnected") for m in messages), messages


def test_machine_mqtt_command_listens_and_stops_cleanly_on_sigterm(mosquitto_broker):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "docs_platform.settings.test",
        "CARNET_MQTT_URL": mosquitto_broker.url,
        "CARNET_MQTT_TOPIC": f"carnet-test-{uuid.uuid4().hex[:8]}/machines/+/events",
        "PYTHONUNBUFFERED": "1",
    }
    command = subprocess.Popen(
        [sys.executable, "manage.py", "machine_mqtt"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = command.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Listening for machine events" in line:
                break
        assert any("Listening for machine events" in line for line in output), output
        command.send_signal(signal.SIGTERM)
        rest, _ = command.communicate(timeout=15)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert command.returncode == 0, rest
    assert "MQTT bridge stopped." in rest
