"""A change to a project or its journal purges the public pages that show it from the proxy
cache (projects/cache.py), once committed; nothing is sent without a frontend cache."""

from unittest import mock

from django.test import TestCase, override_settings

from core.frontend_cache import NginxPurgeBackend
from projects import services
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectVisibility
from tests.frontend_cache import RecordingBackend, purged_paths
from tribes.factories import TribePageFactory
from users.factories import UserFactory

LISTINGS = {"/", "/projects/", "/projects/feed/", "/projects/feed/atom/"}


def project_paths(slug: str) -> set[str]:
    return {
        f"/projects/{slug}/",
        f"/projects/{slug}/export.md",
        f"/projects/{slug}/journal/feed/",
        f"/projects/{slug}/journal/feed/atom/",
    }


class TestProjectChangesPurge(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(username="alice")
        cls.collaborator = UserFactory(username="bob")
        cls.tribe = TribePageFactory(slug="fablab")
        cls.project = ProjectPageFactory(
            slug="lampe", owner=cls.owner, collaborators=[cls.collaborator]
        )
        cls.project.tribes.set([cls.tribe])
        cls.project.save()
        cls.entry = JournalEntryFactory(project=cls.project)

    def _purged_by(self, change) -> set[str]:
        with purged_paths() as paths, self.captureOnCommitCallbacks(execute=True):
            change()
        return paths

    def _everything_public(self) -> set[str]:
        return (
            LISTINGS
            | project_paths("lampe")
            | {"/tribes/fablab/", "/tribes/fablab/feed/", "/tribes/fablab/feed/atom/"}
            | {"/members/alice/", "/members/bob/"}
        )

    def test_an_edit_purges_the_project_its_listings_tribes_and_people(self):
        paths = self._purged_by(
            lambda: services.project_update(project=self.project, user=self.owner, summary="Neuf.")
        )
        self.assertEqual(paths, self._everything_public())

    def test_wagtail_purges_the_published_page_and_carnet_lists_it_only_once(self):
        RecordingBackend.purged.clear()
        with purged_paths(), self.captureOnCommitCallbacks(execute=True):
            services.project_update(project=self.project, user=self.owner, summary="Neuf.")
            purged = list(RecordingBackend.purged)
        self.assertEqual(purged.count("http://localhost/projects/lampe/"), 1)

    def test_a_new_journal_entry_purges_its_page_and_the_project(self):
        created = []

        def write():
            created.append(
                services.journal_entry_create(
                    project=self.project, author=self.owner, kind="trial", body="Essai."
                )
            )

        paths = self._purged_by(write)
        entry_path = f"/projects/lampe/journal/{created[0].pk}/"
        self.assertEqual(paths, self._everything_public() | {entry_path})

    def test_an_edited_or_deleted_entry_purges_its_page(self):
        entry_path = f"/projects/lampe/journal/{self.entry.pk}/"
        paths = self._purged_by(
            lambda: services.journal_entry_update(entry=self.entry, user=self.owner, body="Mieux.")
        )
        self.assertIn(entry_path, paths)
        self.assertIn("/projects/lampe/", paths)
        paths = self._purged_by(
            lambda: services.journal_entry_delete(entry=self.entry, user=self.owner)
        )
        self.assertIn(entry_path, paths)
        self.assertIn("/projects/lampe/", paths)

    def test_turning_private_also_purges_every_journal_entry_page(self):
        paths = self._purged_by(
            lambda: services.project_update(
                project=self.project, user=self.owner, visibility=ProjectVisibility.PRIVATE
            )
        )
        self.assertIn(f"/projects/lampe/journal/{self.entry.pk}/", paths)
        self.assertTrue(self._everything_public() <= paths)

    def test_publishing_a_draft_and_putting_it_back_purge_like_any_change(self):
        draft = services.project_create(owner=self.owner, title="Cerf-volant", summary="Spi.")
        services.project_update(project=draft, user=self.owner, tribes=[self.tribe])
        shown = (
            LISTINGS
            | project_paths("cerf-volant")
            | {"/tribes/fablab/", "/tribes/fablab/feed/", "/tribes/fablab/feed/atom/"}
            | {"/members/alice/"}
        )
        published = self._purged_by(
            lambda: services.project_publish(project=draft, user=self.owner)
        )
        self.assertTrue(shown <= published, shown - published)
        entry = services.journal_entry_create(
            project=draft, author=self.owner, kind="note", body="Vent fort."
        )
        back = self._purged_by(lambda: services.project_unpublish(project=draft, user=self.owner))
        gone = shown | {f"/projects/cerf-volant/journal/{entry.pk}/"}
        self.assertTrue(gone <= back, gone - back)

    def test_a_drafts_changes_purge_nothing(self):
        draft = services.project_create(owner=self.owner, title="Cerf-volant", summary="Spi.")
        paths = self._purged_by(
            lambda: services.project_update(project=draft, user=self.owner, summary="Voile.")
        )
        self.assertEqual(paths, set())

    def test_a_private_projects_journal_purges_nothing(self):
        private = ProjectPageFactory(slug="secret", visibility=ProjectVisibility.PRIVATE)
        paths = self._purged_by(
            lambda: services.journal_entry_create(
                project=private, author=private.owner, kind="note", body="Rien de public."
            )
        )
        self.assertEqual(paths, set())

    def test_nothing_is_queued_without_a_frontend_cache(self):
        with (
            override_settings(WAGTAILFRONTENDCACHE={}),
            mock.patch("core.frontend_cache.enqueue_on_commit") as enqueue,
        ):
            services.journal_entry_create(
                project=self.project, author=self.owner, kind="note", body="Rien."
            )
        enqueue.assert_not_called()


def test_the_nginx_backend_purges_each_address_once_per_language(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.backends.http.urlopen",
        lambda request: sent.append((request.full_url, request.get_method())),
    )
    NginxPurgeBackend({"LOCATION": "http://127.0.0.1:8080"}).purge(
        "https://carnet.example.org/projects/lampe/?page=2"
    )
    assert sent == [
        ("http://127.0.0.1:8080/fr/projects/lampe/?page=2", "PURGE"),
        ("http://127.0.0.1:8080/en/projects/lampe/?page=2", "PURGE"),
    ]
