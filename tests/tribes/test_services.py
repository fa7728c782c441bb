"""The tribe services: creating and editing tribes, joining, requests, roles, removing and
leaving. Every refused action leaves the database as it was."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from images.models import CarnetImage
from tests.helpers import image_upload
from tribes import services
from tribes.factories import TribeInvitationFactory, TribeMembershipFactory, TribePageFactory
from tribes.models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeIndexPage,
    TribeMembership,
    TribePage,
    TribeVisibility,
)
from users.factories import UserFactory


def states(tribe) -> dict:
    """Who is in the tribe, as {username: (role, state)}: compared before and after."""
    return {
        m.user.username: (m.role, m.state)
        for m in TribeMembership.objects.filter(tribe=tribe).select_related("user")
    }


class TribeTestCase(TestCase):
    """A tribe on request with an admin, a member, a pending request and an outsider."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(username="admin-ines")
        cls.member = UserFactory(username="member-paul")
        cls.asker = UserFactory(username="asker-lea")
        cls.outsider = UserFactory(username="outsider-marc")
        cls.staff = UserFactory(username="staff-anne", staff=True)
        cls.tribe = TribePageFactory(title="Les Soudeurs", join_policy=JoinPolicy.REQUEST)
        cls.admin_membership = TribeMembershipFactory(tribe=cls.tribe, user=cls.admin, admin=True)
        cls.member_membership = TribeMembershipFactory(tribe=cls.tribe, user=cls.member)
        cls.request = TribeMembershipFactory(tribe=cls.tribe, user=cls.asker, requested=True)

    def assert_unchanged(self, before: dict):
        self.assertEqual(states(self.tribe), before)


class TestTribeCreate(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.creator = UserFactory()

    def test_creator_becomes_the_active_admin_of_a_published_tribe(self):
        tribe = services.tribe_create(
            creator=self.creator,
            title=" La Machinerie ",
            description="Un **fab lab**.",
            place="Amiens",
            website="https://lamachinerie.org",
            visibility=TribeVisibility.PUBLIC,
            join_policy=JoinPolicy.OPEN,
        )
        self.assertTrue(tribe.live)
        self.assertEqual(tribe.title, "La Machinerie")
        self.assertEqual(tribe.url, "/tribes/la-machinerie/")
        self.assertEqual(tribe.get_parent().specific, TribeIndexPage.objects.get())
        membership = TribeMembership.objects.get(tribe=tribe)
        self.assertEqual(membership.user, self.creator)
        self.assertTrue(membership.is_admin)

    def test_a_published_revision_by_the_creator_is_saved(self):
        tribe = services.tribe_create(creator=self.creator, title="Couture")
        revision = tribe.revisions.get()
        self.assertEqual(revision.user, self.creator)
        self.assertEqual(tribe.live_revision, revision)

    def test_slug_is_unique_and_never_a_reserved_path(self):
        first = services.tribe_create(creator=self.creator, title="Robotique")
        second = services.tribe_create(creator=self.creator, title="Robotique")
        self.assertEqual((first.slug, second.slug), ("robotique", "robotique-2"))
        self.assertEqual(services.tribe_create(creator=self.creator, title="New").slug, "new-2")
        self.assertEqual(
            services.tribe_create(creator=self.creator, title="Invitations").slug,
            "invitations-2",
        )

    def test_logo_upload_becomes_the_tribes_logo(self):
        tribe = services.tribe_create(
            creator=self.creator, title="Brodeurs", logo=image_upload("logo.png")
        )
        self.assertEqual(tribe.logo.uploaded_by_user, self.creator)

    def test_empty_name_or_unknown_policy_is_refused_and_nothing_is_created(self):
        images = CarnetImage.objects.count()
        with self.assertRaises(ValidationError) as caught:
            services.tribe_create(creator=self.creator, title="  ", logo=image_upload())
        self.assertIn("title", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.tribe_create(creator=self.creator, title="X", join_policy="anyone")
        self.assertFalse(TribePage.objects.exists())
        self.assertFalse(TribeMembership.objects.exists())
        self.assertEqual(CarnetImage.objects.count(), images)

    def test_anonymous_cannot_create_a_tribe(self):
        from django.contrib.auth.models import AnonymousUser

        with self.assertRaises(PermissionDenied):
            services.tribe_create(creator=AnonymousUser(), title="Fantômes")


class TestTribeUpdate(TribeTestCase):
    def test_admin_changes_the_tribe_and_publishes_a_revision(self):
        tribe = services.tribe_update(
            tribe=self.tribe,
            user=self.admin,
            title="Les Soudeurs d'Amiens",
            description="Étain et flux.",
            visibility=TribeVisibility.PRIVATE,
            join_policy=JoinPolicy.INVITATION,
        )
        tribe = TribePage.objects.get(pk=self.tribe.pk)
        self.assertEqual(tribe.title, "Les Soudeurs d'Amiens")
        self.assertEqual(tribe.visibility, TribeVisibility.PRIVATE)
        self.assertEqual(tribe.join_policy, JoinPolicy.INVITATION)
        self.assertEqual(tribe.slug, "les-soudeurs")
        self.assertEqual(tribe.live_revision.user, self.admin)

    def test_logo_can_be_set_and_removed(self):
        tribe = services.tribe_update(tribe=self.tribe, user=self.admin, logo=image_upload())
        self.assertIsNotNone(tribe.logo)
        tribe = services.tribe_update(tribe=tribe, user=self.admin, logo=None)
        self.assertIsNone(tribe.logo)

    def test_staff_may_edit_any_tribe(self):
        services.tribe_update(tribe=self.tribe, user=self.staff, place="Abbeville")
        self.assertEqual(TribePage.objects.get(pk=self.tribe.pk).place, "Abbeville")

    def test_plain_member_and_outsider_cannot_edit(self):
        for user in (self.member, self.outsider, self.asker):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.tribe_update(tribe=self.tribe, user=user, title="Pris")
        self.assertEqual(TribePage.objects.get(pk=self.tribe.pk).title, "Les Soudeurs")

    def test_invalid_website_is_refused(self):
        with self.assertRaises(ValidationError):
            services.tribe_update(tribe=self.tribe, user=self.admin, website="not a url")
        self.assertEqual(TribePage.objects.get(pk=self.tribe.pk).website, "")

    def test_slug_and_unknown_fields_cannot_be_changed(self):
        with self.assertRaises(TypeError):
            services.tribe_update(tribe=self.tribe, user=self.admin, slug="new")


class TestTribeJoin(TribeTestCase):
    def test_joining_an_open_tribe_makes_an_active_member(self):
        tribe = TribePageFactory(join_policy=JoinPolicy.OPEN)
        membership = services.tribe_join(user=self.outsider, tribe=tribe)
        self.assertEqual(
            (membership.state, membership.role), (MembershipState.ACTIVE, MembershipRole.MEMBER)
        )

    def test_joining_a_tribe_on_request_sends_a_request(self):
        membership = services.tribe_join(user=self.outsider, tribe=self.tribe)
        self.assertEqual(membership.state, MembershipState.REQUESTED)

    def test_invitation_only_tribe_refuses_with_a_message(self):
        tribe = TribePageFactory(join_policy=JoinPolicy.INVITATION)
        with self.assertRaisesMessage(ValidationError, "by invitation only"):
            services.tribe_join(user=self.outsider, tribe=tribe)
        self.assertFalse(tribe.memberships.exists())

    def test_joining_twice_is_refused_and_changes_nothing(self):
        before = states(self.tribe)
        for user in (self.member, self.admin, self.asker):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(ValidationError, "already") as caught:
                    services.tribe_join(user=user, tribe=self.tribe)
                self.assertEqual(caught.exception.code, "already")
        self.assert_unchanged(before)

    def test_an_outsider_cannot_join_a_private_tribe(self):
        tribe = TribePageFactory(private=True, join_policy=JoinPolicy.OPEN)
        with self.assertRaisesMessage(ValidationError, "private"):
            services.tribe_join(user=self.outsider, tribe=tribe)
        self.assertFalse(tribe.memberships.exists())

    def test_an_invited_member_who_joins_accepts_the_invitation(self):
        tribe = TribePageFactory(private=True, join_policy=JoinPolicy.INVITATION)
        TribeMembershipFactory(tribe=tribe, user=self.outsider, invited=True)
        invitation = TribeInvitationFactory(tribe=tribe, email=self.outsider.email.upper())
        membership = services.tribe_join(user=self.outsider, tribe=tribe)
        self.assertEqual(membership.state, MembershipState.ACTIVE)
        invitation.refresh_from_db()
        self.assertEqual(invitation.accepted_by, self.outsider)


class TestRequests(TribeTestCase):
    def test_admin_accepts_a_request(self):
        services.tribe_request_accept(user=self.admin, membership=self.request)
        self.assertEqual(states(self.tribe)[self.asker.username][1], MembershipState.ACTIVE)

    def test_admin_refuses_a_request(self):
        services.tribe_request_refuse(user=self.admin, membership=self.request)
        self.assertNotIn(self.asker.username, states(self.tribe))

    def test_non_admins_cannot_answer_requests(self):
        before = states(self.tribe)
        for user in (self.member, self.outsider, self.asker):
            for action in (services.tribe_request_accept, services.tribe_request_refuse):
                with (
                    self.subTest(user=user.username, action=action.__name__),
                    self.assertRaises(PermissionDenied),
                ):
                    action(user=user, membership=self.request)
        self.assert_unchanged(before)

    def test_a_request_answered_twice_gives_a_message(self):
        services.tribe_request_accept(user=self.admin, membership=self.request)
        with self.assertRaisesMessage(ValidationError, "already been answered"):
            services.tribe_request_refuse(user=self.admin, membership=self.request)
        with self.assertRaisesMessage(ValidationError, "already been answered"):
            services.tribe_request_accept(user=self.admin, membership=self.member_membership)
        self.assertEqual(states(self.tribe)[self.asker.username][1], MembershipState.ACTIVE)

    def test_a_withdrawn_request_cannot_be_accepted(self):
        services.tribe_leave(user=self.asker, tribe=self.tribe)
        with self.assertRaisesMessage(ValidationError, "no longer in the tribe"):
            services.tribe_request_accept(user=self.admin, membership=self.request)
        self.assertNotIn(self.asker.username, states(self.tribe))


class TestRoles(TribeTestCase):
    def test_admin_promotes_and_demotes(self):
        services.tribe_member_role_set(
            user=self.admin, membership=self.member_membership, role=MembershipRole.ADMIN
        )
        self.assertEqual(states(self.tribe)[self.member.username][0], MembershipRole.ADMIN)
        # Now two admins: the first may step down.
        services.tribe_member_role_set(
            user=self.admin, membership=self.admin_membership, role=MembershipRole.MEMBER
        )
        self.assertEqual(states(self.tribe)[self.admin.username][0], MembershipRole.MEMBER)

    def test_the_last_admin_cannot_be_demoted(self):
        before = states(self.tribe)
        with self.assertRaisesMessage(ValidationError, "at least one admin"):
            services.tribe_member_role_set(
                user=self.admin, membership=self.admin_membership, role=MembershipRole.MEMBER
            )
        self.assert_unchanged(before)

    def test_non_admins_cannot_change_roles(self):
        before = states(self.tribe)
        with self.assertRaises(PermissionDenied):
            services.tribe_member_role_set(
                user=self.member, membership=self.member_membership, role=MembershipRole.ADMIN
            )
        self.assert_unchanged(before)

    def test_unknown_role_and_pending_members_are_refused(self):
        before = states(self.tribe)
        with self.assertRaisesMessage(ValidationError, "Choose a role"):
            services.tribe_member_role_set(
                user=self.admin, membership=self.member_membership, role="owner"
            )
        with self.assertRaisesMessage(ValidationError, "Only active members"):
            services.tribe_member_role_set(
                user=self.admin, membership=self.request, role=MembershipRole.ADMIN
            )
        self.assert_unchanged(before)

    def test_staff_may_manage_any_tribe(self):
        services.tribe_member_role_set(
            user=self.staff, membership=self.member_membership, role=MembershipRole.ADMIN
        )
        self.assertEqual(states(self.tribe)[self.member.username][0], MembershipRole.ADMIN)


class TestRemove(TribeTestCase):
    def test_admin_removes_a_member(self):
        services.tribe_member_remove(user=self.admin, membership=self.member_membership)
        self.assertNotIn(self.member.username, states(self.tribe))

    def test_the_last_admin_cannot_be_removed(self):
        before = states(self.tribe)
        with self.assertRaisesMessage(ValidationError, "at least one admin"):
            services.tribe_member_remove(user=self.admin, membership=self.admin_membership)
        with self.assertRaisesMessage(ValidationError, "at least one admin"):
            services.tribe_member_remove(user=self.staff, membership=self.admin_membership)
        self.assert_unchanged(before)

    def test_an_admin_among_several_can_be_removed(self):
        other = TribeMembershipFactory(tribe=self.tribe, admin=True)
        services.tribe_member_remove(user=self.admin, membership=other)
        self.assertNotIn(other.user.username, states(self.tribe))

    def test_non_admins_cannot_remove_anyone(self):
        before = states(self.tribe)
        for user in (self.member, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.tribe_member_remove(user=user, membership=self.admin_membership)
        self.assert_unchanged(before)

    def test_removing_an_invited_account_revokes_its_invitation(self):
        invited = TribeMembershipFactory(tribe=self.tribe, user=self.outsider, invited=True)
        invitation = TribeInvitationFactory(tribe=self.tribe, email=self.outsider.email)
        services.tribe_member_remove(user=self.admin, membership=invited)
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.revoked_at)


class TestLeave(TribeTestCase):
    def test_a_member_leaves(self):
        services.tribe_leave(user=self.member, tribe=self.tribe)
        self.assertNotIn(self.member.username, states(self.tribe))

    def test_leaving_withdraws_a_request(self):
        services.tribe_leave(user=self.asker, tribe=self.tribe)
        self.assertNotIn(self.asker.username, states(self.tribe))

    def test_the_last_admin_cannot_leave_without_a_successor(self):
        before = states(self.tribe)
        with self.assertRaisesMessage(ValidationError, "last admin") as caught:
            services.tribe_leave(user=self.admin, tribe=self.tribe)
        self.assertEqual(caught.exception.code, "successor_needed")
        self.assert_unchanged(before)

    def test_the_last_admin_leaves_by_naming_a_successor(self):
        services.tribe_leave(user=self.admin, tribe=self.tribe, successor=self.member)
        self.assertEqual(
            states(self.tribe),
            {
                self.member.username: (MembershipRole.ADMIN, MembershipState.ACTIVE),
                self.asker.username: (MembershipRole.MEMBER, MembershipState.REQUESTED),
            },
        )

    def test_the_successor_must_be_an_active_member(self):
        before = states(self.tribe)
        for successor in (self.asker, self.outsider, self.admin):
            with (
                self.subTest(successor=successor.username),
                self.assertRaisesMessage(ValidationError, "not an active member"),
            ):
                services.tribe_leave(user=self.admin, tribe=self.tribe, successor=successor)
        self.assert_unchanged(before)

    def test_the_only_member_cannot_leave(self):
        tribe = TribePageFactory()
        TribeMembershipFactory(tribe=tribe, user=self.outsider, admin=True)
        with self.assertRaisesMessage(ValidationError, "only member"):
            services.tribe_leave(user=self.outsider, tribe=tribe)
        self.assertTrue(tribe.memberships.filter(user=self.outsider).exists())

    def test_an_admin_among_several_leaves_freely(self):
        TribeMembershipFactory(tribe=self.tribe, admin=True)
        services.tribe_leave(user=self.admin, tribe=self.tribe)
        self.assertNotIn(self.admin.username, states(self.tribe))

    def test_leaving_a_tribe_one_is_not_in_gives_a_message(self):
        with self.assertRaisesMessage(ValidationError, "not a member"):
            services.tribe_leave(user=self.outsider, tribe=self.tribe)
