"""Calls close by themselves at their deadline: at once everywhere (computed), and
`close_expired_calls` records it and tells the organisation, once."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from calls import services
from calls.factories import ApplicationFactory, CallForProjectsPageFactory
from calls.models import CallForProjectsPage, CallStatus
from notifications.models import Notification
from tests.calls.helpers import World, in_days


class TestAutoClose(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = World()
        cls.expired = CallForProjectsPageFactory(
            title="Expiré", organisation=cls.w.organisation, expired=True
        )
        cls.running = CallForProjectsPageFactory(organisation=cls.w.organisation)
        ApplicationFactory(call=cls.expired, applicant_user=cls.w.member)

    def test_a_call_past_its_deadline_counts_as_closed_before_the_command_runs(self):
        self.assertEqual(self.expired.status, CallStatus.OPEN)
        self.assertEqual(self.expired.effective_status, CallStatus.CLOSED)
        self.assertFalse(self.expired.is_open)
        self.assertEqual(self.running.effective_status, CallStatus.OPEN)

    def test_the_command_records_the_closing_and_tells_the_organisation_once(self):
        out = StringIO()
        call_command("close_expired_calls", stdout=out)
        self.assertIn("1 appel(s) fermé(s)", out.getvalue())
        expired = CallForProjectsPage.objects.get(pk=self.expired.pk)
        self.assertEqual(expired.status, CallStatus.CLOSED)
        self.assertIsNotNone(expired.closed_at)
        self.assertEqual(
            CallForProjectsPage.objects.get(pk=self.running.pk).status, CallStatus.OPEN
        )
        notifications = Notification.objects.filter(title="Your call “Expiré” is closed")
        self.assertEqual({n.recipient for n in notifications}, {self.w.owner, self.w.colleague})
        self.assertIn("Applications received: 1", notifications[0].body)
        call_command("close_expired_calls", stdout=StringIO())
        self.assertEqual(
            Notification.objects.filter(title="Your call “Expiré” is closed").count(), 2
        )

    def test_the_service_takes_a_clock(self):
        self.assertEqual(services.calls_close_expired(now=in_days(-2)), [])
        closed = services.calls_close_expired(now=in_days(60))
        self.assertEqual({c.pk for c in closed}, {self.expired.pk, self.running.pk})
