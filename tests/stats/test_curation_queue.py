"""The curation queue in the Wagtail admin: public projects by score then recent activity,
staff only, a constant number of queries."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from images.factories import CarnetImageFactory
from projects.factories import (
    JournalEntryFactory,
    ProjectPageFactory,
    bill_of_materials_row,
    step_block,
)
from projects.models import JournalEntry, JournalEntryKind, ProjectVisibility
from stats.selectors import curation_queue
from tests.helpers import EnglishClient, login
from tribes.factories import TribeMembershipFactory
from users.factories import UserFactory


def complete(photo) -> dict:
    return {
        "presentation": "Une lampe.",
        "methodology": "Prototyper vite.",
        "technical_architecture": "Une LED.",
        "steps": [step_block("Découper", photos=[photo])],
        "bill_of_materials": [bill_of_materials_row("Papier")],
        "cover_image": photo,
    }


class TestCurationQueue(TestCase):
    client_class = EnglishClient
    url = reverse("stats_curation_queue")

    @classmethod
    def setUpTestData(cls):
        cls.photo = CarnetImageFactory()
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.best = ProjectPageFactory(title="Lampe complète", **complete(cls.photo))
        JournalEntryFactory(project=cls.best, kind=JournalEntryKind.FAILURE)
        # Same score (no failure or lesson): the one with the latest journal entry comes first.
        cls.quiet = ProjectPageFactory(title="Robot calme", **complete(cls.photo))
        old = JournalEntryFactory(project=cls.quiet)
        JournalEntry.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=90)
        )
        cls.busy = ProjectPageFactory(title="Robot actif", **complete(cls.photo))
        JournalEntryFactory(project=cls.busy)
        cls.bare = ProjectPageFactory(title="Idée nue")
        cls.private = ProjectPageFactory(
            title="Projet privé", visibility=ProjectVisibility.PRIVATE, **complete(cls.photo)
        )
        cls.draft = ProjectPageFactory(title="Brouillon", live=False, **complete(cls.photo))

    def test_public_projects_by_score_then_latest_activity(self):
        queue = curation_queue()
        self.assertEqual(
            [candidate.project.title for candidate in queue],
            ["Lampe complète", "Robot actif", "Robot calme", "Idée nue"],
        )
        self.assertEqual([candidate.score for candidate in queue], [100, 85, 85, 5])

    def test_staff_see_the_queue_with_missing_items_owner_and_links(self):
        response = login(self.client, self.staff).get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Curation queue")
        self.assertContains(response, "A failure or a lesson in the journal")
        self.assertContains(response, self.bare.owner.public_name)
        self.assertContains(response, reverse("projects:detail", args=[self.best.slug]))
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[self.best.pk]))
        self.assertNotContains(response, "Projet privé")
        self.assertNotContains(response, "Brouillon")

    def test_the_admin_menu_offers_it_to_staff(self):
        response = login(self.client, self.staff).get(reverse("wagtailadmin_home"))
        self.assertContains(response, self.url)

    def test_query_count_does_not_grow_with_the_projects(self):
        client = login(self.client, self.staff)
        client.get(self.url)  # warm the caches (site root paths, user)
        with CaptureQueriesContext(connection) as few:
            client.get(self.url)
        for number in range(6):
            project = ProjectPageFactory(title=f"Encore {number}", **complete(self.photo))
            JournalEntryFactory(project=project, kind=JournalEntryKind.LESSON)
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url)
        self.assertContains(response, "Encore 5")
        self.assertEqual(len(many), len(few))

    def test_paginated(self):
        for number in range(30):
            ProjectPageFactory(title=f"Projet {number:02}")
        client = login(self.client, self.staff)
        first = client.get(self.url)
        self.assertEqual(len(first.context["candidates"]), 25)
        self.assertContains(first, "Page 1 of 2")
        second = client.get(self.url, {"p": 2})
        self.assertEqual(len(second.context["candidates"]), 34 - 25)
        self.assertEqual(client.get(self.url, {"p": "zzz"}).status_code, 200)

    def test_not_for_tribe_admins_with_admin_access_nor_members(self):
        editor = UserFactory()
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        TribeMembershipFactory(user=editor, admin=True)
        response = login(self.client, editor).get(self.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Lampe complète", status_code=response.status_code)
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(home, self.url)
        member = UserFactory()
        response = login(self.client, member).get(self.url)
        self.assertEqual(response.status_code, 302)
