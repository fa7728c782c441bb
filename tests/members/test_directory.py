"""The member directory at /members/: only members open to contact, only public projects, its
filters, and a query count that does not grow with the page."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from projects.factories import ProjectPageFactory
from projects.models import ProjectPage, ProjectVisibility
from tests.helpers import EnglishClient, login
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

URL = "/members/"


def _names(response) -> list[str]:
    return [member.username for member in response.context["members"]]


class TestDirectoryListing(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.open = UserFactory(
            username="camille", display_name="Camille L.", open_to_contact=True,
            skills=["découpe laser", "Inkscape"],
        )  # fmt: skip
        cls.closed = UserFactory(username="hidden", display_name="Hidden Person")
        cls.gone = UserFactory(username="gone", open_to_contact=True, is_active=False)
        cls.public_project = ProjectPageFactory(title="Lampe publique", owner=cls.open)
        cls.private_project = ProjectPageFactory(
            title="Prototype secret", owner=cls.open, visibility=ProjectVisibility.PRIVATE
        )
        cls.tribe = TribePageFactory(title="Atelier bois")
        cls.tribe_project = ProjectPageFactory(title="Projet de tribu", owner=cls.open)
        cls.tribe_project.tribes.set([cls.tribe])
        cls.tribe_project.save()
        ProjectPage.objects.filter(pk=cls.tribe_project.pk).update(
            visibility=ProjectVisibility.TRIBE
        )
        cls.draft = ProjectPageFactory(title="Brouillon caché", owner=cls.open, live=False)
        cls.shared = ProjectPageFactory(title="Horloge partagée", collaborators=[cls.open])

    def test_lists_only_active_members_open_to_contact(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(_names(response), ["camille"])
        self.assertNotContains(response, "Hidden Person")
        self.assertNotContains(response, "@gone")

    def test_shows_skills_and_public_projects_owned_or_shared(self):
        response = self.client.get(URL)
        self.assertContains(response, "découpe laser")
        self.assertContains(response, "Lampe publique")
        self.assertContains(response, "Horloge partagée")
        self.assertContains(response, "2 public projects")

    def test_never_shows_a_private_tribe_only_or_draft_project(self):
        # Not even to the owner nor to a member of the project's tribe: the directory is public.
        TribeMembershipFactory(tribe=self.tribe, user=self.closed)
        for viewer in (None, self.open, self.closed):
            if viewer:
                login(self.client, viewer)
            response = self.client.get(URL)
            with self.subTest(viewer=viewer):
                self.assertNotContains(response, "Prototype secret")
                self.assertNotContains(response, "Projet de tribu")
                self.assertNotContains(response, "Brouillon caché")
                self.assertContains(response, "2 public projects")

    def test_a_member_who_opts_out_leaves_the_directory(self):
        self.open.open_to_contact = False
        self.open.save()
        response = self.client.get(URL)
        self.assertEqual(_names(response), [])
        self.assertContains(response, "No member is open to contact yet.")

    def test_links_to_public_projects_and_shows_no_email_address(self):
        response = self.client.get(URL)
        self.assertContains(response, 'href="/projects/"')
        self.assertContains(response, "Browse public projects")
        self.assertNotContains(response, "@example.org")

    def test_contact_button_for_logged_in_members_only_and_not_on_oneself(self):
        self.assertNotContains(self.client.get(URL), "/members/camille/contact/")
        login(self.client, self.closed)
        self.assertContains(self.client.get(URL), "/members/camille/contact/")
        login(self.client, self.open)
        self.assertNotContains(self.client.get(URL), "/members/camille/contact/")

    def test_profiles_still_work_under_members(self):
        response = self.client.get("/members/camille/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["member"], self.open)


class TestDirectoryFilters(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.laser = UserFactory(
            username="laser", display_name="Léa Laser", open_to_contact=True,
            skills=["découpe laser"],
        )  # fmt: skip
        cls.wood = UserFactory(
            username="wood", display_name="Bernard Bois", open_to_contact=True,
            skills=["menuiserie", "CNC"],
        )  # fmt: skip
        cls.hidden = UserFactory(username="hidden", skills=["menuiserie"])
        cls.public_tribe = TribePageFactory(title="Atelier bois")
        cls.private_tribe = TribePageFactory(title="Cercle fermé", private=True)
        TribeMembershipFactory(tribe=cls.public_tribe, user=cls.wood)
        TribeMembershipFactory(tribe=cls.public_tribe, user=cls.hidden)
        TribeMembershipFactory(tribe=cls.private_tribe, user=cls.laser)
        TribeMembershipFactory(tribe=cls.public_tribe, user=cls.laser, requested=True)

    def test_filters_by_skill(self):
        self.assertEqual(_names(self.client.get(URL, {"skill": "menuiserie"})), ["wood"])
        self.assertEqual(_names(self.client.get(URL, {"skill": "découpe-laser"})), ["laser"])

    def test_filters_by_public_tribe_active_members_only(self):
        self.assertEqual(_names(self.client.get(URL, {"tribe": self.public_tribe.slug})), ["wood"])

    def test_private_tribe_is_neither_offered_nor_usable_as_a_filter(self):
        response = self.client.get(URL)
        self.assertContains(response, "Atelier bois")
        self.assertNotContains(response, "Cercle fermé")
        response = self.client.get(URL, {"tribe": self.private_tribe.slug})
        self.assertEqual(_names(response), [])
        self.assertContains(response, "No member matches these filters.")

    def test_text_filter_matches_names_and_skills(self):
        self.assertEqual(_names(self.client.get(URL, {"q": "bernard"})), ["wood"])
        self.assertEqual(_names(self.client.get(URL, {"q": "LASER"})), ["laser"])
        self.assertEqual(_names(self.client.get(URL, {"q": "cnc"})), ["wood"])
        self.assertEqual(_names(self.client.get(URL, {"q": "nobody"})), [])

    def test_filters_combine(self):
        response = self.client.get(URL, {"skill": "menuiserie", "q": "léa"})
        self.assertEqual(_names(response), [])

    def test_skill_choices_come_from_members_open_to_contact(self):
        skills = [tag.slug for tag in self.client.get(URL).context["filter_choices"]["skills"]]
        self.assertEqual(sorted(skills), ["cnc", "découpe-laser", "menuiserie"])

    def test_odd_filter_values_and_page_numbers_are_not_errors(self):
        for params in (
            {"skill": "no-such-skill"},
            {"tribe": "x" * 5000},
            {"q": "%_'\"<script>" * 50},
            {"page": "-3"},
            {"page": "abc"},
            {"page": "99999999999999999999"},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(URL, params).status_code, 200)

    def test_members_with_more_public_projects_come_first(self):
        ProjectPageFactory(owner=self.wood)
        self.assertEqual(_names(self.client.get(URL)), ["wood", "laser"])


class TestDirectoryQueryCount(TestCase):
    client_class = EnglishClient

    @staticmethod
    def _add_member(number: int):
        member = UserFactory(open_to_contact=True, skills=[f"skill {number}", "soudure"])
        for index in range(4):
            ProjectPageFactory(title=f"Projet {number}-{index}", owner=member, tags=["bois"])
        ProjectPageFactory(title=f"Partagé {number}", collaborators=[member])
        ProjectPageFactory(
            title=f"Privé {number}", owner=member, visibility=ProjectVisibility.PRIVATE
        )

    def _count(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_members_and_projects(self):
        login(self.client, UserFactory())
        self._add_member(0)
        self._count()  # warm caches (site root, content types)
        before = self._count()
        for number in range(1, 6):
            self._add_member(number)
        self.assertEqual(self._count(), before)

    def test_each_member_shows_at_most_three_project_cards(self):
        self._add_member(0)
        member = self.client.get(URL).context["members"][0]
        self.assertEqual(member.public_project_count, 5)
        self.assertEqual(len(member.directory_projects), 3)
