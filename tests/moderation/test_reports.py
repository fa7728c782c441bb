"""Members report a project, a journal entry, a call or a profile: only what they can see, never
their own, once at a time, at most DAILY_REPORT_LIMIT a day; anonymous visitors log in first."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from calls.factories import CallForProjectsPageFactory, OrganisationMembershipFactory
from moderation.factories import ProfileReportFactory
from moderation.models import Report, ReportKind, ReportStatus
from moderation.selectors import DAILY_REPORT_LIMIT
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectVisibility
from tests.helpers import EnglishClient, login
from users.factories import UserFactory


def report_url(kind, pk):
    return reverse("moderation:report", args=[kind, pk])


class TestReporting(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(username="owner")
        cls.reader = UserFactory(username="reader")
        cls.project = ProjectPageFactory(title="Lampe Aurore", owner=cls.owner)
        cls.private = ProjectPageFactory(
            title="Projet Colibri", owner=cls.owner, visibility=ProjectVisibility.PRIVATE
        )
        cls.entry = JournalEntryFactory(project=cls.project, title="Essai Aurore")
        cls.call = CallForProjectsPageFactory(title="Appel Bastide")
        OrganisationMembershipFactory(organisation=cls.call.organisation, user=cls.owner)

    def setUp(self):
        self.client = login(EnglishClient(), self.reader)

    def targets(self):
        return {
            ReportKind.PROJECT: self.project,
            ReportKind.JOURNAL_ENTRY: self.entry,
            ReportKind.CALL: self.call,
            ReportKind.PROFILE: self.owner,
        }

    def test_a_member_reports_each_kind_of_content_with_a_reason(self):
        for kind, target in self.targets().items():
            with self.subTest(kind=kind):
                response = self.client.post(
                    report_url(kind, target.pk), {"reason": "spam", "details": "Pub."}
                )
                self.assertEqual(response.status_code, 302)
                report = Report.objects.get(kind=kind, reporter=self.reader)
                self.assertEqual(report.target, target)
                self.assertEqual(report.status, ReportStatus.OPEN)
                self.assertEqual(report.details, "Pub.")

    def test_the_report_link_shows_to_members_other_than_the_author(self):
        pages = {
            ReportKind.PROJECT: f"/projects/{self.project.slug}/",
            ReportKind.JOURNAL_ENTRY: self.entry.get_absolute_url(),
            ReportKind.CALL: self.call.url,
            ReportKind.PROFILE: self.owner.get_absolute_url(),
        }
        author = login(EnglishClient(), self.owner)
        for kind, url in pages.items():
            link = report_url(kind, self.targets()[kind].pk)
            with self.subTest(kind=kind):
                self.assertContains(self.client.get(url), link)
                self.assertNotContains(EnglishClient().get(url), link)
                self.assertNotContains(author.get(url), link)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = EnglishClient().get(report_url("project", self.project.pk))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_what_the_member_cannot_see_answers_404(self):
        self.assertEqual(self.client.get(report_url("project", self.private.pk)).status_code, 404)
        response = self.client.post(report_url("project", self.private.pk), {"reason": "spam"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Report.objects.exists())

    def test_unknown_kinds_and_things_answer_404(self):
        self.assertEqual(self.client.get(report_url("tribe", self.project.pk)).status_code, 404)
        self.assertEqual(self.client.get(report_url("project", 999999)).status_code, 404)

    def test_a_second_report_on_the_same_thing_is_refused_with_a_message(self):
        url = report_url("project", self.project.pk)
        self.client.post(url, {"reason": "spam"})
        response = self.client.get(url)
        self.assertContains(response, "You already reported this on")
        response = self.client.post(url, {"reason": "offensive", "details": "Encore."})
        self.assertContains(response, "You already reported this on", status_code=400)
        self.assertEqual(Report.objects.count(), 1)

    def test_the_author_cannot_report_their_own_content(self):
        client = login(EnglishClient(), self.owner)
        response = client.post(report_url("project", self.project.pk), {"reason": "spam"})
        self.assertContains(response, "your own content", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_a_missing_reason_keeps_what_the_member_typed(self):
        response = self.client.post(
            report_url("call", self.call.pk), {"details": "Texte gardé ici."}
        )
        self.assertContains(response, "Choose the reason for your report.", status_code=400)
        self.assertContains(response, "Texte gardé ici.", status_code=400)

    def test_too_long_details_are_refused_not_truncated(self):
        response = self.client.post(
            report_url("call", self.call.pk), {"reason": "other", "details": "x" * 2001}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_a_member_may_send_only_so_many_reports_a_day(self):
        for _ in range(DAILY_REPORT_LIMIT):
            ProfileReportFactory(reporter=self.reader)
        response = self.client.post(report_url("project", self.project.pk), {"reason": "spam"})
        self.assertContains(response, "the most we take from one member", status_code=400)
        self.assertFalse(Report.objects.filter(project=self.project).exists())

    def test_reports_older_than_a_day_do_not_count(self):
        yesterday = timezone.now() - timedelta(hours=25)
        for _ in range(DAILY_REPORT_LIMIT):
            ProfileReportFactory(reporter=self.reader, created_at=yesterday)
        response = self.client.post(report_url("project", self.project.pk), {"reason": "spam"})
        self.assertEqual(response.status_code, 302)
