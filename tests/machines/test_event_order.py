"""Machine events in any order: a job's final state never depends on the order its events, and
those of the other jobs on its machine, arrived in (docs/machines.md, "Events in any order")."""

import contextlib
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import TestCase
from django.utils import timezone

from machines import services
from machines.events import parse_event
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobOutcome, JobState, MachineJob, MachineJobEvent
from projects.factories import ProjectPageFactory
from users.factories import UserFactory

# Two hours ago, on the minute: inside the window of accepted timestamps, whatever the date.
T0 = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
KIND_ORDER = {"start": 0, "progress": 1, "finish": 2}
COMPARED = (
    "state",
    "outcome",
    "started_at",
    "finished_at",
    "progress",
    "expected_end_at",
    "file_name",
    "material",
    "settings",
    "member_id",
    "project_id",
    "last_event_at",
)


def at(minutes: float):
    return T0 + timedelta(minutes=minutes)


def body(kind: str, job_id: str, minutes: float, **fields) -> dict:
    return {"event": kind, "job_id": job_id, "timestamp": at(minutes).isoformat(), **fields}


def record(machine, data: dict):
    return services.machine_job_record_event(machine=machine, event=parse_event(data))


def in_order(events: list[dict]) -> list[dict]:
    """The order the events happened in (ties: start, progress, finish, then job id)."""
    return sorted(events, key=lambda e: (e["timestamp"], KIND_ORDER[e["event"]], e["job_id"]))


def states(machine) -> dict[str, tuple]:
    jobs = MachineJob.objects.filter(machine=machine)
    return {job.external_id: tuple(getattr(job, name) for name in COMPARED) for job in jobs}


class OrderTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.machine = MachineFactory()
        cls.member = UserFactory(badge_uid="04:A1:B2:C3")
        cls.project = ProjectPageFactory(owner=cls.member)

    def record(self, kind, job_id, minutes, **fields):
        return record(self.machine, body(kind, job_id, minutes, **fields))

    def job(self, job_id) -> MachineJob:
        return MachineJob.objects.get(machine=self.machine, external_id=job_id)


class TestFinishAfterTheNextStart(OrderTestCase):
    def test_a_finish_arriving_after_the_next_start_is_applied(self):
        """The issue's case: start A 10:00, start B 10:10, then finish A (10:05)."""
        self.record("start", "A", 0)
        self.record("start", "B", 10)
        self.assertEqual(self.job("A").outcome, JobOutcome.INTERRUPTED)
        result = self.record("finish", "A", 5, outcome="completed")
        job = self.job("A")
        self.assertTrue(result.applied)
        self.assertEqual((job.state, job.outcome), (JobState.FINISHED, JobOutcome.COMPLETED))
        self.assertEqual((job.finished_at, job.progress), (at(5), 100))
        self.assertEqual(self.job("B").state, JobState.RUNNING)

    def test_a_finish_dated_after_the_next_start_is_still_the_machines_word(self):
        self.record("start", "A", 0)
        self.record("start", "B", 10)
        self.record("finish", "A", 15, outcome="failed")
        job = self.job("A")
        self.assertEqual((job.outcome, job.finished_at), (JobOutcome.FAILED, at(15)))
        self.assertEqual(self.job("B").state, JobState.RUNNING)

    def test_a_job_without_finish_ends_interrupted_at_the_next_start(self):
        self.record("start", "A", 0, estimated_seconds=3600)
        self.record("start", "B", 10)
        job = self.job("A")
        self.assertEqual((job.state, job.outcome), (JobState.FINISHED, JobOutcome.INTERRUPTED))
        self.assertEqual((job.finished_at, job.expected_end_at), (at(10), None))


class TestLateStarts(OrderTestCase):
    def test_a_late_start_of_an_earlier_job_ends_it_at_the_running_jobs_start(self):
        self.record("start", "B", 10)
        self.record("start", "A", 0)
        self.assertEqual(
            (self.job("A").outcome, self.job("A").finished_at), (JobOutcome.INTERRUPTED, at(10))
        )
        self.assertEqual(self.job("B").state, JobState.RUNNING)

    def test_a_late_start_between_two_jobs_moves_the_end_of_the_first(self):
        self.record("start", "A", 0)
        self.record("start", "C", 20)
        self.record("start", "B", 10)
        self.assertEqual(self.job("A").finished_at, at(10))
        self.assertEqual(self.job("B").finished_at, at(20))
        self.assertEqual(self.job("C").state, JobState.RUNNING)

    def test_a_start_arriving_after_its_finish_fills_the_start_and_reopens_nothing(self):
        self.record("finish", "A", 10, outcome="cancelled")
        self.record("start", "A", 0, badge_uid="04a1b2c3", file_name="plaque.svg")
        job = self.job("A")
        self.assertEqual((job.state, job.outcome), (JobState.FINISHED, JobOutcome.CANCELLED))
        self.assertEqual(
            (job.started_at, job.member, job.file_name), (at(0), self.member, "plaque.svg")
        )

    def test_two_starts_of_one_job_keep_the_earliest(self):
        self.record("start", "A", 5, file_name="v2.svg")
        self.record("start", "A", 0, file_name="v1.svg")
        job = self.job("A")
        self.assertEqual((job.started_at, job.state), (at(0), JobState.RUNNING))
        self.assertEqual(job.file_name, "v2.svg")  # the newest event that names the file
        self.assertEqual(MachineJob.objects.count(), 1)

    def test_jobs_started_at_the_same_instant_are_ordered_by_their_id(self):
        self.record("start", "b", 0)
        self.record("start", "a", 0)
        self.assertEqual(self.job("a").outcome, JobOutcome.INTERRUPTED)
        self.assertEqual(self.job("b").state, JobState.RUNNING)


class TestRepeatedAndStrayEvents(OrderTestCase):
    def test_the_same_event_again_changes_nothing(self):
        first = self.record("start", "A", 0, file_name="x.svg")
        again = self.record("start", "A", 0, file_name="x.svg")
        self.assertEqual((first.applied, again.applied), (True, False))
        self.assertEqual(MachineJobEvent.objects.count(), 1)

    def test_a_duplicate_of_an_interrupted_jobs_start_does_not_revive_it(self):
        self.record("start", "A", 0)
        self.record("start", "B", 10)
        self.assertFalse(self.record("start", "A", 0).applied)
        self.assertEqual(self.job("A").outcome, JobOutcome.INTERRUPTED)

    def test_progress_after_the_finish_changes_nothing(self):
        self.record("start", "A", 0)
        self.record("finish", "A", 5, outcome="cancelled")
        result = self.record("progress", "A", 6, progress=80, remaining_seconds=60)
        job = self.job("A")
        self.assertFalse(result.applied)
        self.assertEqual((job.state, job.progress, job.expected_end_at), ("finished", None, None))

    def test_progress_after_the_next_start_does_not_count_for_an_interrupted_job(self):
        self.record("start", "A", 0)
        self.record("progress", "A", 5, progress=40)
        self.record("start", "B", 10)
        self.record("progress", "A", 12, progress=90)
        self.assertEqual(self.job("A").progress, 40)

    def test_a_finish_for_an_unknown_job_closes_it_and_leaves_the_running_job_alone(self):
        self.record("start", "A", 0)
        result = self.record("finish", "ghost", 5, outcome="failed")
        ghost = self.job("ghost")
        self.assertTrue(result.applied)
        self.assertEqual(
            (ghost.state, ghost.outcome, ghost.started_at), ("finished", "failed", None)
        )
        self.assertEqual(self.job("A").state, JobState.RUNNING)

    def test_a_second_finish_keeps_the_first(self):
        self.record("start", "A", 0)
        self.record("finish", "A", 9, outcome="failed")
        self.record("finish", "A", 5, outcome="cancelled")
        job = self.job("A")
        self.assertEqual((job.outcome, job.finished_at), (JobOutcome.CANCELLED, at(5)))

    def test_the_member_who_claimed_a_job_keeps_it_when_later_events_come(self):
        claimer = UserFactory()
        self.record("start", "A", 0)
        job = self.job("A")
        services.machine_job_claim(job=job, user=claimer, project=ProjectPageFactory(owner=claimer))
        self.record("progress", "A", 1, badge_uid="04:A1:B2:C3", progress=10)
        self.assertEqual(self.job("A").member, claimer)

    def test_a_job_made_by_hand_still_ends_at_the_next_start(self):
        by_hand = MachineJobFactory(machine=self.machine, started_at=at(-5))
        self.record("start", "A", 0)
        by_hand.refresh_from_db()
        self.assertEqual((by_hand.outcome, by_hand.finished_at), (JobOutcome.INTERRUPTED, at(0)))


class TestRebuildingJobsRecordedUnderOlderRules(OrderTestCase):
    def test_a_job_left_interrupted_although_its_finish_came_gets_its_outcome_back(self):
        self.record("start", "A", 0)
        self.record("start", "B", 10)
        self.record("finish", "A", 5, outcome="failed")
        # What the older rules left: the finish kept, but the job still "interrupted".
        MachineJob.objects.filter(machine=self.machine, external_id="A").update(
            outcome=JobOutcome.INTERRUPTED, finished_at=at(10)
        )
        out = StringIO()
        call_command("machine_jobs_rebuild", self.machine.slug, stdout=out)
        job = self.job("A")
        self.assertEqual((job.outcome, job.finished_at), (JobOutcome.FAILED, at(5)))
        self.assertIn(f"{self.machine.slug}: 1 job(s) changed", out.getvalue())
        self.assertEqual(services.machine_jobs_rebuild(machine=self.machine), 0)

    def test_an_unknown_machine_is_named(self):
        with self.assertRaisesMessage(CommandError, "nope"):
            call_command("machine_jobs_rebuild", "nope", stdout=StringIO())


def machine_history(rng: random.Random, member_badges: list[str]) -> list[dict]:
    """A machine's day: jobs that start, report, end (or not), overlapping now and then, with
    events missing, repeated, late, and finishes dated before the next start's arrival."""
    events = []
    clock = 0.0
    for number in range(rng.randint(4, 9)):
        job_id = f"job-{number:02d}"
        start = clock + rng.choice((0, 0, 1, 3, 7.5))
        length = rng.choice((2, 5, 12, 30))
        clock = start + length * rng.choice((0.5, 1, 1, 1.2))  # some overlap the next
        details = {
            "file_name": rng.choice(("a.svg", "b.gcode", "c.nc")),
            "material": rng.choice(("PLA", "MDF 3 mm")),
            "settings": {"power": rng.randint(10, 90)},
            "estimated_seconds": int(length * 60),
        }
        if member_badges and rng.random() < 0.7:
            details["badge_uid"] = rng.choice(member_badges)
        if rng.random() < 0.85:
            events.append(body("start", job_id, start, **details))
        for step in range(rng.randint(0, 3)):
            minute = start + length * (step + 1) / 4 + rng.choice((0, 0, length))
            progress = {"progress": min(100, 25 * (step + 1)), "remaining_seconds": 60 * step}
            if rng.random() < 0.3:
                progress["file_name"] = f"v{step}.svg"
            events.append(body("progress", job_id, minute, **progress))
        if rng.random() < 0.75:
            outcome = rng.choice(("completed", "completed", "cancelled", "failed"))
            finish = {"outcome": outcome} if rng.random() < 0.8 else {}
            events.append(body("finish", job_id, start + length, **finish))
            if rng.random() < 0.15:  # a second, later finish from a confused sender
                events.append(body("finish", job_id, start + length + 2, outcome="failed"))
    duplicates = [dict(event) for event in events if rng.random() < 0.2]
    return events + duplicates


class TestAnyOrderGivesTheSameJobs(TestCase):
    """Property: for random machine histories and random permutations of their events (with
    duplicates), every job ends as it does when the events arrive in the order they happened."""

    SEEDS = range(12)

    @classmethod
    def setUpTestData(cls):
        cls.members = [UserFactory(badge_uid=f"04:00:00:{n:02X}") for n in range(3)]
        for member in cls.members:
            ProjectPageFactory(owner=member)

    def test_every_permutation_with_duplicates_ends_in_the_ordered_state(self):
        badges = [member.badge_uid for member in self.members]
        for seed in self.SEEDS:
            with self.subTest(seed=seed):
                rng = random.Random(seed)
                events = machine_history(rng, badges)
                ordered, shuffled = MachineFactory(), MachineFactory()
                for event in in_order(events):
                    record(ordered, event)
                permutation = list(events)
                rng.shuffle(permutation)
                for event in permutation:
                    record(shuffled, event)
                expected = states(ordered)
                self.assertEqual(states(shuffled), expected)
                self.assertEqual(
                    len(expected), len({e["job_id"] for e in events}), "a job went missing"
                )
                running = [job for job in expected.values() if job[0] == JobState.RUNNING]
                self.assertLessEqual(len(running), 1, "a machine runs one job at a time")

    def test_every_finish_received_decides_its_jobs_outcome(self):
        for seed in self.SEEDS:
            with self.subTest(seed=seed):
                rng = random.Random(1000 + seed)
                events = machine_history(rng, [])
                rng.shuffle(events)
                machine = MachineFactory()
                for event in events:
                    record(machine, event)
                finishes = {}
                for event in in_order(events):
                    if event["event"] == "finish":
                        finishes.setdefault(event["job_id"], event.get("outcome", "completed"))
                outcomes = dict(machine.jobs.values_list("external_id", "outcome"))
                for job_id, outcome in finishes.items():
                    self.assertEqual(outcomes[job_id], outcome, job_id)
                self.assertNotIn(
                    JobOutcome.INTERRUPTED,
                    [outcomes[job_id] for job_id in finishes],
                )


# Concurrent delivery: threads, each with its own connection, on SQLite and PostgreSQL ----------


def in_threads(function, calls: list[tuple], *, workers: int = 8) -> list:
    """function(*args) for each args in `calls`, `workers` threads released together; each
    thread closes its connection at the end. An exception in a thread is raised here."""
    barrier = threading.Barrier(min(workers, len(calls)))

    def run(args):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, calls))


@pytest.mark.usefixtures("database_for_threads")
def test_the_same_event_delivered_at_once_by_many_senders_is_recorded_once():
    machine = MachineFactory()
    event = body("start", "twin", 0, file_name="boite.svg")
    results = in_threads(lambda: record(machine, event).applied, [()] * 16)
    assert sorted(results) == [False] * 15 + [True]
    assert MachineJob.objects.filter(machine=machine).count() == 1
    assert MachineJobEvent.objects.filter(job__machine=machine).count() == 1


@pytest.mark.usefixtures("database_for_threads")
def test_a_machines_events_delivered_concurrently_end_as_in_order():
    rng = random.Random(7)
    events = machine_history(rng, [])
    ordered, concurrent = MachineFactory(), MachineFactory()
    for event in in_order(events):
        record(ordered, event)
    rng.shuffle(events)
    in_threads(lambda event: record(concurrent, event), [(event,) for event in events])
    assert states(concurrent) == states(ordered)
