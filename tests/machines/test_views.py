"""The machine pages, the kiosk, the member's banner, the quick log and the debrief."""

import asyncio
import threading
from datetime import timedelta

from django.db.backends.signals import connection_created
from django.test import AsyncClient, TestCase, TransactionTestCase
from django.utils import timezone

from machines import services
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobState, Machine
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry, ProjectVisibility
from tests.helpers import EnglishClient, image_upload, login
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory


class TestKiosk(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.machine = MachineFactory(name="Trotec kiosque")
        services.machine_kiosk_token_rotate(machine=cls.machine)
        cls.member = UserFactory(display_name="Camille")

    def kiosk(self, suffix=""):
        return self.client.get(
            f"/machines/{self.machine.slug}/kiosk/{suffix}?token={self.machine.kiosk_token}"
        )

    def test_a_wrong_kiosk_token_is_refused(self):
        response = self.client.get(f"/machines/{self.machine.slug}/kiosk/?token=guess")
        self.assertEqual(response.status_code, 403)

    def test_idle_kiosk_shows_public_entries_made_on_the_machine_only(self):
        JournalEntryFactory(machine=self.machine, title="Essai public de gravure")
        private = ProjectPageFactory(visibility=ProjectVisibility.PRIVATE)
        JournalEntryFactory(machine=self.machine, project=private, title="Essai secret")
        response = self.kiosk()
        self.assertContains(response, "Essai public de gravure")
        self.assertNotContains(response, "Essai secret")
        self.assertContains(response, 'data-live-stream="/machines/')

    def test_running_job_shows_member_countdown_and_a_qr_code_to_the_quick_log(self):
        project = ProjectPageFactory(owner=self.member, title="Boîte à thé")
        job = MachineJobFactory(
            machine=self.machine,
            member=self.member,
            project=project,
            expected_end_at=timezone.now() + timedelta(minutes=5),
        )
        response = self.kiosk("state/")
        self.assertContains(response, f'data-job="{job.pk}"')
        self.assertContains(response, "Camille")
        self.assertContains(response, "Boîte à thé")
        self.assertContains(response, "data-countdown-to=")
        self.assertContains(response, "<svg")

    def test_without_time_left_the_kiosk_counts_the_time_since_the_start(self):
        MachineJobFactory(machine=self.machine, expected_end_at=None)
        self.assertContains(self.kiosk("state/"), "data-elapsed-from=")

    def test_a_private_projects_title_never_reaches_the_shared_screen(self):
        project = ProjectPageFactory(
            owner=self.member, title="Cadeau surprise", visibility=ProjectVisibility.PRIVATE
        )
        MachineJobFactory(machine=self.machine, member=self.member, project=project)
        self.assertNotContains(self.kiosk("state/"), "Cadeau surprise")

    def test_a_member_hidden_by_the_moderators_is_not_named_on_the_shared_screen(self):
        hidden = UserFactory(display_name="Pseudo masqué", hidden=True)
        MachineJobFactory(machine=self.machine, member=hidden)
        self.assertNotContains(self.kiosk("state/"), "Pseudo masqué")

    def test_finished_job_asks_how_it_went(self):
        MachineJobFactory(machine=self.machine, state=JobState.FINISHED, finished_at=timezone.now())
        self.assertContains(self.kiosk("state/"), "How did it go?")

    def test_the_stream_answers_204_under_wsgi_so_the_page_polls(self):
        self.assertEqual(self.kiosk("stream/").status_code, 204)


class TestKioskStream(TransactionTestCase):
    """Under ASGI the kiosk receives its fragment as server-sent events. The stream reads
    the database from another thread, so the data must be committed."""

    # The flush after the test would also remove the page tree the data migrations made.
    serialized_rollback = True

    def setUp(self):
        self.machine = MachineFactory()
        services.machine_kiosk_token_rotate(machine=self.machine)
        self.job = MachineJobFactory(machine=self.machine)
        # The stream reads from pool threads; their connections are closed at the end, or
        # PostgreSQL could not drop the test database.
        self.opened = []
        connection_created.connect(self._keep, weak=False)
        self.addCleanup(self._close_opened)

    def _keep(self, sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            self.opened.append(connection)

    def _close_opened(self):
        connection_created.disconnect(self._keep)
        for connection in self.opened:
            connection.inc_thread_sharing()
            connection.close()

    def test_the_stream_sends_the_current_fragment_as_an_event(self):
        async def first_event():
            client = AsyncClient()
            response = await client.get(
                f"/machines/{self.machine.slug}/kiosk/stream/?token={self.machine.kiosk_token}"
            )
            self.assertEqual(response["Content-Type"], "text/event-stream")
            received = ""
            async for chunk in response.streaming_content:
                received += chunk.decode() if isinstance(chunk, bytes) else chunk
                if "data-job" in received:
                    break
            await response.streaming_content.aclose()
            return received

        received = asyncio.run(asyncio.wait_for(first_event(), timeout=10))
        self.assertIn("retry: ", received)
        self.assertIn("data: ", received)
        self.assertIn(f'data-job="{self.job.pk}"', received)


class TestBanner(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.machine = MachineFactory(name="Prusa bannière")

    def test_pages_carry_an_empty_live_banner_for_members_only(self):
        self.assertNotContains(self.client.get("/projects/"), "job-banner")
        login(self.client, self.member)
        self.assertContains(self.client.get("/projects/"), 'class="job-banner')

    def test_the_banner_lists_the_members_running_job_with_the_quick_log_link(self):
        job = MachineJobFactory(machine=self.machine, member=self.member)
        MachineJobFactory(member=UserFactory())  # someone else's
        login(self.client, self.member)
        response = self.client.get("/machines/me/banner/")
        self.assertContains(response, "Prusa bannière")
        self.assertContains(response, f"/machines/jobs/{job.pk}/")
        self.assertContains(response, "Log what you are trying")
        self.assertContains(response, 'href="/machines/jobs/', count=1)

    def test_after_the_end_the_banner_asks_how_it_went_for_an_hour(self):
        job = MachineJobFactory(
            machine=self.machine,
            member=self.member,
            state=JobState.FINISHED,
            finished_at=timezone.now() - timedelta(minutes=10),
        )
        login(self.client, self.member)
        self.assertContains(self.client.get("/machines/me/banner/"), f"/jobs/{job.pk}/debrief/")
        job.finished_at = timezone.now() - timedelta(hours=2)
        job.save()
        self.assertNotContains(self.client.get("/machines/me/banner/"), "job-banner__item")


class TestQuickLog(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.project = ProjectPageFactory(owner=cls.member)
        cls.machine = MachineFactory()

    def setUp(self):
        self.job = MachineJobFactory(
            machine=self.machine,
            member=self.member,
            project=self.project,
            material="MDF 3 mm",
            settings={"vitesse": "20 mm/s"},
        )
        login(self.client, self.member)

    def test_the_form_is_prefilled_from_the_job(self):
        response = self.client.get(f"/machines/jobs/{self.job.pk}/")
        self.assertContains(response, "MDF 3 mm")
        self.assertContains(response, "vitesse: 20 mm/s")
        self.assertContains(response, f'<option value="{self.project.pk}" selected')
        # The photo control: the phone offers its camera and its gallery.
        self.assertContains(response, "data-photo-picker")
        self.assertNotContains(response, "capture=")

    def test_one_post_saves_an_entry_tied_to_the_job(self):
        response = self.client.post(
            f"/machines/jobs/{self.job.pk}/",
            {
                "body": "Je teste une charnière vivante.",
                "kind": "trial",
                "project": self.project.pk,
                "parameters": "vitesse: 20 mm/s",
                "photos": image_upload(),
            },
        )
        entry = JournalEntry.objects.get(job=self.job)
        self.assertRedirects(response, entry.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(entry.parameters, {"vitesse": "20 mm/s"})
        self.assertEqual(entry.photos.count(), 1)

    def test_an_empty_log_is_refused_and_the_photo_is_kept(self):
        response = self.client.post(
            f"/machines/jobs/{self.job.pk}/",
            {"body": "", "kind": "bogus", "project": self.project.pk, "photos": image_upload()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Already received")
        self.assertFalse(JournalEntry.objects.exists())

    def test_another_members_job_answers_like_a_missing_one(self):
        other = MachineJobFactory(member=UserFactory())
        self.assertEqual(self.client.get(f"/machines/jobs/{other.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/machines/jobs/{other.pk}/debrief/").status_code, 404)
        self.assertEqual(self.client.get("/machines/jobs/987654/").status_code, 404)

    def test_claiming_from_the_machine_qr_code_leads_to_the_running_job(self):
        response = self.client.get(f"/machines/{self.machine.slug}/job/")
        self.assertRedirects(response, f"/machines/jobs/{self.job.pk}/")

    def test_the_debrief_records_how_it_went(self):
        self.job.state = JobState.FINISHED
        self.job.finished_at = timezone.now()
        self.job.save()
        self.assertRedirects(
            self.client.get(f"/machines/jobs/{self.job.pk}/"),
            f"/machines/jobs/{self.job.pk}/debrief/",
        )
        self.client.post(
            f"/machines/jobs/{self.job.pk}/debrief/",
            {"outcome": "worked", "lesson": "Parfait à 20 mm/s.", "project": self.project.pk},
        )
        self.job.refresh_from_db()
        self.assertEqual(self.job.member_outcome, "worked")
        self.assertEqual(JournalEntry.objects.get(job=self.job).kind, "success")


class TestMachineManagement(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.lab = TribePageFactory(title="Labo test")
        cls.admin = TribeMembershipFactory(tribe=cls.lab, admin=True).user
        cls.member = TribeMembershipFactory(tribe=cls.lab).user
        cls.machine = MachineFactory(tribe=cls.lab)

    def test_a_tribe_admin_adds_a_machine_to_their_lab_and_sees_its_token_once(self):
        login(self.client, self.admin)
        response = self.client.post(
            "/machines/new/",
            {"name": "Découpe vinyle", "kind": "vinyl_cutter", "tribe": self.lab.pk},
        )
        machine = Machine.objects.get(name="Découpe vinyle")
        self.assertEqual(machine.tribe, self.lab)
        token = response.context["token"]
        self.assertContains(response, token)
        self.assertNotContains(self.client.get(machine.get_absolute_url()), token)

    def test_a_plain_member_cannot_add_or_edit_machines(self):
        login(self.client, self.member)
        self.assertEqual(self.client.get("/machines/new/").status_code, 403)
        self.assertEqual(self.client.get(f"/machines/{self.machine.slug}/edit/").status_code, 403)
        response = self.client.post(f"/machines/{self.machine.slug}/token/")
        self.assertEqual(response.status_code, 403)

    def test_admins_of_another_lab_cannot_manage_this_machine(self):
        stranger = TribeMembershipFactory(admin=True).user
        login(self.client, stranger)
        self.assertEqual(self.client.get(f"/machines/{self.machine.slug}/edit/").status_code, 403)

    def test_the_manager_sees_the_kiosk_link_and_others_do_not(self):
        services.machine_kiosk_token_rotate(machine=self.machine)
        login(self.client, self.member)
        self.assertNotContains(self.client.get(self.machine.get_absolute_url()), "kiosk/?token")
        login(self.client, self.admin)
        self.assertContains(self.client.get(self.machine.get_absolute_url()), "kiosk/?token")

    def test_a_reserved_name_is_refused_with_a_message(self):
        login(self.client, self.admin)
        response = self.client.post(
            "/machines/new/", {"name": "New", "kind": "other", "tribe": self.lab.pk}
        )
        self.assertContains(response, "reserved")


class TestDocumentationRate(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.lab = TribePageFactory(title="Labo taux")
        cls.admin = TribeMembershipFactory(tribe=cls.lab, admin=True).user
        cls.machine = MachineFactory(tribe=cls.lab, name="Laser taux")
        member = UserFactory()
        project = ProjectPageFactory(owner=member)
        start = timezone.now() - timedelta(days=2)
        end = start + timedelta(minutes=20)

        def finished(**fields):
            return MachineJobFactory(
                machine=cls.machine,
                member=member,
                state=JobState.FINISHED,
                started_at=start,
                finished_at=end,
                **fields,
            )

        tied = finished()
        JournalEntryFactory(project=project, author=member, job=tied)
        finished()  # followed by an entry 30 minutes after its end
        finished()  # never documented
        finished()
        nearby = JournalEntryFactory(project=project, author=member)
        JournalEntry.objects.filter(pk=nearby.pk).update(created_at=end + timedelta(minutes=30))

    def test_tribe_admins_see_the_share_of_documented_jobs(self):
        login(self.client, self.admin)
        response = self.client.get("/machines/documentation-rate/")
        (row,) = response.context["rows"]
        self.assertEqual((row.machine, row.jobs), ("Laser taux", 4))
        # The entry 30 minutes after counts for the three jobs of its member that ended then.
        self.assertEqual(row.documented, 4)
        self.assertContains(response, "<svg")

    def test_an_entry_after_the_window_does_not_count(self):
        JournalEntry.objects.filter(job__isnull=True).update(
            created_at=timezone.now() - timedelta(days=1)
        )
        login(self.client, self.admin)
        (row,) = self.client.get("/machines/documentation-rate/").context["rows"]
        self.assertEqual(row.documented, 1)

    def test_plain_members_cannot_see_it(self):
        login(self.client, UserFactory())
        self.assertEqual(self.client.get("/machines/documentation-rate/").status_code, 403)
