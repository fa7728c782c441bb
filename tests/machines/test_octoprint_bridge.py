"""The OctoPrint bridge: a real OctoPrint with its virtual printer prints, the poller turns what
`/api/job` shows into a machine job with progress, time left and outcome.

The poller runs in the test's own thread, so these tests use ordinary (rolled back)
transactions. The rules it follows between two answers are also checked on hand-made answers,
for the states a virtual printer cannot easily reach (an error mid-print, a pause)."""

import logging
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from machines.bridges.octoprint import (
    JobSnapshot,
    OctoPrintPoller,
    PrinterWatch,
    print_job_id,
)
from machines.factories import MachineFactory
from machines.models import JobOutcome, JobState, MachineJob, MachineJobEvent
from tests.real_services import free_port

from .conftest import gcode_lasting

LOGGER = "carnet.machines.octoprint"
FILE = "carnet-test.gcode"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def printing(path="bracket.gcode", completion=10.0, print_time=60, time_left=540, state=None):
    return JobSnapshot(
        state=state or "Printing",
        path=path,
        name=path,
        completion=completion,
        print_time=print_time,
        time_left=time_left,
    )


def idle(completion=None, state="Operational"):
    return JobSnapshot(
        state=state, path="bracket.gcode", name="bracket.gcode", completion=completion
    )


def follow(poller, machine, watch, *snapshots):
    for snapshot in snapshots:
        poller.follow(machine, watch, snapshot)


# The rules, on hand-made answers ------------------------------------------------------------


@pytest.fixture
def printer(db):
    return MachineFactory(slug="prusa", kind="3d_printer", octoprint_url="http://octoprint.lab")


@pytest.fixture
def poller():
    return OctoPrintPoller(poll_seconds=2)


def test_print_seen_printing_then_idle_at_100_percent_is_one_completed_job(printer, poller):
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(
        poller, printer, watch, printing(completion=10), printing(completion=55.5, time_left=300)
    )
    job = MachineJob.objects.get(machine=printer)
    assert job.state == JobState.RUNNING
    assert job.progress == 55.5
    assert job.file_name == "bracket.gcode"
    expected = timezone.now() + timedelta(seconds=300)
    assert abs((job.expected_end_at - expected).total_seconds()) < 5
    # Started when OctoPrint's printTime says, to the second.
    assert abs((job.started_at - (timezone.now() - timedelta(seconds=60))).total_seconds()) < 5
    assert job.external_id.startswith("octoprint:bracket.gcode@")

    follow(poller, printer, watch, idle(completion=100.0))
    job.refresh_from_db()
    assert (job.state, job.outcome, job.progress) == (JobState.FINISHED, "completed", 100)
    assert watch.current is None


@pytest.mark.parametrize(
    ("last_answer", "outcome"),
    [
        (idle(state="Cancelling"), JobOutcome.CANCELLED),
        (idle(completion=None), JobOutcome.CANCELLED),  # OctoPrint clears a cancelled print
        (idle(state="Error"), JobOutcome.FAILED),
        (idle(state="Offline after error"), JobOutcome.FAILED),
        (idle(state="Offline"), JobOutcome.FAILED),
    ],
)
def test_how_a_print_leaves_printing_gives_its_outcome(printer, poller, last_answer, outcome):
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(poller, printer, watch, printing(), last_answer)
    job = MachineJob.objects.get(machine=printer)
    assert (job.state, job.outcome) == (JobState.FINISHED, outcome)


def test_pause_and_resume_stay_one_job_though_print_time_drops(printer, poller):
    """OctoPrint's printTime grows during a pause, then drops by the pause's length."""
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(
        poller,
        printer,
        watch,
        printing(print_time=100, completion=20),
        printing(print_time=400, completion=20, state="Paused"),
        printing(print_time=102, completion=21),
        idle(completion=100.0),
    )
    assert MachineJob.objects.filter(machine=printer).count() == 1
    assert MachineJob.objects.get(machine=printer).outcome == JobOutcome.COMPLETED


def test_progress_is_sent_when_the_percentage_or_the_expected_end_changes(printer, poller):
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(
        poller,
        printer,
        watch,
        printing(completion=10.0, time_left=540),
        printing(completion=10.4, time_left=538),  # same percent, same end: nothing to say
        printing(completion=11.0, time_left=530),
        printing(completion=11.2, time_left=900),  # the estimate moved by minutes
    )
    progress = MachineJobEvent.objects.filter(job__machine=printer, kind="progress")
    assert progress.count() == 2
    assert progress.last().payload["remaining_seconds"] == 900


def test_another_file_printing_interrupts_the_followed_job(printer, poller):
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(poller, printer, watch, printing(path="a.gcode"), printing(path="b.gcode"))
    jobs = {job.file_name: job for job in MachineJob.objects.filter(machine=printer)}
    assert jobs["a.gcode"].outcome == JobOutcome.INTERRUPTED
    assert jobs["b.gcode"].state == JobState.RUNNING


def test_restarted_poller_recognises_the_running_print_but_not_a_reprint(printer):
    OctoPrintPoller(poll_seconds=2).follow(
        printer, PrinterWatch(url=printer.octoprint_url), printing(print_time=60)
    )
    first = MachineJob.objects.get(machine=printer)

    # A new poller (the command restarted) sees the same print a little later.
    restarted = OctoPrintPoller(poll_seconds=2)
    watch = PrinterWatch(url=printer.octoprint_url)
    watch.current = restarted.recall(printer)
    restarted.follow(printer, watch, printing(print_time=63, completion=12))
    assert list(MachineJob.objects.filter(machine=printer)) == [first]

    # Much later, after the poller was away: the same file, begun after it was last seen.
    MachineJob.objects.filter(pk=first.pk).update(
        last_event_at=timezone.now() - timedelta(hours=2),
        started_at=timezone.now() - timedelta(hours=3),
    )
    again = OctoPrintPoller(poll_seconds=2)
    watch = PrinterWatch(url=printer.octoprint_url)
    watch.current = again.recall(printer)
    again.follow(printer, watch, printing(print_time=30))
    assert MachineJob.objects.filter(machine=printer).count() == 2
    first.refresh_from_db()
    assert first.outcome == JobOutcome.INTERRUPTED


def test_reprint_estimated_to_start_in_the_same_second_is_a_new_job(printer, poller, monkeypatch):
    """A re-print right after a cancel: printTime is whole seconds, so both starts may be
    estimated to the same second."""
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    watch = PrinterWatch(url=printer.octoprint_url)
    follow(
        poller,
        printer,
        watch,
        printing(print_time=0, completion=1),
        idle(state="Cancelling"),
        printing(print_time=0, completion=1),
    )
    first, second = MachineJob.objects.filter(machine=printer).order_by("pk")
    assert first.outcome == JobOutcome.CANCELLED
    assert second.state == JobState.RUNNING
    assert second.external_id == f"{first.external_id}-2"


def test_job_ids_differ_for_reprints_and_fit_in_an_external_id():
    now = timezone.now()
    assert print_job_id("a.gcode", now) != print_job_id("a.gcode", now + timedelta(seconds=1))
    long_path = "projects/" + "very-long-folder-name/" * 10 + "part.gcode"
    job_id = print_job_id(long_path, now)
    assert len(job_id) <= 100
    assert job_id != print_job_id(long_path.replace("projects", "projets"), now)


def test_unreachable_octoprint_backs_off_up_to_a_minute_and_logs_the_outage_once(db, caplog):
    MachineFactory(slug="far-printer", octoprint_url=f"http://127.0.0.1:{free_port()}")
    clock = FakeClock()
    poller = OctoPrintPoller(poll_seconds=2, clock=clock)
    caplog.set_level(logging.INFO, logger=LOGGER)

    delays = []
    for _ in range(7):
        poller.poll_once()
        watch = next(iter(poller.watches.values()))
        delays.append(watch.retry_delay)
        poller.poll_once()  # not due yet: not asked again
        clock.now += watch.retry_delay
    assert delays == [2, 4, 8, 16, 32, 60, 60]
    assert watch.failures == 7
    assert not MachineJob.objects.exists()
    records = [r for r in caplog.records if r.name == LOGGER]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "far-printer" in records[0].getMessage()


# Against a real OctoPrint ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def uploaded(octoprint_server):
    """A print that lasts about 8 s, uploaded and analysed once for the session."""
    octoprint_server.upload(FILE, gcode_lasting(8))
    return octoprint_server


@pytest.fixture
def octoprint_printer(db, uploaded):
    return MachineFactory(
        slug="mk3",
        kind="3d_printer",
        octoprint_url=uploaded.url,
        octoprint_api_key=uploaded.api_key,
    )


def poll_until(poller, condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        poller.poll_once()
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_octoprint_print_becomes_a_running_job_with_time_left_then_completed(
    uploaded, octoprint_printer
):
    poller = OctoPrintPoller(poll_seconds=0.5)
    uploaded.start_print(FILE)

    running = poll_until(
        poller,
        lambda: MachineJob.objects.filter(
            machine=octoprint_printer, state=JobState.RUNNING, progress__gt=0
        ).first(),
        timeout=10,
        what="a running job with progress",
    )
    assert running.file_name == FILE
    assert running.external_id.startswith(f"octoprint:{FILE}@")
    assert running.expected_end_at is not None
    assert 0 < running.remaining_seconds < 60

    finished = poll_until(
        poller,
        lambda: MachineJob.objects.filter(pk=running.pk, state=JobState.FINISHED).first(),
        timeout=30,
        what="the print to finish",
    )
    assert finished.outcome == JobOutcome.COMPLETED
    assert finished.progress == 100
    assert MachineJob.objects.filter(machine=octoprint_printer).count() == 1
    kinds = list(finished.events.values_list("kind", flat=True))
    assert kinds[0] == "start" and kinds[-1] == "finish" and "progress" in kinds
    assert set(finished.events.values_list("source", flat=True)) == {"octoprint"}


def test_octoprint_print_cancelled_through_its_api_is_a_cancelled_job_and_a_reprint_is_new(
    uploaded, octoprint_printer
):
    uploaded.start_print(FILE)
    # The command, run twice: a fresh poller each time, recognising the print of the first.
    call_command("machine_octoprint", "--once")
    call_command("machine_octoprint", "--once")
    first = MachineJob.objects.get(machine=octoprint_printer)
    assert first.state == JobState.RUNNING

    poller = OctoPrintPoller(poll_seconds=0.5)
    poller.poll_once()
    uploaded.cancel()
    poll_until(
        poller,
        lambda: MachineJob.objects.filter(pk=first.pk, state=JobState.FINISHED).exists(),
        timeout=15,
        what="the cancelled print to finish",
    )
    first.refresh_from_db()
    assert first.outcome == JobOutcome.CANCELLED

    uploaded.start_print(FILE)
    second = poll_until(
        poller,
        lambda: MachineJob.objects.filter(
            machine=octoprint_printer, state=JobState.RUNNING
        ).first(),
        timeout=10,
        what="the re-print",
    )
    assert second.external_id != first.external_id
    uploaded.cancel()
    uploaded.wait_until_idle()


def test_refused_api_key_is_an_outage_logged_once_until_the_key_is_fixed(
    uploaded, octoprint_printer, caplog
):
    octoprint_printer.octoprint_api_key = "not-the-key"
    octoprint_printer.save()
    clock = FakeClock()
    poller = OctoPrintPoller(poll_seconds=2, clock=clock)
    caplog.set_level(logging.INFO, logger=LOGGER)
    for _ in range(3):
        poller.poll_once()
        clock.now += 100
    watch = poller.watches[octoprint_printer.pk]
    assert watch.failures == 3

    octoprint_printer.octoprint_api_key = uploaded.api_key
    octoprint_printer.save()
    poller.poll_once()
    assert watch.failures == 0
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(messages) == 2, messages
    assert "403" in messages[0] and "API key" in messages[0]
    assert "answers again" in messages[1]
