"""A journal entry the browser may send more than once (queued offline, its answer lost, two
tabs) carries a key: the same member's same key makes one entry, however often it arrives."""

import uuid

from django.test import TestCase
from django.urls import reverse

from projects import services
from projects.models import JournalEntry
from tests.helpers import EnglishClient, image_upload
from users.factories import UserFactory


class TestSubmissionKey(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.collaborator = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Robot dessinateur", summary="Un robot qui dessine."
        )
        services.project_update(
            project=cls.project, user=cls.owner, collaborators=[cls.collaborator]
        )
        cls.add_url = reverse("projects:journal_entry_add", kwargs={"slug": cls.project.slug})

    def post(self, member, key, body="Premier essai", **extra):
        self.client.force_login(member)
        data = {"kind": "trial", "body": body, "submission_key": key, **extra}
        return self.client.post(self.add_url, data)

    def test_the_same_key_sent_again_makes_one_entry_and_leads_to_it(self):
        key = str(uuid.uuid4())
        first = self.post(self.owner, key, photos=[image_upload()])
        again = self.post(self.owner, key, photos=[image_upload()])
        entry = JournalEntry.objects.get()
        self.assertEqual(first.status_code, 302)
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(entry.photos.count(), 1)
        self.assertEqual(entry.revisions.count(), 1)

    def test_different_keys_and_no_key_make_different_entries(self):
        self.post(self.owner, str(uuid.uuid4()))
        self.post(self.owner, str(uuid.uuid4()))
        self.post(self.owner, "")
        self.post(self.owner, "")
        self.assertEqual(JournalEntry.objects.count(), 4)

    def test_a_key_belongs_to_its_member(self):
        key = str(uuid.uuid4())
        self.post(self.owner, key, body="Inès")
        self.post(self.collaborator, key, body="Camille")
        self.assertEqual(
            sorted(JournalEntry.objects.values_list("body", flat=True)), ["Camille", "Inès"]
        )

    def test_a_malformed_key_is_ignored(self):
        for key in ("not-a-key", "1" * 200, "'; DROP TABLE"):
            with self.subTest(key=key):
                self.assertEqual(self.post(self.owner, key).status_code, 302)
        self.assertEqual(JournalEntry.objects.filter(submission_key=None).count(), 3)

    def test_a_form_error_keeps_the_key_unused(self):
        key = str(uuid.uuid4())
        refused = self.post(self.owner, key, body="  ")
        self.assertEqual(refused.status_code, 200)
        self.assertFalse(JournalEntry.objects.exists())
        self.assertEqual(self.post(self.owner, key).status_code, 302)
        self.assertEqual(JournalEntry.objects.get().submission_key, uuid.UUID(key))
