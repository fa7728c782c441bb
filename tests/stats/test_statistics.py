"""/stats/ on a known dataset: exact numbers per month and per tribe, scopes (staff see all, a
tribe admin their tribes only), CSV exports, and 403 for everyone else."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobState
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry, JournalEntryKind, ProjectVisibility
from stats.selectors import StatsScope, month_starts, stats_table
from tests.helpers import EnglishClient, login
from tribes.factories import TribeMembershipFactory, TribePageFactory
from tribes.models import TribeMembership
from users.factories import UserFactory


def _mid_month(month) -> datetime:
    return timezone.make_aware(datetime.combine(month.replace(day=15), time(12)))


def _rows_by_first_cell(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


class StatsData(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.months = month_starts()
        cls.this_month, cls.two_months_ago = cls.months[-1], cls.months[-3]
        now, earlier = timezone.now(), _mid_month(cls.two_months_ago)

        cls.machinerie = TribePageFactory(title="La Machinerie")
        cls.nord = TribePageFactory(title="Fablab Nord")
        cls.alice = TribeMembershipFactory(tribe=cls.machinerie, admin=True).user
        cls.bob = TribeMembershipFactory(tribe=cls.nord, admin=True).user
        early = TribeMembershipFactory(tribe=cls.machinerie)
        TribeMembership.objects.filter(pk=early.pk).update(created_at=earlier)
        cls.member = TribeMembershipFactory(tribe=cls.machinerie).user
        TribeMembershipFactory(tribe=cls.machinerie, requested=True)
        TribeMembershipFactory(tribe=cls.nord)
        cls.staff = UserFactory(staff=True)
        # Accounts: all new this month, except one opened two months ago.
        get_user_model().objects.filter(pk=early.user_id).update(date_joined=earlier)

        lamp = ProjectPageFactory(tribes=[cls.machinerie], owner=cls.member)
        ProjectPageFactory(tribes=[cls.machinerie])
        secret = ProjectPageFactory(
            tribes=[cls.machinerie],
            visibility=ProjectVisibility.PRIVATE,
            first_published_at=earlier,
            owner=cls.member,
        )
        robot = ProjectPageFactory(tribes=[cls.nord], owner=cls.bob)
        ProjectPageFactory(owner=cls.staff)  # no tribe: the whole site only
        cls.laser = MachineFactory(name="Trotec Speedy", tribe=cls.machinerie)
        cls.printer = MachineFactory(name="Prusa MK4", tribe=cls.nord)
        finished = {"state": JobState.FINISHED, "started_at": now - timedelta(hours=2)}
        documented_job = MachineJobFactory(
            machine=cls.laser, finished_at=now - timedelta(hours=1), **finished
        )
        MachineJobFactory(machine=cls.laser, finished_at=now - timedelta(hours=1), **finished)
        MachineJobFactory(machine=cls.printer, finished_at=now - timedelta(hours=1), **finished)

        JournalEntryFactory(project=lamp, kind=JournalEntryKind.FAILURE)
        JournalEntryFactory(project=lamp, kind=JournalEntryKind.TRIAL)
        JournalEntryFactory(
            project=lamp, kind=JournalEntryKind.TRIAL, machine=cls.laser, job=documented_job
        )
        JournalEntryFactory(project=robot, kind=JournalEntryKind.TRIAL)
        old = JournalEntryFactory(project=secret, kind=JournalEntryKind.LESSON)
        JournalEntry.objects.filter(pk=old.pk).update(created_at=earlier)

    def table(self, slug, *tribes):
        return stats_table(StatsScope(tribes=tuple(tribes) if tribes else None), slug)


class TestNumbers(StatsData):
    def test_members_per_tribe(self):
        rows = _rows_by_first_cell(self.table("members"))
        # active, admins, joined in the window, waiting
        self.assertEqual(rows["La Machinerie"], [3, 1, 3, 1])
        self.assertEqual(rows["Fablab Nord"], [2, 1, 2, 0])
        self.assertEqual(self.table("members").rows[0][0], "La Machinerie")

    def test_new_members_per_month_for_the_whole_site_and_for_one_tribe(self):
        site = _rows_by_first_cell(self.table("new-members"))
        accounts_now = get_user_model().objects.count() - 1
        self.assertEqual(site[self.this_month], [accounts_now, 4])
        self.assertEqual(site[self.two_months_ago], [1, 1])
        self.assertEqual(site[self.months[0]], [0, 0])
        self.assertEqual(len(site), 12)
        tribe = _rows_by_first_cell(self.table("new-members", self.machinerie))
        self.assertEqual(tribe[self.this_month], [2])
        self.assertEqual(tribe[self.two_months_ago], [1])

    def test_projects_per_month(self):
        site = _rows_by_first_cell(self.table("projects"))
        self.assertEqual(site[self.this_month], [4, 4])  # projects, public
        self.assertEqual(site[self.two_months_ago], [1, 0])
        tribe = _rows_by_first_cell(self.table("projects", self.machinerie))
        self.assertEqual(tribe[self.this_month], [2, 2])
        self.assertEqual(tribe[self.two_months_ago], [1, 0])
        nord = _rows_by_first_cell(self.table("projects", self.nord))
        self.assertEqual(nord[self.this_month], [1, 1])
        self.assertEqual(nord[self.two_months_ago], [0, 0])

    def test_a_project_hidden_by_the_moderators_is_not_counted_as_public(self):
        ProjectPageFactory(hidden=True)
        site = _rows_by_first_cell(self.table("projects"))
        self.assertEqual(site[self.this_month], [5, 4])

    def test_journal_entries_per_month_with_failures_and_lessons(self):
        site = _rows_by_first_cell(self.table("journal"))
        self.assertEqual(site[self.this_month], [4, 1])
        self.assertEqual(site[self.two_months_ago], [1, 1])
        tribe = _rows_by_first_cell(self.table("journal", self.machinerie))
        self.assertEqual(tribe[self.this_month], [3, 1])
        self.assertEqual(tribe[self.two_months_ago], [1, 1])

    def test_documentation_rate_per_month(self):
        site = _rows_by_first_cell(self.table("documentation"))
        self.assertEqual(site[self.this_month], [3, 1, 33])
        self.assertEqual(site[self.two_months_ago], [0, 0, None])
        tribe = _rows_by_first_cell(self.table("documentation", self.machinerie))
        self.assertEqual(tribe[self.this_month], [2, 1, 50])

    def test_most_used_machines(self):
        self.assertEqual(
            self.table("machines").rows,
            [["Trotec Speedy", "La Machinerie", 2, 1], ["Prusa MK4", "Fablab Nord", 1, 0]],
        )
        self.assertEqual(
            self.table("machines", self.nord).rows, [["Prusa MK4", "Fablab Nord", 1, 0]]
        )

    def test_monthly_plots_have_one_bar_per_month_scaled_to_the_largest(self):
        chart = self.table("journal").chart
        self.assertEqual(len(chart), 12)
        self.assertEqual(chart[-1].value, 4)
        self.assertEqual(chart[-1].height, 150)
        self.assertEqual(chart[-3].height, round(150 / 4))
        rate = self.table("documentation").chart
        self.assertEqual(rate[-1].text, "33 %")
        self.assertEqual(rate[-1].height, round(150 * 33 / 100))


class TestPage(StatsData):
    url = reverse("stats:index")

    def test_staff_see_the_whole_site_with_plots_and_tables(self):
        response = login(self.client, self.staff).get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The whole of Carnet")
        self.assertContains(response, "<svg", count=6)
        self.assertContains(response, "Fablab Nord")
        self.assertContains(response, "La Machinerie")
        self.assertContains(response, reverse("stats:csv", args=["machines"]))

    def test_a_tribe_admin_sees_their_tribe_only(self):
        response = login(self.client, self.alice).get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["scope"].tribe_ids, [self.machinerie.pk])
        self.assertContains(response, "Trotec Speedy")
        self.assertNotContains(response, "Fablab Nord")
        self.assertNotContains(response, "Prusa MK4")

    def test_a_tribe_admin_cannot_ask_for_another_tribe(self):
        client = login(self.client, self.bob)
        response = client.get(self.url, {"tribe": self.machinerie.slug}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "You cannot see the statistics of this tribe")
        self.assertNotContains(response, "Trotec Speedy")
        csv = client.get(reverse("stats:csv", args=["machines"]), {"tribe": self.machinerie.slug})
        self.assertEqual(csv.status_code, 302)

    def test_staff_may_narrow_to_one_tribe(self):
        response = login(self.client, self.staff).get(self.url, {"tribe": self.nord.slug})
        self.assertEqual(response.context["scope"].tribe_ids, [self.nord.pk])
        self.assertNotContains(response, "Trotec Speedy")

    def test_members_get_403_with_a_message_and_visitors_the_login(self):
        response = login(self.client, self.member).get(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertContains(
            response, "Statistics are for staff and for the admins of a tribe", status_code=403
        )
        csv = self.client.get(reverse("stats:csv", args=["members"]))
        self.assertEqual(csv.status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_an_unknown_table_is_404(self):
        response = login(self.client, self.staff).get("/stats/nothing.csv")
        self.assertEqual(response.status_code, 404)


class TestCsv(StatsData):
    def test_csv_is_an_attachment_in_utf8_with_bom_and_headers(self):
        client = login(self.client, self.alice)
        response = client.get(reverse("stats:csv", args=["documentation"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"],
            r'^attachment; filename="la-machinerie-documentation-\d{4}-\d{2}-\d{2}\.csv"$',
        )
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines[0], "Month;Finished jobs;Documented;Rate (%)")
        self.assertEqual(len(lines), 13)
        self.assertEqual(lines[-1], f"{self.this_month:%Y-%m};2;1;50")
        self.assertEqual(lines[1], f"{self.months[0]:%Y-%m};0;0;")

    def test_csv_headers_and_accents_in_french(self):
        client = login(self.client, self.staff)
        response = client.get(
            reverse("stats:csv", args=["machines"]), headers={"accept-language": "fr"}
        )
        text = response.content.decode("utf-8-sig")
        self.assertIn("Trotec Speedy;La Machinerie;2;1", text)
        self.assertEqual(
            response["Content-Disposition"][:36], 'attachment; filename="carnet-machine'
        )

    def test_csv_rows_per_tribe(self):
        response = login(self.client, self.staff).get(reverse("stats:csv", args=["members"]))
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(lines[0], "Tribe;Active members;Admins;Joined;Waiting")
        self.assertIn("La Machinerie;3;1;3;1", lines)
        self.assertIn("Fablab Nord;2;1;2;0", lines)
