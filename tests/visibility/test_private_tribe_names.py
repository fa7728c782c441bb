"""A private tribe's name is shown only to those who may see the tribe, on every surface that
lists a project's tribes: the project page, search facets and filters, the API (its logo).

The world: a public project shared with a public tribe ("Tribu Azurite") and a private one
("Cercle Obsidienne"), whose names appear nowhere else."""

from django.test import TestCase

from images.factories import CarnetImageFactory
from projects import services
from projects.factories import ProjectPageFactory
from search.services import search_reindex_all
from tests.helpers import EnglishClient
from tests.visibility.world import tribe_create
from tribes.models import MembershipState, TribeMembership
from tribes.visibility import tribes_shown_to
from users.factories import UserFactory

PUBLIC_NAME = "Tribu Azurite"
PRIVATE_NAME = "Cercle Obsidienne"


class PrivateTribeNamesTestCase(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.outsider = UserFactory()
        cls.invited = UserFactory()
        cls.tribe_member = UserFactory()
        cls.staff = UserFactory(staff=True)
        cls.public_tribe = tribe_create(PUBLIC_NAME)
        cls.private_tribe = tribe_create(PRIVATE_NAME, visibility="private")
        cls.private_tribe.logo = CarnetImageFactory(title=f"Logo {PRIVATE_NAME}")
        cls.private_tribe.save_revision().publish()
        TribeMembership.objects.create(
            tribe=cls.private_tribe, user=cls.tribe_member, state=MembershipState.ACTIVE
        )
        TribeMembership.objects.create(
            tribe=cls.private_tribe, user=cls.invited, state=MembershipState.INVITED
        )
        project = ProjectPageFactory(title="Métier à tisser Quetzal", owner=cls.owner)
        cls.project = services.project_update(
            project=project, user=cls.owner, tribes=[cls.public_tribe, cls.private_tribe]
        )
        with cls.captureOnCommitCallbacks(execute=True):
            search_reindex_all()

    def readers(self):
        """(who, may see the private tribe's name)"""
        return [
            (None, False),
            (self.outsider, False),
            (self.owner, False),  # sharing with a tribe does not make its owner a member
            (self.invited, True),
            (self.tribe_member, True),
            (self.staff, True),
        ]

    def as_reader(self, user):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client


class TestProjectPage(PrivateTribeNamesTestCase):
    def test_the_project_page_names_only_the_tribes_the_reader_may_see(self):
        for user, may_see in self.readers():
            with self.subTest(user=user):
                response = self.as_reader(user).get(self.project.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, PUBLIC_NAME)
                content = response.content.decode()
                self.assertEqual(PRIVATE_NAME in content, may_see)
                self.assertEqual(self.private_tribe.url in content, may_see)

    def test_the_policy_keeps_the_order_and_drops_what_the_reader_may_not_see(self):
        from django.contrib.auth.models import AnonymousUser

        tribes = [self.private_tribe, self.public_tribe]
        self.assertEqual(tribes_shown_to(AnonymousUser(), tribes), [self.public_tribe])
        self.assertEqual(tribes_shown_to(self.tribe_member, tribes), tribes)
        self.assertEqual(tribes_shown_to(self.staff, tribes), tribes)
        with self.assertNumQueries(0):
            tribes_shown_to(self.outsider, [self.public_tribe])


class TestSearch(PrivateTribeNamesTestCase):
    def search(self, user, **filters):
        response = self.as_reader(user).get("/search/", {"q": "Quetzal", **filters})
        self.assertEqual(response.status_code, 200)
        return response

    def test_facet_labels_name_only_the_tribes_the_reader_may_see(self):
        for user, may_see in self.readers():
            with self.subTest(user=user):
                response = self.search(user)
                self.assertEqual(response.context["response"].total, 1)
                tribes = {
                    facet.label for facet in response.context["response"].facets.get("tribe", [])
                }
                self.assertIn(PUBLIC_NAME, tribes)
                self.assertEqual(PRIVATE_NAME in tribes, may_see)
                self.assertEqual(PRIVATE_NAME in response.content.decode(), may_see)

    def test_filtering_by_a_private_tribe_finds_what_an_unknown_tribe_finds(self):
        for user, may_see in self.readers():
            with self.subTest(user=user):
                by_private = self.search(user, tribe=str(self.private_tribe.pk))
                unknown = self.search(user, tribe="999999")
                self.assertEqual(unknown.context["response"].total, 0)
                self.assertEqual(by_private.context["response"].total, 1 if may_see else 0)
                self.assertEqual(PRIVATE_NAME in by_private.content.decode(), may_see)

    def test_filtering_by_a_public_tribe_still_works_beside_a_private_one(self):
        response = self.search(
            None, tribe=[str(self.public_tribe.pk), str(self.private_tribe.pk), "²", "x" * 50]
        )
        self.assertEqual(response.context["response"].total, 1)
        self.assertNotContains(response, PRIVATE_NAME)


class TestAPI(PrivateTribeNamesTestCase):
    def test_the_api_names_no_private_tribe(self):
        for path in (
            "/api/v2/images/?limit=20",
            f"/api/v2/images/{self.private_tribe.logo_id}/",
            "/api/v2/pages/?limit=20",
            f"/api/v2/pages/{self.project.pk}/",
            "/api/v2/pages/?type=projects.ProjectPage&fields=*",
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertIn(response.status_code, (200, 404))
                self.assertNotIn(PRIVATE_NAME, response.content.decode())
        self.assertEqual(
            self.client.get(f"/api/v2/images/{self.private_tribe.logo_id}/").status_code, 404
        )


class TestMachinesAndCalls(PrivateTribeNamesTestCase):
    """Other things that name a tribe: a machine's lab, a call's eligible tribes."""

    def test_a_machine_names_its_lab_only_to_those_who_may_see_the_tribe(self):
        from machines.factories import MachineFactory

        machine = MachineFactory(name="Brodeuse Tanagra", tribe=self.private_tribe)
        for user, may_see in self.readers():
            for path in ("/machines/", f"/machines/{machine.slug}/"):
                with self.subTest(user=user, path=path):
                    response = self.as_reader(user).get(path)
                    self.assertContains(response, "Brodeuse Tanagra")
                    self.assertEqual(PRIVATE_NAME in response.content.decode(), may_see)

    def test_a_call_open_to_a_private_tribe_does_not_name_it_to_outsiders(self):
        from calls.factories import CallForProjectsPageFactory

        call = CallForProjectsPageFactory(title="Appel Tourmaline")
        call.eligible_tribes.set([self.public_tribe, self.private_tribe])
        call.save()
        for user, may_see in self.readers():
            with self.subTest(user=user):
                response = self.as_reader(user).get(call.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, PUBLIC_NAME)
                content = response.content.decode()
                self.assertEqual(PRIVATE_NAME in content, may_see)
                self.assertEqual("private tribes" in content, not may_see)
