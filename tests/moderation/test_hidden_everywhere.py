"""Hidden content vanishes from every surface for everyone but staff and its authors: pages,
listings, profiles, search, API v2, feeds, the sitemap and a hidden project's files. Its
authors still see it, with the moderators' message; staff see it as it is. Shown again, it
comes back everywhere."""

from django.test import TestCase

from calls.factories import CallForProjectsPageFactory, OrganisationMembershipFactory
from moderation import services
from projects import services as project_services
from search.services import search_reindex_all
from tests.helpers import EnglishClient, image_upload, published
from users.factories import UserFactory

MESSAGE = "Retirez les données personnelles."


class TestHiddenEverywhere(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(username="moderator", staff=True, is_superuser=True)
        cls.owner = UserFactory(username="owner")
        cls.outsider = UserFactory(username="outsider")
        cls.reporter = UserFactory(username="reporter")
        cls.member = UserFactory(username="eiderduvet", display_name="Eider", open_to_contact=True)
        cls.project = published(
            project_services.project_create(
                owner=cls.owner,
                title="Projet Aurore",
                summary="Lampe aurore.",
                photo=image_upload(),
            )
        )
        # Listed once it tells something (projects.completeness.listed).
        project_services.project_update(
            project=cls.project, user=cls.owner, presentation="Une lampe aurore."
        )
        cls.project.refresh_from_db()
        cls.cover = cls.project.cover_image
        cls.kept = published(
            project_services.project_create(
                owner=cls.owner, title="Projet Bastide", summary="Tabouret bastide."
            )
        )
        cls.visible_entry = project_services.journal_entry_create(
            project=cls.kept, author=cls.owner, kind="trial", body="Essai visible"
        )
        cls.entry = project_services.journal_entry_create(
            project=cls.kept, author=cls.owner, kind="failure", body="Essai colibri raté"
        )
        cls.call = CallForProjectsPageFactory(title="Appel Dalmatien", slug="appel-dalmatien")
        OrganisationMembershipFactory(organisation=cls.call.organisation, user=cls.owner)
        with cls.captureOnCommitCallbacks(execute=True):
            search_reindex_all()
            cls.reports = {}
            for name, target in {
                "project": cls.project,
                "entry": cls.entry,
                "call": cls.call,
                "profile": cls.member,
            }.items():
                report = services.report_create(
                    reporter=cls.reporter, target=target, reason="personal_data"
                )
                services.report_hide(user=cls.staff, report=report, message=MESSAGE)
                cls.reports[name] = report

    def client_for(self, user):
        client = EnglishClient()
        if user is not None:
            client.force_login(user)
        return client

    def outsiders(self):
        return {"anonymous": self.client_for(None), "member": self.client_for(self.outsider)}

    def status(self, client, url):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        return response.status_code

    def test_hidden_things_answer_404_to_outsiders(self):
        urls = [
            f"/projects/{self.project.slug}/",
            f"/projects/{self.project.slug}/export.md",
            self.entry.get_absolute_url(),
            self.call.url,
            self.member.get_absolute_url(),
            f"/api/v2/pages/{self.project.pk}/",
            f"/api/v2/pages/{self.call.pk}/",
            f"/api/v2/images/{self.cover.pk}/",
            self.cover.file.url,
            self.cover.get_rendition("fill-480x320").url,
        ]
        for role, client in self.outsiders().items():
            for url in urls:
                with self.subTest(role=role, url=url):
                    self.assertEqual(self.status(client, url), 404)

    def test_hidden_things_are_in_no_listing_feed_sitemap_or_search_for_outsiders(self):
        surfaces = {
            "/projects/": "Projet Aurore",
            f"/members/{self.owner.username}/": "Projet Aurore",
            f"/projects/{self.kept.slug}/": "Essai colibri",
            f"/projects/{self.kept.slug}/journal/feed/": "Essai colibri",
            "/projects/feed/": "Projet Aurore",
            "/calls/": "Appel Dalmatien",
            "/members/": "Eider",
            "/sitemap.xml": self.project.slug,
            "/api/v2/pages/?type=projects.ProjectPage": "Projet Aurore",
            "/api/v2/pages/?type=calls.CallForProjectsPage": "Appel Dalmatien",
            "/search/?q=aurore": "/projects/projet-aurore/",
            "/search/?q=colibri": self.entry.get_absolute_url(),
            "/search/?q=dalmatien": "Appel Dalmatien</a>",
            "/search/?q=eider": self.member.get_absolute_url(),
        }
        for role, client in self.outsiders().items():
            for url, text in surfaces.items():
                with self.subTest(role=role, url=url):
                    response = client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(text, response.content.decode())
        # What was not hidden stays: the sibling entry, the project of the hidden entry.
        response = self.client_for(None).get(f"/projects/{self.kept.slug}/")
        self.assertContains(response, "Essai visible")

    def test_staff_still_see_everything_without_a_report_link(self):
        staff = self.client_for(self.staff)
        for url in [
            f"/projects/{self.project.slug}/",
            self.entry.get_absolute_url(),
            self.call.url,
            self.member.get_absolute_url(),
        ]:
            with self.subTest(url=url):
                response = staff.get(url)
                self.assertContains(response, "Hidden by the moderators")
                self.assertNotContains(response, "/moderation/report/")
        self.assertContains(staff.get("/search/?q=aurore"), "/projects/projet-aurore/")

    def test_authors_see_their_hidden_content_with_the_moderators_message(self):
        author = self.client_for(self.owner)
        for url in [
            f"/projects/{self.project.slug}/",
            self.entry.get_absolute_url(),
            self.call.url,
        ]:
            with self.subTest(url=url):
                response = author.get(url)
                self.assertContains(response, "Hidden by the moderators")
                self.assertContains(response, MESSAGE)
        self.assertContains(author.get(f"/projects/{self.kept.slug}/"), "Essai colibri")
        self.assertContains(author.get("/search/?q=aurore"), "/projects/projet-aurore/")
        self.assertEqual(self.status(author, self.cover.file.url), 200)
        member = self.client_for(self.member)
        self.assertContains(member.get(self.member.get_absolute_url()), MESSAGE)

    def test_shown_again_it_comes_back_everywhere(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.content_show_again(user=self.staff, report=self.reports["project"])
        anonymous = self.client_for(None)
        self.assertEqual(self.status(anonymous, f"/projects/{self.project.slug}/"), 200)
        self.assertContains(anonymous.get("/projects/"), "Projet Aurore")
        self.assertContains(anonymous.get("/search/?q=aurore"), "/projects/projet-aurore/")
        self.assertEqual(self.status(anonymous, self.cover.file.url), 200)
