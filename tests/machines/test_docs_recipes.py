"""The recipes of docs/machines.md, run as written, so the documentation cannot drift from
what Carnet accepts."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from machines.factories import MachineFactory
from machines.models import JobOutcome, JobState, MachineJob
from machines.services import machine_token_rotate
from users.factories import UserFactory

DOCS = Path(__file__).resolve().parents[2] / "docs" / "machines.md"

pytestmark = pytest.mark.django_db(transaction=True)


def octoprint_hook_script() -> str:
    """The Python block of the section on OctoPrint event hooks."""
    section = DOCS.read_text().split("### OctoPrint event hooks", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.fixture
def hook(tmp_path, live_server):
    machine = MachineFactory(slug="prusa-mk4", kind="3d_printer")
    script = tmp_path / "carnet_hook.py"
    script.write_text(octoprint_hook_script())
    environment = {
        "CARNET_EVENTS_URL": f"{live_server.url}/api/machines/prusa-mk4/events",
        "CARNET_TOKEN": machine_token_rotate(machine=machine),
        "CARNET_STATE": str(tmp_path / "print-state"),
        "HOME": str(tmp_path),
    }

    def run(event_name: str, payload: dict) -> subprocess.CompletedProcess:
        # What OctoPrint runs: the placeholders {__eventname} and {__json}, shell-quoted.
        return subprocess.run(  # noqa: S603
            [sys.executable, str(script), event_name, json.dumps(payload)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    run.machine = machine
    return run


PAYLOAD = {"name": "main.gcode", "path": "enable/main.gcode", "origin": "local", "size": 1234}


def test_octoprint_hook_reports_a_print_from_start_to_done(hook):
    member = UserFactory(username="thomas.petit")

    started = hook("PrintStarted", PAYLOAD | {"owner": "thomas.petit", "user": "thomas.petit"})
    done = hook("PrintDone", PAYLOAD | {"time": 321.5, "owner": "thomas.petit"})

    assert started.returncode == 0, started.stderr
    assert done.returncode == 0, done.stderr
    job = MachineJob.objects.get(machine=hook.machine)
    assert (job.state, job.outcome) == (JobState.FINISHED, JobOutcome.COMPLETED)
    assert job.file_name == "main.gcode"
    assert job.member == member
    assert list(job.events.values_list("kind", flat=True)) == ["start", "finish"]


@pytest.mark.parametrize(
    ("event_name", "outcome"),
    [("PrintFailed", JobOutcome.FAILED), ("PrintCancelled", JobOutcome.CANCELLED)],
)
def test_octoprint_hook_reports_how_a_print_ended(hook, event_name, outcome):
    hook("PrintStarted", PAYLOAD)
    ended = hook(event_name, PAYLOAD | {"reason": "error"})

    assert ended.returncode == 0, ended.stderr
    job = MachineJob.objects.get(machine=hook.machine)
    assert job.outcome == outcome
    assert job.member is None  # no owner: the member claims it with the QR code


def test_octoprint_hook_gives_each_print_of_a_file_its_own_job(hook):
    for _print in range(2):
        hook("PrintStarted", PAYLOAD)
        hook("PrintDone", PAYLOAD)

    assert MachineJob.objects.filter(state=JobState.FINISHED).count() == 2


def test_octoprint_hook_stops_on_a_refused_event_with_the_reason(hook):
    hook.machine.token_digest = "0" * 64
    hook.machine.save()

    result = hook("PrintStarted", PAYLOAD)

    assert result.returncode != 0
    assert "Carnet refused the event" in result.stderr
    assert not MachineJob.objects.exists()
