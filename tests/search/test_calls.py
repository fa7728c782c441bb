"""Calls for projects in search: public once published, drafts for their organisation only."""

from django.test import TestCase, override_settings

from calls.factories import CallForProjectsPageFactory, OrganisationMembershipFactory
from calls.models import CallStatus
from search.models import SearchDocument, SearchDocumentKind
from search.services import search_index_call
from tests.helpers import EnglishClient, login
from users.factories import UserFactory


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
class TestCallsInSearch(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.colleague = UserFactory()
        organisation = OrganisationMembershipFactory(user=cls.colleague).organisation
        cls.open_call = CallForProjectsPageFactory(
            organisation=organisation, title="Capteurs de crue", brief="Des hydrophones libres."
        )
        cls.draft = CallForProjectsPageFactory(
            organisation=organisation, title="Capteurs secrets", draft=True,
            brief="Des hydrophones confidentiels.",
        )  # fmt: skip
        with cls.captureOnCommitCallbacks(execute=True):
            for call in (cls.open_call, cls.draft):
                search_index_call(call_id=call.pk)

    def search(self, query):
        return self.client.get("/search/", {"q": query})

    def test_a_published_call_is_found_by_the_words_of_its_brief(self):
        response = self.search("hydrophones")
        self.assertContains(response, "Capteurs de crue")
        self.assertContains(response, "Call for projects")
        self.assertNotContains(response, "Capteurs secrets")

    def test_a_draft_is_found_by_its_organisation_only(self):
        login(self.client, self.colleague)
        self.assertContains(self.search("confidentiels"), "Capteurs secrets")
        login(self.client, UserFactory())
        self.assertNotContains(self.search("confidentiels"), "Capteurs secrets")

    def test_a_state_change_without_publish_is_indexed(self):
        self.draft.status = CallStatus.OPEN
        self.draft.live = True
        with self.captureOnCommitCallbacks(execute=True):
            self.draft.save()
        self.assertContains(self.search("confidentiels"), "Capteurs secrets")

    def test_a_deleted_call_leaves_the_index(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.open_call.delete()
        self.assertFalse(
            SearchDocument.objects.filter(
                kind=SearchDocumentKind.CALL, source_id=self.open_call.pk
            ).exists()
        )
