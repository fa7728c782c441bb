"""`manage.py simulate_machine_job` against a real server (pytest-django's live_server)."""

import io
import re
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from machines.factories import MachineFactory
from machines.models import JobOutcome, JobState, MachineJob
from machines.permissions import event_token_is_valid
from machines.services import machine_token_rotate
from machines.simulation import job_events
from tests.real_services import free_port
from users.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def simulate(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("simulate_machine_job", *args, stdout=out)
    return out.getvalue()


def event_kinds(job: MachineJob) -> list[str]:
    return list(job.events.order_by("occurred_at", "pk").values_list("kind", flat=True))


def test_simulated_job_goes_through_the_api_from_start_to_finish(live_server):
    machine = MachineFactory(slug="trotec", kind="laser_cutter")
    member = UserFactory(badge_uid="04:A1:B2:C3")

    output = simulate(
        "trotec",
        "--minutes=0.05",
        "--step-seconds=0.5",
        "--badge=04a1b2c3",
        f"--base-url={live_server.url}",
    )

    job = MachineJob.objects.get(machine=machine)
    assert job.external_id.startswith("sim-")
    kinds = event_kinds(job)
    assert kinds[0] == "start" and kinds[-1] == "finish"
    assert kinds.count("progress") >= 3
    assert {event.source for event in job.events.all()} == {"api"}
    assert job.state == JobState.FINISHED
    assert job.outcome == JobOutcome.COMPLETED
    assert job.progress == 100
    assert job.member == member
    assert job.file_name == "boite-a-bijoux.svg"
    progress = job.events.filter(kind="progress").order_by("occurred_at").first()
    assert 0 < progress.payload["progress"] < 100
    assert progress.payload["remaining_seconds"] > 0
    assert output.count('"event": "progress"') == kinds.count("progress")


def test_printed_kiosk_link_opens_the_kiosk_of_a_machine_that_had_none(live_server):
    machine = MachineFactory(slug="prusa", kind="3d_printer", kiosk_token="")

    output = simulate("prusa", "--minutes=0", f"--base-url={live_server.url}")

    machine.refresh_from_db()
    assert machine.kiosk_token
    kiosk_url = re.search(r"(http://\S+/kiosk/\?token=\S+)", output).group(1)
    assert kiosk_url == f"{live_server.url}{machine.kiosk_url}"
    with urllib.request.urlopen(kiosk_url) as response:  # noqa: S310
        assert response.status == 200
        assert machine.name in response.read().decode()


def test_without_token_a_new_one_is_made_and_the_old_one_stops_working(live_server):
    machine = MachineFactory(slug="cameo")
    old_token = machine_token_rotate(machine=machine)

    output = simulate("cameo", "--minutes=0", f"--base-url={live_server.url}")

    machine.refresh_from_db()
    assert "a real device using the old one must be given the new one" in output
    assert not event_token_is_valid(machine, old_token)
    assert MachineJob.objects.get(machine=machine).state == JobState.FINISHED


def test_given_token_is_used_and_kept(live_server):
    machine = MachineFactory(slug="shapeoko", kind="cnc_mill")
    token = machine_token_rotate(machine=machine)

    output = simulate(
        "shapeoko", "--minutes=0", f"--token={token}", f"--base-url={live_server.url}"
    )

    machine.refresh_from_db()
    assert event_token_is_valid(machine, token)
    assert "new event token" not in output
    assert MachineJob.objects.filter(machine=machine, state=JobState.FINISHED).count() == 1


def test_fail_ends_the_job_as_failed_halfway(live_server):
    machine = MachineFactory(slug="ender")
    member = UserFactory(username="thomas")

    simulate(
        "ender",
        "--minutes=0.02",
        "--step-seconds=0.2",
        "--fail",
        "--member=thomas",
        "--file=main.gcode",
        "--material=PETG",
        f"--base-url={live_server.url}",
    )

    job = MachineJob.objects.get(machine=machine)
    assert job.outcome == JobOutcome.FAILED
    assert job.member == member
    assert (job.file_name, job.material) == ("main.gcode", "PETG")
    assert job.progress is not None and job.progress < 60


def test_unknown_machine_is_a_clear_error():
    MachineFactory(slug="trotec")
    with pytest.raises(CommandError, match=r"No machine with the slug nope\. Machines: trotec"):
        simulate("nope", "--base-url=http://127.0.0.1:9")


def test_unreachable_server_says_to_run_make_demo_and_keeps_the_token():
    machine = MachineFactory(slug="trotec")
    token = machine_token_rotate(machine=machine)
    with pytest.raises(CommandError, match="make demo"):
        simulate("trotec", f"--base-url=http://127.0.0.1:{free_port()}")
    machine.refresh_from_db()
    assert event_token_is_valid(machine, token)
    assert not MachineJob.objects.exists()


def test_refused_event_prints_the_servers_message(live_server):
    MachineFactory(slug="trotec")
    with pytest.raises(CommandError, match=r"HTTP 403\): This token does not open this machine"):
        simulate("trotec", "--token=wrong", f"--base-url={live_server.url}")
    assert not MachineJob.objects.exists()


def test_unknown_member_is_refused_before_anything_is_sent():
    MachineFactory(slug="trotec")
    with pytest.raises(CommandError, match="No active member with the username ghost"):
        simulate("trotec", "--member=ghost", "--base-url=http://127.0.0.1:9")


def test_planned_events_count_down_to_the_finish():
    events = list(job_events(job_id="j", total_seconds=10, step_seconds=2.5))
    assert [e.payload["event"] for e in events] == [
        "start",
        "progress",
        "progress",
        "progress",
        "finish",
    ]
    assert [e.at for e in events] == [0, 2.5, 5, 7.5, 10]
    assert [e.payload.get("remaining_seconds") for e in events[1:4]] == [8, 5, 3]
    assert events[0].payload["estimated_seconds"] == 10
