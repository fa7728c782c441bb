"""The index follows the content: each write goes through the services, as the views do, and its
signal enqueues an indexing task that runs when the transaction commits (the tests run those
commit callbacks with captureOnCommitCallbacks). Nothing here calls search.services directly,
except `manage.py reindex`, the full rebuild."""

import io

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase

from projects import services
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry, ProjectPage
from search.backends import get_search_engine
from search.engine import SearchRequest
from search.factories import SearchDocumentFactory
from search.models import SearchDocument, SearchDocumentKind, SearchTerm
from tests.helpers import published
from tribes import services as tribe_services
from tribes.factories import TribeMembershipFactory, TribePageFactory
from tribes.models import TribePage
from users import services as user_services
from users.factories import UserFactory
from users.models import User
from visibility.policy import audiences_of


class IndexingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(username="owner")
        cls.collaborator = UserFactory(username="collaborator")
        cls.outsider = UserFactory(username="outsider")
        cls.tribe_member = UserFactory(username="tribe-member")
        cls.tribe = TribePageFactory(title="Tribu Ocre")
        TribeMembershipFactory(tribe=cls.tribe, user=cls.tribe_member)

    def found(self, query, reader=None, **filters) -> set[tuple[str, int]]:
        """(kind, id) of what `reader` (anonymous by default) finds for `query`."""
        request = SearchRequest(query=query, filters=filters, per_page=100)
        response = get_search_engine().search(
            request, audiences=audiences_of(reader or AnonymousUser())
        )
        return {(hit.document.kind, hit.document.source_id) for hit in response.hits}

    def facets(self, query, reader=None) -> dict[str, set[str]]:
        request = SearchRequest(query=query)
        response = get_search_engine().search(
            request, audiences=audiences_of(reader or AnonymousUser())
        )
        return {name: {f.value for f in values} for name, values in response.facets.items()}

    def has_document(self, kind, source_id) -> bool:
        return SearchDocument.objects.filter(kind=kind, source_id=source_id).exists()

    def create_project(self, title="Horloge Quintessence", summary="Un balancier lent."):
        with self.captureOnCommitCallbacks(execute=True):
            return published(
                services.project_create(owner=self.owner, title=title, summary=summary)
            )

    def create_entry(self, project, body="Le pendule oscille.", **fields):
        # Untitled entries take their project's title: give them one of their own.
        fields.setdefault("title", "Relevé du jour")
        with self.captureOnCommitCallbacks(execute=True):
            return services.journal_entry_create(
                project=project, author=self.owner, kind="trial", body=body, **fields
            )

    def update(self, project, **fields):
        with self.captureOnCommitCallbacks(execute=True):
            return services.project_update(project=project, user=self.owner, **fields)


PROJECT, ENTRY = SearchDocumentKind.PROJECT, SearchDocumentKind.JOURNAL_ENTRY


class TestProjects(IndexingTestCase):
    def test_creating_a_project_indexes_it(self):
        project = self.create_project()
        self.assertEqual(self.found("quintessence"), {(PROJECT, project.pk)})
        self.assertEqual(self.found("balancier"), {(PROJECT, project.pk)})

    def test_writing_a_journal_entry_indexes_it(self):
        project = self.create_project()
        entry = self.create_entry(project, body="Le pendule oscille.")
        self.assertEqual(self.found("pendule"), {(ENTRY, entry.pk)})

    def test_editing_a_journal_entry_changes_what_is_found(self):
        entry = self.create_entry(self.create_project(), body="Le pendule oscille.")
        with self.captureOnCommitCallbacks(execute=True):
            services.journal_entry_update(entry=entry, user=self.owner, body="Le ressort casse.")
        self.assertEqual(self.found("pendule"), set())
        self.assertEqual(self.found("ressort"), {(ENTRY, entry.pk)})

    def test_editing_each_section_changes_what_is_found(self):
        project = self.create_project()
        self.update(project, presentation="Un cadran solaire.", methodology="Par triangulation.")
        self.assertEqual(self.found("cadran"), {(PROJECT, project.pk)})
        self.assertEqual(self.found("triangulation"), {(PROJECT, project.pk)})
        self.update(project, presentation="Un sablier.", technical_architecture="Un engrenage.")
        self.assertEqual(self.found("cadran"), set())
        self.assertEqual(self.found("sablier"), {(PROJECT, project.pk)})
        self.assertEqual(self.found("engrenage"), {(PROJECT, project.pk)})

    def test_adding_and_changing_a_step_changes_what_is_found(self):
        project = self.create_project()
        with self.captureOnCommitCallbacks(execute=True):
            step_id = services.project_step_add(
                project=project, user=self.owner, title="Percer la platine", body="Au foret."
            )
        self.assertEqual(self.found("platine"), {(PROJECT, project.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            services.project_step_update(
                project=project, user=self.owner, step_id=step_id, title="Limer", body="Doux."
            )
        self.assertEqual(self.found("platine"), set())
        self.assertEqual(self.found("limer"), {(PROJECT, project.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            services.project_step_delete(project=project, user=self.owner, step_id=step_id)
        self.assertEqual(self.found("limer"), set())

    def test_bill_of_materials_is_indexed(self):
        project = self.create_project()
        with self.captureOnCommitCallbacks(execute=True):
            services.project_bill_of_materials_set(
                project=project, user=self.owner, rows=[{"item": "Roulement", "quantity": "2"}]
            )
        self.assertEqual(self.found("roulement"), {(PROJECT, project.pk)})

    def test_renaming_a_project_renames_it_in_search(self):
        project = self.create_project()
        self.update(project, title="Horloge Quadrature")
        self.assertEqual(self.found("quintessence"), set())
        self.assertEqual(self.found("quadrature"), {(PROJECT, project.pk)})

    def test_an_untitled_entry_is_found_by_its_projects_new_title(self):
        project = self.create_project()
        entry = self.create_entry(project, body="Rien de neuf.", title="")  # "Trial — <title>"
        self.update(project, title="Horloge Quadrature")
        self.assertEqual(self.found("quadrature"), {(PROJECT, project.pk), (ENTRY, entry.pk)})
        self.assertEqual(self.found("quintessence"), set())

    def test_a_new_project_address_reaches_its_entries(self):
        """An entry's address is under its project's: a new slug (Wagtail admin, promote tab)
        must not leave search results pointing at the old one."""
        project = self.create_project()
        entry = self.create_entry(project)
        project = self.update(project, slug="horloge-renommee")
        document = SearchDocument.objects.get(kind=ENTRY, source_id=entry.pk)
        self.assertEqual(document.url, JournalEntry.objects.get(pk=entry.pk).get_absolute_url())
        self.assertIn("/horloge-renommee/", document.url)

    def test_a_new_tag_reaches_the_facets_of_the_projects_entries(self):
        project = self.create_project()
        self.create_entry(project, body="Le pendule oscille.")
        self.update(project, tags=["horlogerie"])
        self.assertEqual(self.facets("pendule")["tag"], {"horlogerie"})
        self.assertTrue(self.found("pendule", tag=["horlogerie"]))

    def test_documents_are_saved_once_per_object(self):
        project = self.create_project()
        self.create_entry(project)
        self.update(project, presentation="Encore.")
        self.update(project, presentation="Et encore.")
        self.assertEqual(SearchDocument.objects.filter(kind=PROJECT).count(), 1)
        self.assertEqual(SearchDocument.objects.filter(kind=ENTRY).count(), 1)


class TestVisibilityChanges(IndexingTestCase):
    def _public_project_with_entry(self):
        project = self.create_project()
        self.update(project, tags=["horlogerie"], collaborators=[self.collaborator])
        entry = self.create_entry(project, body="Le pendule oscille.")
        return project, entry

    def test_public_to_private_hides_the_project_and_its_entries_at_once(self):
        project, entry = self._public_project_with_entry()
        self.assertEqual(self.found("quintessence"), {(PROJECT, project.pk)})
        self.update(project, visibility="private")
        for reader in (None, self.outsider, self.tribe_member):
            with self.subTest(reader=reader):
                self.assertEqual(self.found("quintessence", reader), set())
                self.assertEqual(self.found("pendule", reader), set())
                self.assertEqual(self.facets("quintessence", reader), {})
        for reader in (self.owner, self.collaborator):
            with self.subTest(reader=reader):
                self.assertEqual(self.found("quintessence", reader), {(PROJECT, project.pk)})
                self.assertEqual(self.found("pendule", reader), {(ENTRY, entry.pk)})

    def test_private_facet_values_go_with_the_project(self):
        project, _entry = self._public_project_with_entry()
        self.assertEqual(self.facets("pendule")["tag"], {"horlogerie"})
        self.update(project, visibility="private")
        self.assertEqual(self.facets("pendule"), {})
        self.assertEqual(
            SearchTerm.objects.filter(name="audience", value="public").count(),
            SearchDocument.objects.exclude(kind__in=[PROJECT, ENTRY]).count(),
        )

    def test_private_to_public_shows_them_again(self):
        project, entry = self._public_project_with_entry()
        self.update(project, visibility="private")
        self.update(project, visibility="public")
        self.assertEqual(self.found("quintessence"), {(PROJECT, project.pk)})
        self.assertEqual(self.found("pendule"), {(ENTRY, entry.pk)})

    def test_public_to_tribe_leaves_it_to_the_tribes_active_members(self):
        project, entry = self._public_project_with_entry()
        self.update(project, visibility="tribe", tribes=[self.tribe])
        self.assertEqual(self.found("pendule"), set())
        self.assertEqual(self.found("pendule", self.outsider), set())
        self.assertEqual(self.found("pendule", self.tribe_member), {(ENTRY, entry.pk)})
        self.assertEqual(self.found("quintessence", self.tribe_member), {(PROJECT, project.pk)})

    def test_a_new_collaborator_finds_the_private_project(self):
        project = self.create_project()
        self.update(project, visibility="private")
        self.assertEqual(self.found("quintessence", self.outsider), set())
        self.update(project, collaborators=[self.outsider])
        self.assertEqual(self.found("quintessence", self.outsider), {(PROJECT, project.pk)})
        self.update(project, collaborators=[])
        self.assertEqual(self.found("quintessence", self.outsider), set())

    def test_an_entry_written_on_a_private_project_is_private_from_the_start(self):
        project = self.create_project()
        self.update(project, visibility="private")
        entry = self.create_entry(project, body="Un secret horloger.")
        self.assertEqual(self.found("secret"), set())
        self.assertEqual(self.found("secret", self.owner), {(ENTRY, entry.pk)})

    def test_unpublishing_hides_the_project_and_its_entries(self):
        project, entry = self._public_project_with_entry()
        with self.captureOnCommitCallbacks(execute=True):
            ProjectPage.objects.get(pk=project.pk).unpublish()
        self.assertEqual(self.found("quintessence"), set())
        self.assertEqual(self.found("pendule"), set())
        # A draft is still its owner's and collaborators' (visibility.policy).
        self.assertEqual(self.found("quintessence", self.collaborator), {(PROJECT, project.pk)})
        self.assertEqual(self.found("pendule", self.owner), {(ENTRY, entry.pk)})


class TestDeletions(IndexingTestCase):
    def test_deleting_a_journal_entry_removes_its_document(self):
        project = self.create_project()
        entry = self.create_entry(project, body="Le pendule oscille.")
        kept = self.create_entry(project, body="Le pendule tient.")
        with self.captureOnCommitCallbacks(execute=True):
            services.journal_entry_delete(entry=entry, user=self.owner)
        self.assertFalse(self.has_document(ENTRY, entry.pk))
        self.assertEqual(self.found("pendule"), {(ENTRY, kept.pk)})
        self.assertEqual(self.found("oscille"), set())

    def test_deleting_a_project_removes_it_and_its_entries(self):
        project = self.create_project()
        entry = self.create_entry(project, body="Le pendule oscille.")
        with self.captureOnCommitCallbacks(execute=True):
            ProjectPage.objects.get(pk=project.pk).delete()
        self.assertFalse(self.has_document(PROJECT, project.pk))
        self.assertFalse(self.has_document(ENTRY, entry.pk))
        self.assertEqual(self.found("quintessence", self.owner), set())
        self.assertEqual(self.found("pendule", self.owner), set())
        self.assertFalse(SearchTerm.objects.filter(document__source_id=entry.pk).exists())

    def test_deleting_a_tribe_removes_its_document(self):
        with self.captureOnCommitCallbacks(execute=True):
            tribe = tribe_services.tribe_create(
                creator=self.owner, title="Tribu Safran", description="Teinture."
            )
        self.assertTrue(self.has_document(SearchDocumentKind.TRIBE, tribe.pk))
        with self.captureOnCommitCallbacks(execute=True):
            TribePage.objects.get(pk=tribe.pk).delete()
        self.assertFalse(self.has_document(SearchDocumentKind.TRIBE, tribe.pk))
        self.assertEqual(self.found("safran"), set())

    def test_deleting_a_member_removes_their_profile(self):
        with self.captureOnCommitCallbacks(execute=True):
            member = user_services.user_create(
                username="ephemere", email="e@example.org", password="x" * 20,
                display_name="Ephémère Passant",
            )  # fmt: skip
        self.assertTrue(self.has_document(SearchDocumentKind.MEMBER, member.pk))
        with self.captureOnCommitCallbacks(execute=True):
            User.objects.get(pk=member.pk).delete()
        self.assertFalse(self.has_document(SearchDocumentKind.MEMBER, member.pk))


class TestLogin(IndexingTestCase):
    def test_logging_in_does_not_rebuild_the_members_search_document(self):
        from django.contrib.auth.models import update_last_login
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # The indexing task runs when the callbacks do, inside the captured queries.
        with CaptureQueriesContext(connection) as seen, self.captureOnCommitCallbacks(execute=True):
            update_last_login(None, self.outsider)
        self.assertTrue(any("last_login" in q["sql"] for q in seen.captured_queries))
        self.assertFalse(any("search_search" in q["sql"] for q in seen.captured_queries))


class TestTribesAndMembers(IndexingTestCase):
    def test_a_tribe_is_indexed_and_updated(self):
        with self.captureOnCommitCallbacks(execute=True):
            tribe = tribe_services.tribe_create(
                creator=self.owner, title="Tribu Safran", description="Teinture végétale.",
                place="Rouen",
            )  # fmt: skip
        kind = SearchDocumentKind.TRIBE
        self.assertEqual(self.found("safran"), {(kind, tribe.pk)})
        self.assertEqual(self.found("teinture"), {(kind, tribe.pk)})
        self.assertEqual(self.found("rouen"), {(kind, tribe.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            tribe_services.tribe_update(tribe=tribe, user=self.owner, description="Tissage.")
        self.assertEqual(self.found("teinture"), set())
        self.assertEqual(self.found("tissage"), {(kind, tribe.pk)})

    def test_a_tribe_made_private_is_found_by_its_members_only(self):
        with self.captureOnCommitCallbacks(execute=True):
            tribe = tribe_services.tribe_create(
                creator=self.owner, title="Tribu Safran", description="Teinture."
            )
            tribe_services.tribe_update(tribe=tribe, user=self.owner, visibility="private")
        kind = SearchDocumentKind.TRIBE
        self.assertEqual(self.found("safran"), set())
        self.assertEqual(self.found("safran", self.outsider), set())
        self.assertEqual(self.found("safran", self.owner), {(kind, tribe.pk)})

    def test_joining_a_tribe_reveals_its_tribe_only_projects_at_once(self):
        project = self.create_project()
        self.update(project, visibility="tribe", tribes=[self.tribe])
        TribePage.objects.filter(pk=self.tribe.pk).update(join_policy="open")
        self.assertEqual(self.found("quintessence", self.outsider), set())
        tribe_services.tribe_join(user=self.outsider, tribe=TribePage.objects.get(pk=self.tribe.pk))
        self.assertEqual(self.found("quintessence", self.outsider), {(PROJECT, project.pk)})

    def test_renaming_a_tribe_renames_it_in_the_facets_of_its_projects(self):
        with self.captureOnCommitCallbacks(execute=True):
            tribe = tribe_services.tribe_create(creator=self.owner, title="Tribu Safran")
        project = self.create_project()
        self.update(project, tribes=[tribe])
        with self.captureOnCommitCallbacks(execute=True):
            tribe_services.tribe_update(tribe=tribe, user=self.owner, title="Tribu Curcuma")
        request = SearchRequest(query="quintessence")
        response = get_search_engine().search(request, audiences={"public"})
        self.assertEqual([str(f.label) for f in response.facets["tribe"]], ["Tribu Curcuma"])

    def test_a_deleted_tribe_leaves_the_facets_of_its_projects(self):
        with self.captureOnCommitCallbacks(execute=True):
            tribe = tribe_services.tribe_create(creator=self.owner, title="Tribu Safran")
        project = self.create_project()
        self.update(project, tribes=[tribe])
        self.assertEqual(self.facets("quintessence")["tribe"], {str(tribe.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            TribePage.objects.get(pk=tribe.pk).delete()
        self.assertNotIn("tribe", self.facets("quintessence"))

    def test_a_member_profile_is_indexed_and_updated(self):
        with self.captureOnCommitCallbacks(execute=True):
            member = user_services.user_create(
                username="ondine", email="ondine@example.org", password="x" * 20,
                display_name="Ondine Verrier",
            )  # fmt: skip
        kind = SearchDocumentKind.MEMBER
        self.assertEqual(self.found("verrier"), {(kind, member.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            user_services.user_profile_update(
                user=member, bio="Souffleuse de verre.", skills=["vitrail"]
            )
        self.assertEqual(self.found("souffleuse"), {(kind, member.pk)})
        self.assertEqual(self.found("vitrail"), {(kind, member.pk)})
        with self.captureOnCommitCallbacks(execute=True):
            user_services.user_profile_update(user=member, display_name="Ondine Maille")
        self.assertEqual(self.found("verrier"), set())
        self.assertEqual(self.found("maille"), {(kind, member.pk)})

    def test_a_deactivated_member_is_no_longer_found(self):
        with self.captureOnCommitCallbacks(execute=True):
            member = UserFactory(display_name="Ondine Verrier")
        self.assertEqual(len(self.found("verrier")), 1)
        with self.captureOnCommitCallbacks(execute=True):
            member.is_active = False
            member.save()
        self.assertEqual(self.found("verrier"), set())
        self.assertEqual(self.found("verrier", self.outsider), set())


class TestReindexCommand(IndexingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Written by the factories: no signal, nothing indexed yet.
        cls.projects = [
            ProjectPageFactory(title=f"Girandole {n}", owner=cls.owner) for n in range(3)
        ]
        cls.private = ProjectPageFactory(
            title="Girandole cachée", owner=cls.owner, visibility="private"
        )
        cls.entries = JournalEntryFactory.create_batch(4, project=cls.projects[0], body="Mèche")

    def reindex(self) -> str:
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("reindex", stdout=out)
        return out.getvalue()

    def expected_total(self) -> int:
        return (
            ProjectPage.objects.count()
            + JournalEntry.objects.count()
            + TribePage.objects.count()
            + User.objects.count()
        )

    def test_rebuilds_every_document(self):
        SearchDocument.objects.all().delete()
        output = self.reindex()
        self.assertEqual(SearchDocument.objects.count(), self.expected_total())
        self.assertEqual(SearchDocument.objects.filter(kind=PROJECT).count(), 4)
        self.assertEqual(SearchDocument.objects.filter(kind=ENTRY).count(), 4)
        self.assertIn(f"{self.expected_total()} documents indexed.", output)

    def test_prints_progress_for_each_kind(self):
        output = self.reindex()
        for label in ("projects", "journal entries", "tribes", "members"):
            self.assertIn(label, output)

    def test_what_it_builds_is_searchable_and_filtered(self):
        self.reindex()
        self.assertEqual(
            self.found("girandole"), {(PROJECT, project.pk) for project in self.projects}
        )
        self.assertEqual(len(self.found("girandole", self.owner)), 4)
        self.assertEqual(len(self.found("mèche")), 4)

    def test_removes_documents_of_objects_that_are_gone(self):
        stale = SearchDocumentFactory(title="Fantôme obsolète", source_id=987654)
        self.reindex()
        self.assertFalse(SearchDocument.objects.filter(pk=stale.pk).exists())
        self.assertEqual(self.found("obsolète"), set())

    def test_running_it_twice_gives_the_same_index(self):
        self.reindex()
        first = sorted(SearchDocument.objects.values_list("kind", "source_id", "title"))
        self.reindex()
        second = sorted(SearchDocument.objects.values_list("kind", "source_id", "title"))
        self.assertEqual(first, second)
        self.assertEqual(len(self.found("girandole")), 3)
