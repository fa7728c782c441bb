"""Reads about tribes: who is listed where, and what a project form or a profile may offer."""

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from tribes import selectors
from tribes.factories import TribeInvitationFactory, TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory


class TestTribeSelectors(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.viewer = UserFactory()
        cls.public = TribePageFactory(title="B public")
        cls.private = TribePageFactory(title="A private", private=True)
        cls.asked = TribePageFactory(title="C asked")
        cls.draft = TribePageFactory(title="D draft", live=False)
        TribeMembershipFactory(tribe=cls.public, user=cls.member, admin=True)
        TribeMembershipFactory(tribe=cls.private, user=cls.member)
        TribeMembershipFactory(tribe=cls.asked, user=cls.member, requested=True)
        TribeMembershipFactory(tribe=cls.draft, user=cls.member)

    def test_project_form_offers_the_published_tribes_a_member_is_active_in(self):
        self.assertEqual(
            list(selectors.tribe_choices_for_member(self.member)), [self.private, self.public]
        )
        self.assertEqual(list(selectors.tribe_choices_for_member(AnonymousUser())), [])
        self.assertEqual(list(selectors.tribe_choices_for_member(self.viewer)), [])

    def test_a_profile_shows_only_the_tribes_the_viewer_may_see(self):
        self.assertEqual(
            list(selectors.tribe_list_for_member(user=self.viewer, member=self.member)),
            [self.public],
        )
        self.assertEqual(
            [
                m.tribe
                for m in selectors.tribe_memberships_for_member(
                    user=self.member, member=self.member
                )
            ],
            [self.private, self.public],
        )

    def test_index_lists_visible_published_tribes_with_counts_and_viewer_state(self):
        tribes = list(selectors.tribe_list_visible_to(self.member))
        self.assertEqual(tribes, [self.private, self.public, self.asked])
        self.assertEqual(
            [(t.member_count, t.viewer_state) for t in tribes],
            [(1, "active"), (1, "active"), (0, "requested")],
        )
        self.assertEqual(
            list(selectors.tribe_list_visible_to(AnonymousUser())), [self.public, self.asked]
        )

    def test_members_come_admins_first(self):
        TribeMembershipFactory(tribe=self.public, user=UserFactory(display_name="Aaron"))
        members = selectors.tribe_members(self.public)
        self.assertEqual(members[0].user, self.member)
        self.assertEqual(len(members), 2)

    def test_pending_lists_requests_and_usable_invitations(self):
        TribeMembershipFactory(tribe=self.public, requested=True)
        TribeMembershipFactory(tribe=self.public, invited=True)
        usable = TribeInvitationFactory(tribe=self.public)
        link = TribeInvitationFactory(tribe=self.public, link=True)
        TribeInvitationFactory(tribe=self.public, expired=True)
        pending = selectors.tribe_pending(self.public)
        self.assertEqual((len(pending.requests), len(pending.invited)), (1, 1))
        self.assertEqual(pending.email_invitations, [usable])
        self.assertEqual(pending.links, [link])
