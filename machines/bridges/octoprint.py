"""The OctoPrint bridge: polls `GET <octoprint_url>/api/job` of every machine that has one and
turns what it sees into job events (start, progress, finish) for machine_job_record_event.

OctoPrint's event hooks can tell Carnet that a print started or ended, but not how long it
still has to go; polling gives both, with nothing to install on the printer's side.

What the poller reads (logger "carnet.machines.octoprint"):
- `state` "Printing" (or Paused, Pausing, Resuming, Finishing, "Printing from SD"): a print
  runs. The first time it is seen, a `start` event; then `progress` events with
  `progress.completion` and `progress.printTimeLeft` (time left, in seconds), sent when the
  whole percentage changes or the expected end moves by more than half a minute.
- leaving those states: a `finish` event. "Cancelling" → cancelled; "Operational" with
  completion 100 → completed, with less (OctoPrint clears the progress of a cancelled print)
  → cancelled; "Error", "Offline", "Offline after error" or anything else → failed.
  "Starting" decides nothing yet.
- an OctoPrint that cannot be reached (or refuses the API key) is asked again after 2, 4, 8…
  poll periods, at most a minute apart; the outage is logged once, and its end once. A print
  followed when OctoPrint went away stays running until OctoPrint answers again.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.utils import timezone

from machines.bridges import refresh_connections
from machines.events import EventRejected, JobEventIn, parse_event
from machines.models import JobState, Machine, MachineJob
from machines.services import machine_job_record_event

logger = logging.getLogger("carnet.machines.octoprint")

# OctoPrint's state texts (octoprint.util.comm) while a file is being printed.
PRINTING_STATES = {"Printing", "Printing from SD", "Pausing", "Paused", "Resuming", "Finishing"}
# A print is about to begin: nothing is decided until it prints.
STARTING_STATES = {"Starting", "Starting print from SD", "Starting to send file to SD"}
CANCELLING_STATE = "Cancelling"
IDLE_STATE = "Operational"

JOB_ID_PREFIX = "octoprint:"
MAX_JOB_ID = 100  # MachineJob.external_id
MAX_SECONDS = 7 * 24 * 3600  # what JobEventIn accepts


def print_job_id(path: str, started_at: datetime) -> str:
    """The job id of one print of `path` started at `started_at`.

    OctoPrint gives no id to a print, and `/api/job` tells no start time, only `printTime`,
    the seconds printed so far. The start is therefore estimated once, when the print is
    first seen (`now - printTime`, to the second), and kept with the print while it is
    followed: the id does not drift from poll to poll, even though `printTime` itself is not
    reliable (it grows during a pause, then drops back by the pause's length on resume).
    A re-print of the same file starts later, so it gets a new id.

    Which print a poll shows is decided by `OctoPrintPoller._same_print`, never by comparing
    re-estimated start times, so rounding can never split one print in two. Two prints
    estimated to start in the same second (a re-print right after a cancel) are kept apart by
    `OctoPrintPoller._start`, which adds -2, -3… to an id already taken. Long paths are
    shortened to a digest and their end, to fit the 100 characters of an external id."""
    stamp = started_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{JOB_ID_PREFIX}{_path_key(path)}@{stamp}"


def _path_key(path: str) -> str:
    room = MAX_JOB_ID - len(JOB_ID_PREFIX) - len("@20250101T000000Z") - len("-999")
    if len(path) <= room:
        return path
    digest = hashlib.sha256(path.encode()).hexdigest()[:8]
    return f"{digest}~{path[-(room - len(digest) - 1) :]}"


def _path_key_of_job_id(job_id: str) -> str:
    return job_id[len(JOB_ID_PREFIX) :].rsplit("@", 1)[0]


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class JobSnapshot:
    """The parts of one `/api/job` answer the poller uses."""

    state: str
    path: str | None = None
    name: str | None = None
    completion: float | None = None
    print_time: float | None = None
    time_left: float | None = None

    @classmethod
    def from_json(cls, data) -> "JobSnapshot":
        if not isinstance(data, dict) or not isinstance(data.get("state"), str):
            raise ValueError("the answer has no state")
        job = data.get("job") if isinstance(data.get("job"), dict) else {}
        file = job.get("file") if isinstance(job.get("file"), dict) else {}
        progress = data.get("progress") if isinstance(data.get("progress"), dict) else {}
        path = file.get("path") or file.get("name")
        name = file.get("display") or file.get("name") or path
        return cls(
            state=data["state"],
            path=path if isinstance(path, str) else None,
            name=name if isinstance(name, str) else None,
            completion=_number(progress.get("completion")),
            print_time=_number(progress.get("printTime")),
            time_left=_number(progress.get("printTimeLeft")),
        )

    @property
    def is_printing(self) -> bool:
        return self.state in PRINTING_STATES and bool(self.path)


@dataclass
class FollowedPrint:
    """The print the poller believes is running on a machine, between polls."""

    job_id: str
    path_key: str
    # When the poller last saw it printing, and whether it has watched without a gap since
    # (False after an outage, or for a print recalled from the database at start-up).
    last_seen_at: datetime
    continuous: bool = True
    sent_percent: int | None = None
    sent_end: datetime | None = None


@dataclass
class PrinterWatch:
    """What the poller keeps about one machine's OctoPrint."""

    url: str
    current: FollowedPrint | None = None
    recalled: bool = False
    failures: int = 0
    retry_delay: float = 0.0
    next_poll_at: float = 0.0
    outage_since: float | None = None
    outage_reason: str = field(default="")


class OctoPrintUnreachable(Exception):
    pass


class OctoPrintPoller:
    """Polls every machine with an OctoPrint address; `poll_once()` is one round, `run()`
    loops until its stop event is set. Keep one poller alive: it remembers each print."""

    MAX_BACKOFF_SECONDS = 60.0
    CONNECT_TIMEOUT_SECONDS = 3.05
    READ_TIMEOUT_SECONDS = 5.0
    # A progress event is sent when the expected end moves by more than this.
    END_DRIFT = timedelta(seconds=30)

    def __init__(self, *, poll_seconds: float | None = None, clock=time.monotonic):
        self.poll_seconds = float(
            settings.CARNET_OCTOPRINT_POLL_SECONDS if poll_seconds is None else poll_seconds
        )
        self.clock = clock
        self.watches: dict[int, PrinterWatch] = {}
        self.session = requests.Session()

    # Running ------------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.poll_once()
            stop.wait(self.poll_seconds)

    def poll_once(self) -> None:
        """Ask every machine whose OctoPrint is due (not waiting out a back-off)."""
        refresh_connections()
        try:
            machines = list(Machine.objects.exclude(octoprint_url="").order_by("pk"))
        except Exception:
            logger.exception("Could not read the machines to poll; trying again next round.")
            refresh_connections()
            return
        known = {machine.pk for machine in machines}
        for pk in set(self.watches) - known:
            del self.watches[pk]
        for machine in machines:
            watch = self.watches.get(machine.pk)
            if watch is None or watch.url != machine.octoprint_url:
                watch = self.watches[machine.pk] = PrinterWatch(url=machine.octoprint_url)
            if self.clock() < watch.next_poll_at:
                continue
            try:
                self.poll_machine(machine, watch)
            except Exception:
                logger.exception("Could not record the job of %s; trying again.", machine.slug)
                refresh_connections()
        refresh_connections()

    def poll_machine(self, machine: Machine, watch: PrinterWatch) -> None:
        try:
            snapshot = self.fetch(machine)
        except OctoPrintUnreachable as error:
            self._failed(machine, watch, str(error))
            return
        self._reachable(machine, watch)
        if not watch.recalled:
            watch.current = self.recall(machine)
            watch.recalled = True
        self.follow(machine, watch, snapshot)

    def fetch(self, machine: Machine) -> JobSnapshot:
        url = f"{machine.octoprint_url.rstrip('/')}/api/job"
        try:
            response = self.session.get(
                url,
                headers={"X-Api-Key": machine.octoprint_api_key},
                timeout=(self.CONNECT_TIMEOUT_SECONDS, self.READ_TIMEOUT_SECONDS),
            )
        except requests.RequestException as error:
            raise OctoPrintUnreachable(f"{type(error).__name__}: {error}") from None
        if response.status_code in (401, 403):
            raise OctoPrintUnreachable(f"HTTP {response.status_code}: the API key is refused")
        if response.status_code != 200:
            raise OctoPrintUnreachable(f"HTTP {response.status_code}")
        try:
            return JobSnapshot.from_json(response.json())
        except ValueError as error:
            raise OctoPrintUnreachable(f"unexpected answer: {error}") from None

    # Outages ------------------------------------------------------------------------------

    def _failed(self, machine: Machine, watch: PrinterWatch, reason: str) -> None:
        watch.failures += 1
        watch.retry_delay = min(
            self.poll_seconds * 2 ** (watch.failures - 1), self.MAX_BACKOFF_SECONDS
        )
        watch.next_poll_at = self.clock() + watch.retry_delay
        if watch.current is not None:
            watch.current.continuous = False
        if watch.outage_since is None:
            watch.outage_since = self.clock()
            watch.outage_reason = reason
            logger.warning(
                "OctoPrint of %s at %s cannot be reached (%s); retrying less and less "
                "often, at least every %d s.",
                machine.slug,
                machine.octoprint_url,
                reason,
                self.MAX_BACKOFF_SECONDS,
            )

    def _reachable(self, machine: Machine, watch: PrinterWatch) -> None:
        if watch.outage_since is not None:
            logger.info(
                "OctoPrint of %s at %s answers again, after %.0f s and %d failed polls.",
                machine.slug,
                machine.octoprint_url,
                self.clock() - watch.outage_since,
                watch.failures,
            )
        watch.failures = 0
        watch.retry_delay = 0.0
        watch.next_poll_at = 0.0
        watch.outage_since = None
        watch.outage_reason = ""

    # From snapshots to events -------------------------------------------------------------

    def recall(self, machine: Machine) -> FollowedPrint | None:
        """The print this poller's predecessor was following, if its job is still running."""
        job = (
            MachineJob.objects.filter(
                machine=machine, state=JobState.RUNNING, external_id__startswith=JOB_ID_PREFIX
            )
            .order_by("-started_at", "-pk")
            .first()
        )
        if job is None:
            return None
        return FollowedPrint(
            job_id=job.external_id,
            path_key=_path_key_of_job_id(job.external_id),
            last_seen_at=job.last_event_at or job.started_at or timezone.now(),
            continuous=False,
            sent_percent=int(job.progress) if job.progress is not None else None,
            sent_end=job.expected_end_at,
        )

    def follow(self, machine: Machine, watch: PrinterWatch, snapshot: JobSnapshot) -> None:
        """Compare what OctoPrint shows with the print being followed; send what changed."""
        now = timezone.now()
        current = watch.current
        if snapshot.is_printing:
            if current is not None and self._same_print(current, snapshot, now):
                self._progress(machine, current, snapshot, now)
            else:
                # A different print: its start ends the previous job as interrupted.
                watch.current = self._start(machine, snapshot, now)
            return
        if current is None or snapshot.state in STARTING_STATES:
            return
        if snapshot.state == CANCELLING_STATE:
            outcome = "cancelled"
        elif snapshot.state == IDLE_STATE:
            done = snapshot.completion is not None and snapshot.completion >= 100
            outcome = "completed" if done else "cancelled"
        else:
            outcome = "failed"
        self._send(machine, {"event": "finish", "job_id": current.job_id, "outcome": outcome})
        logger.info(
            "%s: print %s ended (%s, OctoPrint says %r).",
            machine.slug,
            current.job_id,
            outcome,
            snapshot.state,
        )
        watch.current = None

    def _same_print(self, current: FollowedPrint, snapshot: JobSnapshot, now) -> bool:
        """Whether the print OctoPrint shows is the one being followed.

        Watched without a gap, the same file is the same print: a printer prints one thing at
        a time, and a print cannot end and begin again unseen within one poll period. After a
        gap (an outage, or a restart of the poller), it is the same print only if it had
        already begun when the followed one was last seen printing."""
        if _path_key(snapshot.path) != current.path_key:
            return False
        if current.continuous:
            return True
        started = now - timedelta(seconds=snapshot.print_time or 0)
        slack = timedelta(seconds=self.poll_seconds + 5)
        return started <= current.last_seen_at + slack

    def _start(self, machine: Machine, snapshot: JobSnapshot, now) -> FollowedPrint:
        started_at = (now - timedelta(seconds=snapshot.print_time or 0)).replace(microsecond=0)
        job_id = self._unused_job_id(machine, print_job_id(snapshot.path, started_at))
        event = {"event": "start", "job_id": job_id, "timestamp": started_at.isoformat()}
        if snapshot.name:
            event["file_name"] = snapshot.name[:255]
        if snapshot.completion is not None:
            event["progress"] = min(max(snapshot.completion, 0), 100)
        if snapshot.print_time is not None and snapshot.time_left is not None:
            event["estimated_seconds"] = _seconds(snapshot.print_time + snapshot.time_left)
        self._send(machine, event)
        logger.info("%s: print of %s started (job %s).", machine.slug, snapshot.name, job_id)
        followed = FollowedPrint(job_id=job_id, path_key=_path_key(snapshot.path), last_seen_at=now)
        if snapshot.completion is not None:
            followed.sent_percent = int(snapshot.completion)
        if snapshot.time_left is not None:
            followed.sent_end = now + timedelta(seconds=snapshot.time_left)
        return followed

    def _unused_job_id(self, machine: Machine, job_id: str) -> str:
        """This is a new print: an id that no job of this machine has (see print_job_id)."""
        taken = set(
            MachineJob.objects.filter(machine=machine, external_id__startswith=job_id).values_list(
                "external_id", flat=True
            )
        )
        number = 1
        unused = job_id
        while unused in taken:
            number += 1
            unused = f"{job_id}-{number}"
        return unused

    def _progress(self, machine: Machine, current: FollowedPrint, snapshot, now) -> None:
        current.last_seen_at = now
        current.continuous = True
        percent = int(snapshot.completion) if snapshot.completion is not None else None
        end = (
            now + timedelta(seconds=snapshot.time_left) if snapshot.time_left is not None else None
        )
        moved = end is not None and (
            current.sent_end is None or abs(end - current.sent_end) > self.END_DRIFT
        )
        if percent == current.sent_percent and not moved:
            return
        event = {"event": "progress", "job_id": current.job_id, "timestamp": now.isoformat()}
        if snapshot.completion is not None:
            event["progress"] = min(max(snapshot.completion, 0), 100)
        if snapshot.time_left is not None:
            event["remaining_seconds"] = _seconds(snapshot.time_left)
        self._send(machine, event)
        current.sent_percent = percent
        if end is not None:
            current.sent_end = end

    def _send(self, machine: Machine, raw: dict) -> None:
        try:
            event: JobEventIn = parse_event(raw)
        except EventRejected as error:
            logger.warning("%s: OctoPrint's job gave an unusable event: %s", machine.slug, error)
            return
        machine_job_record_event(machine=machine, event=event, source="octoprint")


def _seconds(value: float) -> int:
    return int(min(max(round(value), 0), MAX_SECONDS))
