"""The "Calls" menu of the Wagtail admin: staff approve or refuse organisations there (the
requester is told); applications are listed and inspected, never added or edited there."""

from django.test import TestCase, override_settings
from django.urls import reverse

from calls import services
from calls.factories import ApplicationFactory
from calls.models import Application, Organisation
from notifications.models import Notification
from users.factories import UserFactory


# The admin speaks the site's language (French) unless told otherwise; the assertions quote English.
@override_settings(LANGUAGE_CODE="en")
class TestCallsAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.requester = UserFactory()
        cls.organisation = services.organisation_request(
            user=cls.requester, name="Bois & Co", description="Menuiserie."
        )
        cls.application = ApplicationFactory(pitch="Un pitch")

    def setUp(self):
        self.client.force_login(self.staff)

    def url(self, model, action, *args):
        return reverse(f"wagtailsnippets_calls_{model._meta.model_name}:{action}", args=args)

    def test_pending_organisations_are_listed_with_approve_and_refuse_buttons(self):
        response = self.client.get(self.url(Organisation, "list"))
        self.assertContains(response, "Bois &amp; Co")
        self.assertContains(response, self.url(Organisation, "approve", self.organisation.pk))
        self.assertContains(response, self.url(Organisation, "refuse", self.organisation.pk))

    def test_staff_approve_in_the_admin_and_the_requester_is_notified(self):
        response = self.client.get(self.url(Organisation, "approve", self.organisation.pk))
        self.assertContains(response, "Yes, approve")
        response = self.client.post(self.url(Organisation, "approve", self.organisation.pk))
        self.assertRedirects(response, self.url(Organisation, "list"))
        self.organisation.refresh_from_db()
        self.assertEqual(self.organisation.status, "approved")
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.requester, title="Bois & Co is approved"
            ).exists()
        )

    def test_staff_refuse_with_a_message(self):
        self.client.post(
            self.url(Organisation, "refuse", self.organisation.pk), {"message": "Inconnue."}
        )
        self.organisation.refresh_from_db()
        self.assertEqual(self.organisation.status, "refused")
        self.assertEqual(
            Notification.objects.get(recipient=self.requester, title__contains="not").body,
            "Inconnue.",
        )

    def test_a_non_staff_member_cannot_reach_the_decision(self):
        self.client.force_login(self.requester)
        self.client.post(self.url(Organisation, "approve", self.organisation.pk))
        self.organisation.refresh_from_db()
        self.assertEqual(self.organisation.status, "pending")

    def test_organisations_are_edited_with_their_members(self):
        response = self.client.get(self.url(Organisation, "edit", self.organisation.pk))
        self.assertContains(response, "memberships-FORMS")

    def test_applications_are_listed_and_inspected_not_added_or_edited(self):
        response = self.client.get(self.url(Application, "list"))
        self.assertEqual(response.status_code, 200)
        response = self.client.get(self.url(Application, "inspect", self.application.pk))
        self.assertContains(response, "Un pitch")
        response = self.client.get(self.url(Application, "add"))
        self.assertIn(response.status_code, (302, 403))
        response = self.client.get(self.url(Application, "edit", self.application.pk))
        self.assertIn(response.status_code, (302, 403))

    def test_calls_are_edited_in_the_page_tree(self):
        from calls.models import CallIndexPage

        index = CallIndexPage.objects.get()
        response = self.client.get(
            reverse("wagtailadmin_pages:add", args=["calls", "callforprojectspage", index.pk])
        )
        self.assertContains(response, "Reward")
