"""Invitations by e-mail and by shareable link, through the services and the invitation page
(`/tribes/invitations/<token>/`): forged, expired, revoked and reused tokens are refused with a
clear reason and change nothing."""

import re
import smtplib
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from core.tokens import secret_digest
from tests.helpers import EnglishClient
from tribes import services
from tribes.factories import TribeInvitationFactory, TribeMembershipFactory, TribePageFactory
from tribes.models import (
    JoinPolicy,
    MembershipState,
    TribeInvitation,
    TribeMembership,
)
from users.factories import UserFactory

TOKEN_IN_LINK = re.compile(r"/tribes/invitations/([\w-]+)/")


class InvitationTestCase(TestCase):
    """A private, invitation-only tribe with its admin, a member and an outsider."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(username="nadia", display_name="Nadia")
        cls.member = UserFactory(username="sophie")
        cls.outsider = UserFactory(username="amandine", email="amandine@example.org")
        cls.tribe = TribePageFactory(
            title="Atelier couture", private=True, join_policy=JoinPolicy.INVITATION
        )
        TribeMembershipFactory(tribe=cls.tribe, user=cls.admin, admin=True)
        TribeMembershipFactory(tribe=cls.tribe, user=cls.member)

    def invite(self, email="guest@example.org", **kwargs):
        return services.tribe_member_invite(
            tribe=self.tribe, user=self.admin, email=email, **kwargs
        )

    def link(self, days=14):
        return services.tribe_invitation_link_create(tribe=self.tribe, user=self.admin, days=days)

    def state_of(self, user):
        membership = TribeMembership.objects.filter(tribe=self.tribe, user=user).first()
        return membership.state if membership else None


class TestInviteByEmail(InvitationTestCase):
    def test_sends_a_link_valid_fourteen_days_and_stores_only_the_tokens_hash(self):
        issued = self.invite(" Guest@Example.org ", base_url="https://carnet.example/")
        invitation = TribeInvitation.objects.get()
        self.assertEqual(invitation.email, "guest@example.org")
        self.assertEqual(invitation.token_hash, secret_digest(issued.token))
        self.assertNotIn(issued.token, str(list(TribeInvitation.objects.values())))
        self.assertAlmostEqual(
            invitation.expires_at, timezone.now() + timedelta(days=14), delta=timedelta(minutes=1)
        )
        [message] = mail.outbox
        self.assertEqual(message.to, ["guest@example.org"])
        self.assertIn("Atelier couture", message.subject)
        self.assertIn(f"https://carnet.example/tribes/invitations/{issued.token}/", message.body)
        self.assertIn("Nadia", message.body)
        self.assertNotIn("&#x27;", message.body)

    @override_settings(WAGTAILADMIN_BASE_URL="https://carnet.lamachinerie.org")
    def test_link_uses_the_site_address_without_a_request(self):
        issued = self.invite()
        self.assertEqual(
            issued.url, f"https://carnet.lamachinerie.org/tribes/invitations/{issued.token}/"
        )
        self.assertIn(issued.url, mail.outbox[0].body)

    def test_an_existing_account_gets_an_invited_membership(self):
        self.invite(self.outsider.email)
        membership = TribeMembership.objects.get(tribe=self.tribe, user=self.outsider)
        self.assertEqual(membership.state, MembershipState.INVITED)
        self.assertEqual(membership.invited_by, self.admin)

    def test_inviting_again_replaces_the_earlier_invitation(self):
        first = self.invite()
        second = self.invite()
        self.assertEqual(TribeInvitation.objects.filter(revoked_at=None).get(), second.invitation)
        with self.assertRaisesMessage(ValidationError, "cancelled"):
            services.tribe_invitation_accept(user=self.outsider, token=first.token)

    def test_members_and_askers_are_not_invited(self):
        asker = UserFactory(email="asker@example.org")
        TribeMembershipFactory(tribe=self.tribe, user=asker, requested=True)
        with self.assertRaisesMessage(ValidationError, "already a member"):
            self.invite(self.member.email)
        with self.assertRaisesMessage(ValidationError, "accept the request"):
            self.invite(asker.email)
        self.assertFalse(TribeInvitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_bad_address_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "valid e-mail"):
            self.invite("not-an-address")
        self.assertFalse(TribeInvitation.objects.exists())

    def test_non_admins_cannot_invite(self):
        for user in (self.member, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.tribe_member_invite(tribe=self.tribe, user=user, email="x@example.org")
        self.assertFalse(TribeInvitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_when_the_mail_cannot_be_sent_nothing_is_kept(self):
        with (
            mock.patch("tribes.services.send_mail", side_effect=smtplib.SMTPException("down")),
            self.assertRaisesMessage(ValidationError, "could not be sent"),
        ):
            self.invite(self.outsider.email)
        self.assertFalse(TribeInvitation.objects.exists())
        self.assertIsNone(self.state_of(self.outsider))

    def test_notify_false_sends_nothing(self):
        self.invite(notify=False)
        self.assertEqual(mail.outbox, [])
        self.assertTrue(TribeInvitation.objects.exists())


class TestAcceptEmailInvitation(InvitationTestCase):
    def test_the_invited_person_joins_and_the_invitation_is_used(self):
        issued = self.invite(self.outsider.email)
        membership = services.tribe_invitation_accept(user=self.outsider, token=issued.token)
        self.assertEqual(membership.state, MembershipState.ACTIVE)
        self.assertEqual(membership.invited_by, self.admin)
        issued.invitation.refresh_from_db()
        self.assertEqual(issued.invitation.accepted_by, self.outsider)

    def test_someone_without_the_address_joins_when_no_account_has_it(self):
        issued = self.invite("newcomer@example.org")
        newcomer = UserFactory(email="other@example.org")
        services.tribe_invitation_accept(user=newcomer, token=issued.token)
        self.assertEqual(self.state_of(newcomer), MembershipState.ACTIVE)

    def test_an_invitation_reused_is_refused(self):
        issued = self.invite("newcomer@example.org")
        services.tribe_invitation_accept(user=UserFactory(), token=issued.token)
        other = UserFactory()
        with self.assertRaisesMessage(ValidationError, "already been used") as caught:
            services.tribe_invitation_accept(user=other, token=issued.token)
        self.assertEqual(caught.exception.code, "used")
        self.assertIsNone(self.state_of(other))

    def test_an_invitation_for_another_accounts_address_is_refused(self):
        issued = self.invite(self.outsider.email)
        stranger = UserFactory()
        with self.assertRaisesMessage(ValidationError, "another e-mail address") as caught:
            services.tribe_invitation_accept(user=stranger, token=issued.token)
        self.assertEqual(caught.exception.code, "wrong_account")
        self.assertIsNone(self.state_of(stranger))
        self.assertEqual(self.state_of(self.outsider), MembershipState.INVITED)

    def test_forged_expired_and_revoked_tokens_are_refused(self):
        expired = TribeInvitationFactory(tribe=self.tribe, token="old", expired=True)
        revoked = self.invite("r@example.org")
        services.tribe_invitation_revoke(user=self.admin, invitation=revoked.invitation)
        cases = {
            "forged": ("invalid", "not valid"),
            "": ("invalid", "not valid"),
            "x" * 500: ("invalid", "not valid"),
            "old": ("expired", "expired"),
            revoked.token: ("revoked", "cancelled"),
        }
        for token, (code, message) in cases.items():
            with self.subTest(code=code), self.assertRaisesMessage(ValidationError, message) as e:
                services.tribe_invitation_accept(user=self.outsider, token=token)
            self.assertEqual(e.exception.code, code)
        self.assertIsNone(self.state_of(self.outsider))
        expired.refresh_from_db()
        self.assertIsNone(expired.accepted_at)

    def test_an_active_member_accepting_changes_nothing(self):
        issued = self.link()
        with self.assertRaisesMessage(ValidationError, "already a member") as caught:
            services.tribe_invitation_accept(user=self.member, token=issued.token)
        self.assertEqual(caught.exception.code, "already")
        issued.invitation.refresh_from_db()
        self.assertIsNone(issued.invitation.accepted_at)
        self.assertEqual(self.state_of(self.member), MembershipState.ACTIVE)

    def test_a_pending_request_becomes_membership(self):
        tribe = TribePageFactory(join_policy=JoinPolicy.REQUEST)
        TribeMembershipFactory(tribe=tribe, admin=True, user=self.admin)
        TribeMembershipFactory(tribe=tribe, user=self.outsider, requested=True)
        issued = services.tribe_invitation_link_create(tribe=tribe, user=self.admin)
        services.tribe_invitation_accept(user=self.outsider, token=issued.token)
        self.assertTrue(tribe.memberships.get(user=self.outsider).is_active)


class TestShareableLinks(InvitationTestCase):
    def test_a_link_lets_many_people_join_until_it_expires(self):
        issued = self.link(days=3)
        self.assertEqual(issued.invitation.email, "")
        self.assertAlmostEqual(
            issued.invitation.expires_at,
            timezone.now() + timedelta(days=3),
            delta=timedelta(minutes=1),
        )
        first, second = UserFactory(), UserFactory()
        services.tribe_invitation_accept(user=first, token=issued.token)
        services.tribe_invitation_accept(user=second, token=issued.token)
        self.assertEqual(self.state_of(first), MembershipState.ACTIVE)
        self.assertEqual(self.state_of(second), MembershipState.ACTIVE)
        TribeInvitation.objects.filter(pk=issued.invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        late = UserFactory()
        with self.assertRaisesMessage(ValidationError, "expired"):
            services.tribe_invitation_accept(user=late, token=issued.token)
        self.assertIsNone(self.state_of(late))

    def test_the_token_is_returned_once_and_only_its_hash_is_stored(self):
        issued = self.link()
        self.assertGreaterEqual(len(issued.token), 40)
        stored = TribeInvitation.objects.get()
        self.assertEqual(stored.token_hash, secret_digest(issued.token))
        self.assertNotIn(issued.token, str(list(TribeInvitation.objects.values())))

    def test_a_revoked_link_stops_working(self):
        issued = self.link()
        services.tribe_invitation_revoke(user=self.admin, invitation=issued.invitation)
        with self.assertRaisesMessage(ValidationError, "cancelled"):
            services.tribe_invitation_accept(user=self.outsider, token=issued.token)

    def test_validity_must_be_between_one_and_ninety_days(self):
        for days in (0, -1, 91, "7"):
            with self.subTest(days=days), self.assertRaisesMessage(ValidationError, "1 to 90"):
                self.link(days=days)
        self.assertFalse(TribeInvitation.objects.exists())

    def test_non_admins_cannot_create_links(self):
        with self.assertRaises(PermissionDenied):
            services.tribe_invitation_link_create(tribe=self.tribe, user=self.member)
        self.assertFalse(TribeInvitation.objects.exists())


class TestRevokeAndDecline(InvitationTestCase):
    def test_revoking_an_e_mail_invitation_removes_the_invited_membership(self):
        issued = self.invite(self.outsider.email)
        services.tribe_invitation_revoke(user=self.admin, invitation=issued.invitation)
        self.assertIsNone(self.state_of(self.outsider))

    def test_revoking_twice_or_a_used_invitation_gives_a_message(self):
        issued = self.invite("a@example.org")
        services.tribe_invitation_revoke(user=self.admin, invitation=issued.invitation)
        with self.assertRaisesMessage(ValidationError, "already been revoked"):
            services.tribe_invitation_revoke(user=self.admin, invitation=issued.invitation)
        used = self.invite("b@example.org")
        services.tribe_invitation_accept(user=UserFactory(), token=used.token)
        with self.assertRaisesMessage(ValidationError, "used or has expired"):
            services.tribe_invitation_revoke(user=self.admin, invitation=used.invitation)
        used.invitation.refresh_from_db()
        self.assertIsNone(used.invitation.revoked_at)

    def test_non_admins_cannot_revoke(self):
        issued = self.link()
        with self.assertRaises(PermissionDenied):
            services.tribe_invitation_revoke(user=self.member, invitation=issued.invitation)
        issued.invitation.refresh_from_db()
        self.assertIsNone(issued.invitation.revoked_at)

    def test_declining_removes_the_membership_and_the_link(self):
        issued = self.invite(self.outsider.email)
        services.tribe_invitation_decline(user=self.outsider, tribe=self.tribe)
        self.assertIsNone(self.state_of(self.outsider))
        with self.assertRaisesMessage(ValidationError, "cancelled"):
            services.tribe_invitation_accept(user=self.outsider, token=issued.token)

    def test_declining_without_an_invitation_gives_a_message(self):
        with self.assertRaisesMessage(ValidationError, "no pending invitation"):
            services.tribe_invitation_decline(user=self.member, tribe=self.tribe)
        self.assertEqual(self.state_of(self.member), MembershipState.ACTIVE)


class TestInvitationPage(InvitationTestCase):
    def url(self, token):
        return f"/tribes/invitations/{token}/"

    def test_visitor_sees_the_tribe_and_is_asked_to_log_in_then_come_back(self):
        issued = self.link()
        response = self.client.get(self.url(issued.token))
        self.assertContains(response, "Atelier couture")
        self.assertContains(response, f"/accounts/login/?next=/tribes/invitations/{issued.token}/")
        self.assertContains(response, 'name="referrer" content="no-referrer"')
        self.assertIn("no-store", response["Cache-Control"])
        response = self.client.post(self.url(issued.token))
        self.assertRedirects(
            response,
            f"/accounts/login/?next=/tribes/invitations/{issued.token}/",
            fetch_redirect_response=False,
        )
        self.assertFalse(TribeMembership.objects.filter(tribe=self.tribe, state="invited").exists())

    def test_member_accepts_and_lands_on_the_tribe_page(self):
        issued = self.invite(self.outsider.email)
        token = TOKEN_IN_LINK.search(mail.outbox[0].body)[1]
        self.client.force_login(self.outsider)
        response = self.client.get(self.url(token))
        self.assertContains(response, "Accept the invitation")
        response = self.client.post(self.url(token), follow=True)
        self.assertRedirects(response, self.tribe.url)
        self.assertContains(response, "Welcome to Atelier couture!")
        self.assertEqual(self.state_of(self.outsider), MembershipState.ACTIVE)
        issued.invitation.refresh_from_db()
        self.assertIsNotNone(issued.invitation.accepted_at)

    def test_bad_tokens_get_a_friendly_page_with_the_reason(self):
        TribeInvitationFactory(tribe=self.tribe, token="expired-token", expired=True)
        TribeInvitationFactory(tribe=self.tribe, token="revoked-token", revoked_at=timezone.now())
        TribeInvitationFactory(
            tribe=self.tribe,
            token="used-token",
            accepted_at=timezone.now(),
            accepted_by=self.member,
        )
        cases = [
            ("forged-token", 404, "not valid"),
            ("expired-token", 410, "has expired"),
            ("revoked-token", 410, "cancelled"),
            ("used-token", 410, "already been used"),
        ]
        self.client.force_login(self.outsider)
        for token, status, reason in cases:
            for method in (self.client.get, self.client.post):
                with self.subTest(token=token, method=method.__name__):
                    response = method(self.url(token))
                    self.assertContains(response, reason, status_code=status)
                    self.assertContains(
                        response, "This invitation cannot be used", status_code=status
                    )
                    self.assertNotContains(response, "Atelier couture", status_code=status)
        self.assertIsNone(self.state_of(self.outsider))

    def test_odd_tokens_never_break_the_page(self):
        for token in ("a" * 1000, "é", "..", "<script>"):
            with self.subTest(token=token):
                self.assertEqual(self.client.get(self.url(token)).status_code, 404)
        # A NUL character in an address is refused before any view (core.middleware).
        self.assertEqual(self.client.get(self.url("%00")).status_code, 400)

    def test_already_a_member_is_told_so_and_nothing_changes(self):
        issued = self.link()
        self.client.force_login(self.member)
        response = self.client.get(self.url(issued.token))
        self.assertContains(response, "You are already a member")
        self.assertNotContains(response, "Accept the invitation")
        response = self.client.post(self.url(issued.token), follow=True)
        self.assertRedirects(response, self.tribe.url)
        self.assertContains(response, "already a member")
        issued.invitation.refresh_from_db()
        self.assertIsNone(issued.invitation.accepted_at)

    def test_opening_a_used_invitation_again_once_a_member_leads_to_the_tribe(self):
        issued = self.invite(self.outsider.email)
        self.client.force_login(self.outsider)
        self.client.post(self.url(issued.token))
        response = self.client.get(self.url(issued.token), follow=True)
        self.assertRedirects(response, self.tribe.url)
        self.assertContains(response, "already a member")

    def test_someone_elses_invitation_is_refused_with_403(self):
        issued = self.invite(self.outsider.email)
        self.client.force_login(UserFactory())
        response = self.client.post(self.url(issued.token))
        self.assertContains(response, "another e-mail address", status_code=403)
        self.assertEqual(self.state_of(self.outsider), MembershipState.INVITED)

    def test_invited_account_accepts_from_the_tribe_page_or_declines(self):
        self.invite(self.outsider.email)
        self.client.force_login(self.outsider)
        response = self.client.get(self.tribe.url)
        self.assertContains(response, "You are invited to join this tribe.")
        response = self.client.post(f"/tribes/{self.tribe.slug}/decline/", follow=True)
        self.assertContains(response, "Invitation declined.")
        self.assertIsNone(self.state_of(self.outsider))
        # The private tribe is hidden again.
        self.assertEqual(self.client.get(self.tribe.url).status_code, 404)
