"""Which project a job is filed under (docs/machines.md, "Which project"), and what the phone and
the kiosk say of a job: the guess only pre-fills the member's form, the kiosk never shows it,
the words follow the machine's kind and the signs the job's outcome."""

import re
from datetime import timedelta

from django.test import Client, TestCase
from django.utils import timezone

from machines import services
from machines.events import parse_event
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobOutcome, JobState, Machine
from machines.selectors import job_project_guess
from projects.factories import JournalEntryFactory, ProjectDocumentFactory, ProjectPageFactory
from projects.models import ProjectPage
from tests.helpers import EnglishClient, login
from users.factories import UserFactory


def _ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


class TestTheGuess(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="ines")
        cls.other = UserFactory(username="paul")
        cls.laser = MachineFactory(name="Trotec")
        cls.printer = MachineFactory(name="Prusa", kind=Machine.Kind.PRINTER_3D)
        cls.box = ProjectPageFactory(title="Boîte à bijoux en contreplaqué", owner=cls.member)
        cls.lamp = ProjectPageFactory(title="Lampe origami", owner=cls.member)
        # Changed most recently of all: the old default, and another member's work.
        cls.shared = ProjectPageFactory(title="Arcade bartop", owner=cls.other)
        cls.shared.collaborators.set([cls.member])
        cls.shared.save()
        ProjectPage.objects.filter(pk=cls.shared.pk).update(latest_revision_created_at=_ago(0))
        ProjectPage.objects.filter(pk=cls.box.pk).update(latest_revision_created_at=_ago(30))
        ProjectPage.objects.filter(pk=cls.lamp.pk).update(latest_revision_created_at=_ago(20))

    def guess(self, file_name="", machine=None, member=None):
        job = MachineJobFactory(
            machine=machine or self.laser, member=member or self.member, file_name=file_name
        )
        return job_project_guess(job, member or self.member)

    def test_the_file_name_finds_the_project_whatever_its_spelling(self):
        for file_name in (
            "boite-a-bijoux.svg",
            "Boîte_à_bijoux_v2.SVG",
            "C:\\travaux\\boite a bijoux final.gcode",
            "bijoux-boite.dxf",
            "boite-a-bijoux-en-contreplaque.svg",
        ):
            with self.subTest(file_name):
                self.assertEqual(self.guess(file_name), self.box)

    def test_a_file_of_the_project_names_it(self):
        ProjectDocumentFactory(title="couvercle-charniere.svg", project=self.lamp)
        self.assertEqual(self.guess("couvercle-charniere.svg"), self.lamp)

    def test_a_shared_project_is_chosen_only_when_the_file_names_it(self):
        self.assertEqual(self.guess("arcade-bartop-panneaux.svg"), self.shared)
        self.assertIsNone(self.guess("porte-cles.svg"))
        self.assertIsNone(self.guess(""))

    def test_one_shared_word_is_not_enough_when_the_file_has_more(self):
        self.assertIsNone(self.guess("boite-a-outils.svg"))
        self.assertEqual(self.guess("lampe.svg"), self.lamp)

    def test_a_tie_goes_to_the_members_own_project(self):
        theirs = ProjectPageFactory(title="Support vélo pliant", owner=self.other)
        theirs.collaborators.set([self.member])
        theirs.save()
        mine = ProjectPageFactory(title="Support vélo mural", owner=self.member)
        self.assertEqual(self.guess("support-velo.svg"), mine)

    def test_else_the_last_project_they_chose_on_this_machine(self):
        MachineJobFactory(
            machine=self.laser, member=self.member, project=self.lamp, started_at=_ago(90)
        )
        MachineJobFactory(
            machine=self.laser, member=self.member, project=self.box, started_at=_ago(200)
        )
        # Not on this machine, not theirs, not their own project: none of these count.
        MachineJobFactory(
            machine=self.printer, member=self.member, project=self.box, started_at=_ago(10)
        )
        MachineJobFactory(
            machine=self.laser, member=self.other, project=self.shared, started_at=_ago(5)
        )
        MachineJobFactory(
            machine=self.laser, member=self.member, project=self.shared, started_at=_ago(3)
        )
        self.assertEqual(self.guess("porte-cles.svg"), self.lamp)
        self.assertEqual(self.guess("porte-cles.gcode", machine=self.printer), self.box)
        self.assertIsNone(self.guess("porte-cles.svg", member=UserFactory()))


class TestTheKioskNeverShowsAGuess(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="ines", badge_uid="04:A1:B2:C3")
        cls.machine = MachineFactory(name="Trotec")
        services.machine_kiosk_token_rotate(machine=cls.machine)
        cls.box = ProjectPageFactory(title="Boîte à bijoux", owner=cls.member)
        cls.other = ProjectPageFactory(title="Arcade bartop")
        cls.other.collaborators.set([cls.member])
        cls.other.save()

    def test_the_project_shows_once_the_member_chose_it(self):
        services.machine_job_record_event(
            machine=self.machine,
            event=parse_event(
                {
                    "event": "start",
                    "job_id": "j1",
                    "badge_uid": "04a1b2c3",
                    "file_name": "boite-a-bijoux.svg",
                }  # fmt: skip
            ),
        )
        job = self.machine.jobs.get()
        self.assertIsNone(job.project)
        kiosk = self.client.get(self.machine.kiosk_url)
        self.assertNotContains(kiosk, "Boîte à bijoux")
        self.assertNotContains(kiosk, "Arcade bartop")

        login(self.client, self.member)
        form = self.client.get(f"/machines/jobs/{job.pk}/")
        # Pre-filled with the guess, in a select the member may change in the same form.
        self.assertContains(form, f'<option value="{self.box.pk}" selected')
        self.assertContains(form, f'<option value="{self.other.pk}"')
        self.client.post(
            f"/machines/jobs/{job.pk}/",
            {"body": "Charnière vivante.", "kind": "trial", "project": self.other.pk},
        )
        job.refresh_from_db()
        self.assertEqual(job.project, self.other)
        self.client.logout()
        self.assertContains(self.client.get(self.machine.kiosk_url), "Arcade bartop")

    def test_without_a_guess_the_member_is_asked(self):
        job = MachineJobFactory(machine=self.machine, member=self.member, file_name="x.svg")
        login(self.client, self.member)
        form = self.client.get(f"/machines/jobs/{job.pk}/")
        for project in (self.box, self.other):
            self.assertNotContains(form, f'<option value="{project.pk}" selected')
        response = self.client.post(
            f"/machines/jobs/{job.pk}/", {"body": "Essai.", "kind": "trial"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(job.journal_entries.first())


class TestWords(TestCase):
    """French first: the wish follows the machine's kind; a finished job's sign, its outcome."""

    CUTTERS = {Machine.Kind.LASER_CUTTER, Machine.Kind.VINYL_CUTTER}
    PRINTERS = {Machine.Kind.PRINTER_3D}

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.project = ProjectPageFactory(owner=cls.member)

    def test_the_wish_after_a_quick_log_matches_every_machine_kind(self):
        client = login(Client(), self.member)
        for kind in Machine.Kind:
            with self.subTest(kind):
                job = MachineJobFactory(machine=MachineFactory(kind=kind), member=self.member)
                response = client.post(
                    f"/machines/jobs/{job.pk}/",
                    {"body": "Essai.", "kind": "trial", "project": self.project.pk},
                    follow=True,
                )
                text = response.content.decode()
                self.assertIn("Noté dans votre journal", text)
                self.assertEqual("Bonne découpe" in text, kind in self.CUTTERS)
                self.assertEqual("Bonne impression" in text, kind in self.PRINTERS)

    def test_only_a_completed_job_shows_a_green_tick_on_the_phone(self):
        client = login(EnglishClient(), self.member)
        for outcome in JobOutcome:
            with self.subTest(outcome):
                job = MachineJobFactory(
                    member=self.member,
                    state=JobState.FINISHED,
                    outcome=outcome,
                    finished_at=timezone.now(),
                )
                banner = client.get("/machines/me/banner/").content.decode()
                self.assertIn(f"/machines/jobs/{job.pk}/debrief/", banner)
                self.assertEqual("✓" in banner, outcome == JobOutcome.COMPLETED)
                self.assertEqual("--completed" in banner, outcome == JobOutcome.COMPLETED)
                job.delete()

    def test_the_kiosk_says_each_outcome_in_one_word(self):
        machine = MachineFactory()
        services.machine_kiosk_token_rotate(machine=machine)
        client = Client()
        for outcome in JobOutcome:
            with self.subTest(outcome):
                job = MachineJobFactory(
                    machine=machine, state=JobState.FINISHED, outcome=outcome,
                    finished_at=timezone.now(),
                )  # fmt: skip
                page = client.get(machine.kiosk_url).content.decode()
                status = re.search(r'kiosk-job__status">([^<]*)<', page).group(1).strip()
                words = re.findall(r"\w+", status.lower())
                self.assertTrue(words)
                self.assertEqual(len(words), len(set(words)), status)
                job.delete()

    def test_once_logged_the_banner_invites_no_second_entry(self):
        client = login(EnglishClient(), self.member)
        job = MachineJobFactory(member=self.member)
        self.assertContains(client.get("/machines/me/banner/"), f"/machines/jobs/{job.pk}/")
        JournalEntryFactory(project=self.project, author=self.member, job=job)
        banner = client.get("/machines/me/banner/")
        self.assertNotContains(banner, f"/machines/jobs/{job.pk}/")
        self.assertContains(banner, "Noted in your journal")
        # Someone else's entry on the job (staff filing it) does not count as the member's.
        job.journal_entries.update(author=UserFactory())
        self.assertContains(client.get("/machines/me/banner/"), f"/machines/jobs/{job.pk}/")
