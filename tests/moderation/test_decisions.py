"""Staff decide in the admin's "Moderation" menu: hide the content (its author is told with the
moderators' message, every open report on it is closed, each reporter hears the outcome),
dismiss (the reporters are told), show again (the author is told). Every decision is logged in
the content's history."""

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import PageLogEntry

from moderation import services
from moderation.models import Report, ReportStatus
from notifications.models import Notification
from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.helpers import EnglishClient
from users.factories import UserFactory

LIST = "wagtailsnippets_moderation_report:list"
REVIEW = "wagtailsnippets_moderation_report:review"


# Notifications are written in the site's language: English here, to quote the source strings.
@override_settings(LANGUAGE_CODE="en")
class TestModerationAdmin(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(username="moderator", staff=True, is_superuser=True)
        cls.owner = UserFactory(username="owner")
        cls.first, cls.second = UserFactory(username="first"), UserFactory(username="second")
        cls.project = ProjectPageFactory(title="Lampe Aurore", owner=cls.owner)

    def setUp(self):
        self.client.force_login(self.staff)
        self.report = services.report_create(
            reporter=self.first, target=self.project, reason="spam", details="Publicité."
        )
        self.other = services.report_create(
            reporter=self.second, target=self.project, reason="offensive"
        )
        mail.outbox.clear()

    def review(self, report=None):
        return reverse(REVIEW, args=[(report or self.report).pk])

    def test_reports_are_listed_open_first_with_a_review_button(self):
        entry = JournalEntryFactory(project=self.project, title="Essai Bastide")
        done = services.report_create(reporter=self.first, target=entry, reason="spam")
        services.report_dismiss(user=self.staff, report=done)
        response = self.client.get(reverse(LIST))
        self.assertContains(response, self.review())
        content = response.content.decode()
        self.assertLess(content.index(self.review(self.other)), content.index(self.review(done)))
        response = self.client.get(reverse(LIST), {"status": "dismissed"})
        self.assertContains(response, self.review(done))
        self.assertNotContains(response, self.review())

    def test_the_review_shows_the_content_link_and_the_reason(self):
        response = self.client.get(self.review())
        self.assertContains(response, f"/projects/{self.project.slug}/")
        self.assertContains(response, "Spam or advertising")
        self.assertContains(response, "Publicité.")
        self.assertContains(response, "Hide the content")

    def test_hiding_tells_the_author_and_every_reporter_and_closes_the_reports(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.review(), {"decision": "hide", "hide-message": "Retirez la publicité."}
            )
        self.assertRedirects(response, reverse(LIST))
        self.project.refresh_from_db()
        self.assertTrue(self.project.hidden)
        self.assertEqual(
            set(Report.objects.values_list("status", flat=True)), {ReportStatus.HIDDEN}
        )
        author_note = Notification.objects.get(recipient=self.owner)
        self.assertIn("Retirez la publicité.", author_note.body)
        self.assertIn("Lampe Aurore", author_note.title)
        for reporter in (self.first, self.second):
            note = Notification.objects.get(recipient=reporter)
            self.assertIn("hid the content you reported", note.body)
            self.assertNotIn("Retirez", note.body)
        recipients = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(
            recipients, ["first@example.org", "owner@example.org", "second@example.org"]
        )
        log = PageLogEntry.objects.get(page=self.project, action="carnet.moderation.hide")
        self.assertEqual(log.user, self.staff)
        self.assertEqual(log.data["message"], "Retirez la publicité.")

    def test_hiding_needs_a_message_for_the_author(self):
        response = self.client.post(self.review(), {"decision": "hide", "hide-message": " "})
        self.assertContains(response, "Write a message to the author", status_code=400)
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)
        self.assertFalse(Notification.objects.exists())

    def test_dismissing_tells_the_reporters_and_leaves_the_content(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.review(), {"decision": "dismiss", "dismiss-message": ""}
            )
        self.assertRedirects(response, reverse(LIST))
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)
        self.assertEqual(
            set(Report.objects.values_list("status", flat=True)), {ReportStatus.DISMISSED}
        )
        self.assertFalse(Notification.objects.filter(recipient=self.owner).exists())
        note = Notification.objects.get(recipient=self.first)
        self.assertIn("left it in place", note.body)
        self.assertEqual(len(mail.outbox), 2)
        self.assertTrue(
            PageLogEntry.objects.filter(
                page=self.project, action="carnet.moderation.dismiss"
            ).exists()
        )

    def test_a_closed_report_cannot_be_dismissed_twice(self):
        self.client.post(self.review(), {"decision": "dismiss"})
        response = self.client.post(self.review(), {"decision": "dismiss"})
        self.assertContains(response, "already closed", status_code=400)

    def test_show_again_tells_the_author_and_is_logged(self):
        services.report_hide(user=self.staff, report=self.report, message="À corriger.")
        response = self.client.post(self.review(), {"decision": "show", "show-message": "Merci."})
        self.assertRedirects(response, self.review())
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)
        note = Notification.objects.filter(recipient=self.owner).latest("pk")
        self.assertIn("visible again", note.title)
        self.assertIn("Merci.", note.body)
        self.assertTrue(
            PageLogEntry.objects.filter(page=self.project, action="carnet.moderation.show").exists()
        )

    def test_an_unknown_decision_is_refused_with_a_message(self):
        response = self.client.post(self.review(), {"decision": "delete"}, follow=True)
        self.assertContains(response, "Choose a decision.")
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)

    def test_members_cannot_reach_the_reports_nor_decide(self):
        self.client.force_login(self.first)
        self.assertNotEqual(self.client.get(reverse(LIST)).status_code, 200)
        self.client.post(self.review(), {"decision": "hide", "hide-message": "x"})
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)

    def test_staff_without_superuser_rights_need_the_report_permission(self):
        plain_staff = UserFactory(staff=True)
        self.client.force_login(plain_staff)
        self.client.post(self.review(), {"decision": "hide", "hide-message": "x"})
        self.project.refresh_from_db()
        self.assertFalse(self.project.hidden)

    def test_a_revision_published_later_does_not_undo_the_hiding(self):
        revision = self.project.save_revision()
        services.report_hide(user=self.staff, report=self.report, message="Non.")
        revision.publish()
        self.project.refresh_from_db()
        self.assertTrue(self.project.hidden)
