"""A public tribe's activity feed (RSS and Atom): its new public projects and the journal
entries on them, newest first. Nothing that is not public gets in; a private tribe has none."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.feeds import tribe_activity_public
from projects.models import ProjectPage, ProjectVisibility
from tests.helpers import EnglishClient, login
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

FEEDS = (("feed/", "application/rss+xml"), ("feed/atom/", "application/atom+xml"))


def _shared(tribe, **fields):
    project = ProjectPageFactory(**fields)
    project.tribes.add(tribe)
    project.save()
    return project


class TestTribeActivityFeed(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tribe = TribePageFactory(title="La Machinerie", slug="la-machinerie")
        earlier = timezone.now() - timedelta(days=3)
        cls.public = _shared(cls.tribe, title="Horloge du lab", first_published_at=earlier)
        cls.entry = JournalEntryFactory(
            project=cls.public, kind="failure", title="Aiguilles tordues", body="Trop **fin**."
        )
        cls.tribe_only = _shared(cls.tribe, title="Projet entre nous")
        ProjectPage.objects.filter(pk=cls.tribe_only.pk).update(visibility=ProjectVisibility.TRIBE)
        JournalEntryFactory(project=cls.tribe_only, title="Essai réservé")
        cls.private = _shared(cls.tribe, title="Projet privé", visibility="private")
        JournalEntryFactory(project=cls.private, title="Note privée")
        cls.draft = _shared(cls.tribe, title="Brouillon du lab", live=False)
        cls.elsewhere = ProjectPageFactory(title="Projet d'une autre tribu")
        cls.secret = TribePageFactory(title="Cercle secret", slug="cercle-secret", private=True)
        cls.member = TribeMembershipFactory(tribe=cls.secret).user
        _shared(cls.secret, title="Projet du cercle")

    def test_feeds_carry_public_projects_and_their_entries_only(self):
        for suffix, content_type in FEEDS:
            for viewer in (None, self.member, self.private.owner, UserFactory(staff=True)):
                with self.subTest(feed=suffix, viewer=str(viewer)):
                    client = EnglishClient()
                    if viewer:
                        login(client, viewer)
                    response = client.get(f"/tribes/la-machinerie/{suffix}")
                    self.assertEqual(response.status_code, 200)
                    self.assertTrue(response["Content-Type"].startswith(content_type))
                    self.assertContains(response, "La Machinerie: activity")
                    self.assertContains(response, "New project: Horloge du lab")
                    self.assertContains(response, "Aiguilles tordues")
                    self.assertContains(response, self.entry.get_absolute_url())
                    for hidden in (
                        "Projet entre nous",
                        "Essai réservé",
                        "Projet privé",
                        "Note privée",
                        "Brouillon du lab",
                        "Projet d'une autre tribu",
                    ):
                        self.assertNotContains(response, hidden)
                    self.assertNotContains(response, self.public.owner.email)

    def test_items_are_newest_first(self):
        items = tribe_activity_public(self.tribe)
        self.assertEqual(items, [self.entry, self.public.specific])

    def test_a_private_tribe_has_no_feed(self):
        for suffix, _type in FEEDS:
            for viewer in (None, self.member, UserFactory(staff=True)):
                with self.subTest(feed=suffix, viewer=str(viewer)):
                    client = EnglishClient()
                    if viewer:
                        login(client, viewer)
                    response = client.get(f"/tribes/cercle-secret/{suffix}")
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(EnglishClient().get("/tribes/no-such-tribe/feed/").status_code, 404)

    def test_an_unpublished_tribe_has_no_feed(self):
        self.tribe.unpublish()
        self.assertEqual(EnglishClient().get("/tribes/la-machinerie/feed/").status_code, 404)

    def test_the_public_tribe_page_links_its_feeds(self):
        response = EnglishClient().get(self.tribe.url)
        self.assertContains(response, 'rel="alternate" type="application/rss+xml"')
        self.assertContains(response, 'href="/tribes/la-machinerie/feed/"')
        self.assertContains(response, "Follow the tribe's activity (RSS)")
        self.assertContains(response, 'href="/tribes/la-machinerie/feed/atom/"')

    def test_a_private_tribe_page_links_no_feed(self):
        response = login(EnglishClient(), self.member).get(self.secret.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "/tribes/cercle-secret/feed/")
