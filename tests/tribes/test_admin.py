"""Staff list memberships and invitations in the Wagtail admin; they cannot create them there
(memberships and tokens come from the front end's services)."""

from django.test import TestCase
from django.urls import reverse

from tribes.factories import TribeInvitationFactory, TribeMembershipFactory
from tribes.models import TribeInvitation, TribeMembership
from users.factories import UserFactory


class TestTribeAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.membership = TribeMembershipFactory(tribe__title="La Machinerie")
        cls.invitation = TribeInvitationFactory(email="guest@example.org")

    def setUp(self):
        self.client.force_login(self.staff)

    def admin_url(self, model, action, *args):
        return reverse(f"wagtailsnippets_tribes_{model._meta.model_name}:{action}", args=args)

    def test_staff_list_and_inspect_memberships_and_invitations(self):
        response = self.client.get(self.admin_url(TribeMembership, "list"))
        self.assertContains(response, "La Machinerie")
        response = self.client.get(self.admin_url(TribeInvitation, "list"))
        self.assertContains(response, "guest@example.org")
        response = self.client.get(self.admin_url(TribeMembership, "inspect", self.membership.pk))
        self.assertEqual(response.status_code, 200)
        response = self.client.get(self.admin_url(TribeInvitation, "inspect", self.invitation.pk))
        self.assertContains(response, "guest@example.org")
        self.assertNotContains(response, self.invitation.token_hash)

    def test_nothing_is_added_in_the_admin_and_invitations_are_not_edited(self):
        for model in (TribeMembership, TribeInvitation):
            with self.subTest(model=model.__name__):
                response = self.client.get(self.admin_url(model, "add"))
                self.assertIn(response.status_code, (302, 403))
        response = self.client.get(self.admin_url(TribeInvitation, "edit", self.invitation.pk))
        self.assertIn(response.status_code, (302, 403))
        response = self.client.get(self.admin_url(TribeMembership, "edit", self.membership.pk))
        self.assertEqual(response.status_code, 200)
