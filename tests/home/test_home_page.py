"""The home page: the featured showcase (chosen by staff, else the latest), the latest projects
and journal entries, open calls, machines running now and a few figures, all through the
visibility policy, in a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.factories import CallForProjectsPageFactory
from home import services
from home.models import HomePage
from home.selectors import site_counts
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobState, Machine
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectVisibility
from showcases.factories import ShowcasePageFactory
from tests.helpers import EnglishClient, login
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory


def _home(client=None):
    response = (client or EnglishClient()).get("/")
    assert response.status_code == 200
    return response


class TestFeaturedShowcase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.project = ProjectPageFactory(title="Boîte à bijoux")
        cls.chosen = ShowcasePageFactory(
            title="Premiers pas", items=[(cls.project, "Parfait pour débuter")]
        )
        cls.chosen.first_published_at = timezone.now() - timedelta(days=30)
        cls.chosen.save()
        cls.latest = ShowcasePageFactory(title="Fabriquer pour les autres")

    def test_without_a_choice_the_latest_live_showcase_is_featured(self):
        response = _home()
        self.assertContains(response, "Fabriquer pour les autres")
        self.assertNotContains(response, "Premiers pas")

    def test_the_showcase_chosen_by_staff_is_featured_with_its_items(self):
        services.home_featured_showcase_set(user=self.staff, showcase=self.chosen)
        self.assertEqual(HomePage.objects.get().featured_showcase, self.chosen)
        response = _home()
        self.assertContains(response, "Premiers pas")
        self.assertContains(response, "Boîte à bijoux")
        self.assertContains(response, "Parfait pour débuter")
        self.assertNotContains(response, "Fabriquer pour les autres")

    def test_an_unpublished_featured_showcase_gives_way_to_the_latest(self):
        HomePage.objects.update(featured_showcase=self.chosen)
        self.chosen.unpublish()
        self.assertContains(_home(), "Fabriquer pour les autres")

    def test_a_featured_project_made_private_leaves_the_home_page(self):
        HomePage.objects.update(featured_showcase=self.chosen)
        self.project.visibility = ProjectVisibility.PRIVATE
        self.project.save()
        response = _home()
        self.assertContains(response, "Premiers pas")
        self.assertNotContains(response, "Parfait pour débuter")
        self.assertNotContains(response, "Boîte à bijoux")


class TestHomePageSections(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.public = ProjectPageFactory(title="Horloge publique")
        cls.private = ProjectPageFactory(
            title="Prototype secret", visibility=ProjectVisibility.PRIVATE
        )
        JournalEntryFactory(project=cls.public, title="Gravure réussie")
        JournalEntryFactory(project=cls.private, title="Essai confidentiel")
        cls.laser = MachineFactory(name="Trotec Speedy", kind=Machine.Kind.LASER_CUTTER)
        MachineJobFactory(machine=cls.laser, project=cls.private, member=cls.private.owner)
        MachineFactory(name="Brodeuse au repos", kind=Machine.Kind.EMBROIDERY)
        idle = MachineFactory(name="Imprimante finie")
        MachineJobFactory(machine=idle, state=JobState.FINISHED, finished_at=timezone.now())
        CallForProjectsPageFactory(title="Luminaire pour un hall")
        CallForProjectsPageFactory(title="Appel expiré", expired=True)
        CallForProjectsPageFactory(title="Appel en brouillon", draft=True)
        tribe = TribePageFactory(title="Couture")
        TribePageFactory(title="Tribu secrète", private=True)
        TribeMembershipFactory(tribe=tribe)

    def test_machines_running_now_show_name_and_kind_never_the_private_project(self):
        response = _home()
        self.assertContains(response, "Trotec Speedy")
        self.assertContains(response, "Laser cutter")
        self.assertNotContains(response, "Prototype secret")
        self.assertNotContains(response, "Brodeuse au repos")
        self.assertNotContains(response, "Imprimante finie")

    def test_open_calls_only(self):
        response = _home()
        self.assertContains(response, "Luminaire pour un hall")
        self.assertNotContains(response, "Appel expiré")
        self.assertNotContains(response, "Appel en brouillon")

    def test_latest_projects_and_journal_entries_follow_the_policy(self):
        response = _home()
        self.assertContains(response, "Horloge publique")
        self.assertContains(response, "Gravure réussie")
        self.assertNotContains(response, "Essai confidentiel")
        mine = _home(login(EnglishClient(), self.private.owner))
        self.assertContains(mine, "Essai confidentiel")

    def test_latest_projects_are_published_ones_with_some_content(self):
        """Drafts and empty stubs stay out of "Latest projects", even for their authors."""
        from projects import services as project_services

        owner = self.public.owner
        draft = project_services.project_create(owner=owner, title="Brouillon zébu", summary="…")
        project_services.project_update(project=draft, user=owner, presentation="Déjà écrit.")
        stub = project_services.project_publish(
            project=project_services.project_create(owner=owner, title="Ébauche yak", summary="…"),
            user=owner,
        )
        for client in (EnglishClient(), login(EnglishClient(), owner)):
            latest = [p.title for p in _home(client).context["latest_projects"]]
            self.assertIn("Horloge publique", latest)
            self.assertNotIn("Brouillon zébu", latest)
            self.assertNotIn("Ébauche yak", latest)
        project_services.project_update(project=stub, user=owner, presentation="Une ébauche.")
        self.assertIn("Ébauche yak", [p.title for p in _home().context["latest_projects"]])

    def test_figures_count_public_content(self):
        counts = site_counts()
        self.assertEqual(counts.public_projects, 1)
        self.assertEqual(counts.journal_entries, 1)
        self.assertEqual(counts.tribes, 1)
        self.assertEqual(counts.members, 3)  # the two owners and the tribe member

    def test_the_home_page_keeps_its_tagline_and_intro_in_their_language(self):
        HomePage.objects.update(tagline="Le carnet des makers", intro="Bienvenue **ici**.")
        french = _home(Client(HTTP_ACCEPT_LANGUAGE="fr"))
        self.assertContains(french, "Le carnet des makers")
        self.assertContains(french, "<strong>ici</strong>", html=True)
        # Written in French: an English reader gets the site's own words instead.
        english = _home()
        self.assertNotContains(english, "Le carnet des makers")
        self.assertContains(english, "The logbook of makers")


class TestHomePageQueries(TestCase):
    def queries(self):
        with CaptureQueriesContext(connection) as captured:
            _home()
        return len(captured)

    def add_content(self, n):
        projects = [ProjectPageFactory() for _ in range(n)]
        for project in projects:
            JournalEntryFactory(project=project)
            MachineJobFactory(machine=MachineFactory(), project=project)
            CallForProjectsPageFactory()
        return projects

    def test_the_query_count_does_not_grow_with_content(self):
        projects = self.add_content(1)
        showcase = ShowcasePageFactory(items=projects)
        HomePage.objects.update(featured_showcase=showcase)
        self.queries()  # a first visit fills the caches (site root, renditions) every page shares
        few = self.queries()
        more = self.add_content(6)
        for n, project in enumerate(more):
            showcase.items.create(project=project, note=f"note {n}", sort_order=n + 1)
        self.assertEqual(self.queries(), few)
