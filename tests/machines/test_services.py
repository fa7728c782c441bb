"""machines.services: jobs built from events that come late, twice or out of order."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from machines import services
from machines.events import EventRejected, parse_event
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobOutcome, JobState, MachineJob, MachineJobEvent
from machines.permissions import event_token_is_valid
from projects.factories import ProjectPageFactory
from projects.models import JournalEntryKind
from users.factories import UserFactory

# Yesterday at 14:00 UTC: event times are accepted up to a year back, whatever today's date.
T0 = (timezone.now() - timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)


def event(kind: str, job_id: str = "j1", at: datetime | None = T0, **fields):
    data = {"event": kind, "job_id": job_id, **fields}
    if at is not None:
        data["timestamp"] = at.isoformat()
    return parse_event(data)


class EventTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.machine = MachineFactory()
        cls.member = UserFactory(badge_uid="04:A1:B2:C3")
        cls.project = ProjectPageFactory(owner=cls.member)

    def record(self, *args, **kwargs):
        return services.machine_job_record_event(machine=self.machine, event=event(*args, **kwargs))

    def job(self, job_id="j1") -> MachineJob:
        return MachineJob.objects.get(machine=self.machine, external_id=job_id)


class TestJobLifecycle(EventTestCase):
    def test_start_creates_a_running_job_for_the_badge_holder_with_no_project_yet(self):
        result = self.record(
            "start", badge_uid="04a1b2c3", file_name="boite.svg", estimated_seconds=600
        )
        job = self.job()
        self.assertTrue(result.applied)
        # The member chooses it (selectors.job_project_guess only pre-fills their form).
        self.assertEqual((job.state, job.member, job.project), ("running", self.member, None))
        self.assertEqual(job.file_name, "boite.svg")
        self.assertEqual(job.expected_end_at, T0 + timedelta(seconds=600))

    def test_progress_sets_progress_and_time_left_from_the_event_time(self):
        self.record("start")
        self.record("progress", at=T0 + timedelta(seconds=60), progress=25, remaining_seconds=180)
        job = self.job()
        self.assertEqual(job.progress, 25)
        self.assertEqual(job.expected_end_at, T0 + timedelta(seconds=240))

    def test_finish_closes_the_job_with_the_machines_outcome(self):
        self.record("start")
        self.record("finish", at=T0 + timedelta(minutes=5), outcome="failed")
        job = self.job()
        self.assertEqual((job.state, job.outcome), (JobState.FINISHED, JobOutcome.FAILED))
        self.assertEqual(job.finished_at, T0 + timedelta(minutes=5))
        self.assertIsNone(job.expected_end_at)

    def test_finish_without_outcome_counts_as_completed_at_full_progress(self):
        self.record("start")
        self.record("finish", at=T0 + timedelta(minutes=5))
        self.assertEqual((self.job().outcome, self.job().progress), (JobOutcome.COMPLETED, 100))

    def test_username_identifies_the_member_when_there_is_no_badge(self):
        self.record("start", username=self.member.username)
        self.assertEqual(self.job().member, self.member)

    def test_unknown_badge_leaves_the_job_unclaimed(self):
        self.record("start", badge_uid="FF:FF")
        self.assertIsNone(self.job().member)

    def test_a_new_start_interrupts_the_job_left_running_on_the_same_machine(self):
        self.record("start", job_id="old")
        self.record("start", job_id="new", at=T0 + timedelta(hours=1))
        old = self.job("old")
        self.assertEqual((old.state, old.outcome), (JobState.FINISHED, JobOutcome.INTERRUPTED))
        self.assertEqual(self.job("new").state, JobState.RUNNING)


class TestUnreliableDelivery(EventTestCase):
    def test_a_burst_of_the_same_event_is_recorded_once(self):
        results = [self.record("start", badge_uid="04A1B2C3") for _ in range(10)]
        self.assertEqual([r.applied for r in results], [True] + [False] * 9)
        self.assertEqual(MachineJob.objects.count(), 1)
        self.assertEqual(MachineJobEvent.objects.count(), 1)

    def test_a_repeated_start_without_timestamp_changes_nothing(self):
        first = self.record("start", at=None)
        again = self.record("start", at=None)
        self.assertEqual((first.applied, again.applied), (True, False))

    def test_progress_after_the_finish_is_ignored(self):
        self.record("start")
        self.record("finish", at=T0 + timedelta(minutes=5))
        late = self.record("progress", at=T0 + timedelta(minutes=6), progress=40)
        job = self.job()
        self.assertFalse(late.applied)
        self.assertEqual((job.state, job.progress), (JobState.FINISHED, 100))

    def test_an_older_progress_arriving_late_does_not_move_progress_back(self):
        self.record("start")
        self.record("progress", at=T0 + timedelta(minutes=2), progress=50)
        stale = self.record("progress", at=T0 + timedelta(minutes=1), progress=20)
        self.assertFalse(stale.applied)
        self.assertEqual(self.job().progress, 50)

    def test_finish_without_start_yields_a_closed_job(self):
        result = self.record("finish", at=T0, outcome="cancelled", file_name="plaque.nc")
        job = self.job()
        self.assertTrue(result.applied)
        self.assertEqual(
            (job.state, job.outcome, job.file_name), ("finished", "cancelled", "plaque.nc")
        )

    def test_start_arriving_after_the_finish_fills_the_start_time_and_reopens_nothing(self):
        self.record("finish", at=T0 + timedelta(minutes=10))
        self.record("start", at=T0, badge_uid="04:A1:B2:C3")
        job = self.job()
        self.assertEqual((job.state, job.started_at), (JobState.FINISHED, T0))
        self.assertEqual(job.member, self.member)

    def test_progress_without_start_starts_the_job(self):
        self.record("progress", progress=10)
        self.assertEqual(self.job().state, JobState.RUNNING)

    def test_same_job_id_on_two_machines_makes_two_jobs(self):
        other = MachineFactory()
        self.record("start")
        services.machine_job_record_event(machine=other, event=event("start"))
        self.assertEqual(MachineJob.objects.filter(external_id="j1").count(), 2)


class TestEventParsing(TestCase):
    def test_rejections_say_what_is_wrong(self):
        cases = {
            b"{not json": "not valid JSON",
            b"[1, 2]": "JSON object",
            b'{"event": "explode", "job_id": "x"}': "event",
            b'{"event": "start"}': "job_id",
            b'{"event": "progress", "job_id": "x", "progress": 140}': "progress",
            b'{"event": "start", "job_id": "x", "timestamp": "yesterday"}': "timestamp",
        }
        for body, expected in cases.items():
            with self.subTest(body=body), self.assertRaisesMessage(EventRejected, expected):
                parse_event(body)

    def test_an_oversized_body_is_refused_before_parsing(self):
        with self.assertRaisesMessage(EventRejected, "larger than"):
            parse_event(b"{" + b" " * 20_000 + b"}")

    def test_a_naive_timestamp_is_taken_as_utc(self):
        naive = T0.replace(tzinfo=None).isoformat()
        parsed = parse_event({"event": "start", "job_id": "x", "timestamp": naive})
        self.assertEqual(parsed.timestamp, T0)


class TestTokens(TestCase):
    def test_the_token_is_stored_only_as_a_digest_and_rotation_revokes_the_old_one(self):
        machine = MachineFactory()
        first = services.machine_token_rotate(machine=machine)
        self.assertNotIn(first, machine.token_digest)
        self.assertTrue(event_token_is_valid(machine, first))
        second = services.machine_token_rotate(machine=machine)
        self.assertFalse(event_token_is_valid(machine, first))
        self.assertTrue(event_token_is_valid(machine, second))

    def test_a_machine_without_token_accepts_none(self):
        self.assertFalse(event_token_is_valid(MachineFactory(), ""))


class TestMemberSide(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.project = ProjectPageFactory(owner=cls.member)

    def test_quick_log_makes_a_journal_entry_tied_to_the_job_with_its_parameters(self):
        job = MachineJobFactory(material="Contreplaqué 3 mm", settings={"puissance": "60 %"})
        entry = services.machine_job_quick_log(
            job=job, user=self.member, project=self.project, body="Je teste la découpe."
        )
        job.refresh_from_db()
        self.assertEqual((entry.job, entry.machine, entry.kind), (job, job.machine, "trial"))
        self.assertEqual(entry.parameters["puissance"], "60 %")
        self.assertIn("Contreplaqué 3 mm", entry.parameters.values())
        self.assertEqual((job.member, job.project), (self.member, self.project))

    def test_nobody_logs_on_another_members_job(self):
        job = MachineJobFactory(member=UserFactory())
        with self.assertRaises(PermissionDenied):
            services.machine_job_quick_log(
                job=job, user=self.member, project=self.project, body="x"
            )

    def test_nobody_logs_on_a_project_they_cannot_edit(self):
        job = MachineJobFactory()
        with self.assertRaises(PermissionDenied):
            services.machine_job_quick_log(
                job=job, user=self.member, project=ProjectPageFactory(), body="x"
            )

    def test_debrief_adds_outcome_and_lesson_to_the_entry_logged_during_the_job(self):
        job = MachineJobFactory(member=self.member, project=self.project)
        entry = services.machine_job_quick_log(
            job=job, user=self.member, project=self.project, body="Premier essai."
        )
        services.machine_job_debrief(
            job=job, user=self.member, outcome="partly", lesson="Ralentir les courbes."
        )
        entry.refresh_from_db()
        job.refresh_from_db()
        self.assertEqual((job.member_outcome, job.lesson), ("partly", "Ralentir les courbes."))
        self.assertEqual(entry.outcome, "partly")
        self.assertIn("Ralentir les courbes.", entry.body)
        self.assertEqual(job.journal_entries.count(), 1)

    def test_debrief_without_entry_makes_one_whose_kind_follows_the_outcome(self):
        job = MachineJobFactory(member=self.member, project=self.project, state="finished")
        entry = services.machine_job_debrief(
            job=job, user=self.member, outcome="failed", lesson="Bois trop humide."
        )
        self.assertEqual(
            (entry.kind, entry.outcome, entry.job), (JournalEntryKind.FAILURE, "failed", job)
        )

    def test_debrief_needs_a_known_outcome(self):
        job = MachineJobFactory(member=self.member, project=self.project)
        with self.assertRaises(ValidationError):
            services.machine_job_debrief(job=job, user=self.member, outcome="great")


class TestMachineCreate(TestCase):
    def test_a_reserved_name_gets_the_next_free_number(self):
        MachineFactory(name="New 2", slug="new-2")
        machine = services.machine_create(user=None, name="New", kind="other")
        self.assertEqual(machine.slug, "new-3")
