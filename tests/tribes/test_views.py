"""Tribe pages and the member-facing tribe views: what each visitor sees, what each button
does, and that a forged or refused action answers 403, 404 or a message, never a 500, and
changes nothing."""

from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectPage, ProjectVisibility
from tests.helpers import EnglishClient, form_errors, image_upload
from tribes.factories import TribeInvitationFactory, TribeMembershipFactory, TribePageFactory
from tribes.models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeIndexPage,
    TribeInvitation,
    TribeMembership,
    TribePage,
    TribeVisibility,
)
from users.factories import UserFactory


def membership_states(tribe) -> dict:
    return {
        m.user.username: (m.role, m.state)
        for m in TribeMembership.objects.filter(tribe=tribe).select_related("user")
    }


class TestTribePageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get(slug="home")
        cls.index = TribeIndexPage.objects.get()
        cls.tribe = TribePageFactory(title="La Machinerie")

    def test_data_migration_creates_the_tribe_index_at_tribes(self):
        self.assertEqual(self.index.get_parent().specific, self.home)
        self.assertEqual(self.index.url, "/tribes/")

    def test_tribe_index_goes_under_the_home_page_only_once(self):
        self.assertAllowedParentPageTypes(TribeIndexPage, {HomePage})
        self.assertFalse(TribeIndexPage.can_create_at(self.home))

    def test_tribes_go_under_the_tribe_index_only_and_have_no_children(self):
        self.assertCanCreateAt(TribeIndexPage, TribePage)
        self.assertCanNotCreateAt(HomePage, TribePage)
        self.assertCanNotCreateAt(Page, TribePage)
        self.assertAllowedParentPageTypes(TribePage, {TribeIndexPage})
        self.assertAllowedSubpageTypes(TribeIndexPage, {TribePage})
        self.assertAllowedSubpageTypes(TribePage, {})

    def test_index_and_tribe_are_routable_and_renderable(self):
        self.assertPageIsRoutable(self.tribe)
        self.assertPageIsRenderable(self.tribe)
        self.assertPageIsRenderable(self.index)


class VisibilityTestCase(TestCase):
    """A public tribe and a private tribe, each with projects of every visibility."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(username="karim", display_name="Karim")
        cls.member = UserFactory(username="camille", display_name="Camille")
        cls.outsider = UserFactory(username="hugo")
        cls.staff = UserFactory(username="staff", staff=True)
        cls.public = TribePageFactory(title="La Machinerie", description="Un *fab lab*.")
        cls.private = TribePageFactory(title="Atelier couture", private=True)
        for tribe in (cls.public, cls.private):
            TribeMembershipFactory(tribe=tribe, user=cls.admin, admin=True)
            TribeMembershipFactory(tribe=tribe, user=cls.member)
        cls.public_project = ProjectPageFactory(title="Lampe publique", owner=cls.admin)
        cls.tribe_project = ProjectPageFactory(title="Patron réservé", owner=cls.admin)
        cls.private_project = ProjectPageFactory(title="Carnet secret", owner=cls.admin)
        for project in (cls.public_project, cls.tribe_project, cls.private_project):
            project.tribes.set([cls.public, cls.private])
            project.save()
        # A tribe-only project must name its tribes first (ProjectPage.clean).
        ProjectPage.objects.filter(pk=cls.tribe_project.pk).update(
            visibility=ProjectVisibility.TRIBE
        )
        ProjectPage.objects.filter(pk=cls.private_project.pk).update(
            visibility=ProjectVisibility.PRIVATE
        )
        JournalEntryFactory(project=cls.public_project, title="Découpe réussie")
        JournalEntryFactory(project=cls.tribe_project, title="Ourlet raté")
        JournalEntryFactory(project=cls.private_project, title="Note intime")


class TestTribeIndex(VisibilityTestCase):
    def test_visitors_see_public_tribes_only(self):
        response = self.client.get("/tribes/")
        self.assertContains(response, "La Machinerie")
        self.assertNotContains(response, "Atelier couture")
        self.assertContains(response, "2 members")

    def test_outsiders_do_not_see_private_tribes(self):
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get("/tribes/"), "Atelier couture")

    def test_members_invited_and_staff_see_the_private_tribe(self):
        invited = UserFactory()
        TribeMembershipFactory(tribe=self.private, user=invited, invited=True)
        for user in (self.member, invited, self.staff):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/tribes/")
                self.assertContains(response, "Atelier couture")
                self.assertContains(response, "Private")
        self.client.force_login(invited)
        self.assertContains(self.client.get("/tribes/"), "You are invited")

    def test_unpublished_tribes_are_not_listed(self):
        TribePageFactory(title="Brouillon de tribu", live=False)
        self.client.force_login(self.staff)
        self.assertNotContains(self.client.get("/tribes/"), "Brouillon de tribu")

    def test_new_tribe_button_for_members(self):
        self.assertNotContains(self.client.get("/tribes/"), "/tribes/new/")
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get("/tribes/"), "/tribes/new/")


class TestTribePage(VisibilityTestCase):
    def test_private_tribe_page_is_404_for_visitors_and_outsiders(self):
        self.assertEqual(self.client.get(self.private.url).status_code, 404)
        self.client.force_login(self.outsider)
        response = self.client.get(self.private.url)
        self.assertContains(response, "We could not find this page", status_code=404)
        self.assertNotContains(response, "Atelier couture", status_code=404)

    def test_private_tribe_page_is_visible_to_members_and_staff(self):
        for user in (self.member, self.staff):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertContains(self.client.get(self.private.url), "Atelier couture")

    def test_public_tribe_page_shows_description_members_and_public_work_to_visitors(self):
        response = self.client.get(self.public.url)
        self.assertContains(response, "<em>fab lab</em>", html=True)
        self.assertContains(response, "Karim")
        self.assertContains(response, "Camille")
        self.assertContains(response, "Admin")
        self.assertContains(response, "Lampe publique")
        self.assertContains(response, "Découpe réussie")
        for hidden in ("Patron réservé", "Ourlet raté", "Carnet secret", "Note intime"):
            self.assertNotContains(response, hidden)
        self.assertNotContains(response, "Manage members")
        self.assertContains(response, "Log in to ask to join")

    def test_members_see_the_tribes_tribe_only_projects_and_their_journal(self):
        self.client.force_login(self.member)
        response = self.client.get(self.public.url)
        self.assertContains(response, "Patron réservé")
        self.assertContains(response, "Ourlet raté")
        self.assertNotContains(response, "Carnet secret")
        self.assertContains(response, "You are a member")
        self.assertContains(response, "Leave the tribe")
        self.assertNotContains(response, "Manage members")

    def test_outsiders_do_not_see_tribe_only_projects_and_may_ask_to_join(self):
        self.client.force_login(self.outsider)
        response = self.client.get(self.public.url)
        self.assertNotContains(response, "Patron réservé")
        self.assertContains(response, "Ask to join")

    def test_admins_see_manage_and_edit_with_the_number_of_requests(self):
        TribeMembershipFactory(tribe=self.public, user=self.outsider, requested=True)
        self.client.force_login(self.admin)
        response = self.client.get(self.public.url)
        self.assertContains(response, f"/tribes/{self.public.slug}/members/")
        self.assertContains(response, f"/tribes/{self.public.slug}/edit/")
        self.assertContains(response, "1 request")

    def test_join_button_follows_the_policy_and_the_state(self):
        open_tribe = TribePageFactory(join_policy=JoinPolicy.OPEN)
        closed = TribePageFactory(join_policy=JoinPolicy.INVITATION)
        TribeMembershipFactory(tribe=self.public, user=self.outsider, requested=True)
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(open_tribe.url), "Join the tribe")
        self.assertContains(self.client.get(closed.url), "by invitation only")
        response = self.client.get(self.public.url)
        self.assertContains(response, "Withdraw my request")
        self.assertNotContains(response, "Ask to join")

    def test_query_count_does_not_grow_with_members_and_projects(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.public.url).status_code, 200)
            return len(queries)

        self.client.force_login(self.member)
        count()  # warm caches (site root, content types)
        before = count()
        for number in range(5):
            TribeMembershipFactory(tribe=self.public)
            project = ProjectPageFactory(title=f"Projet {number}")
            project.tribes.set([self.public])
            project.save()
            JournalEntryFactory(project=project)
        self.assertEqual(count(), before)


class TestCreateAndEdit(VisibilityTestCase):
    def test_anonymous_is_sent_to_the_login_page(self):
        response = self.client.get("/tribes/new/")
        self.assertRedirects(response, "/accounts/login/?next=/tribes/new/")

    def test_a_member_creates_a_tribe_and_becomes_its_admin(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/tribes/new/").status_code, 200)
        response = self.client.post(
            "/tribes/new/",
            {
                "title": "Vélo-bricolage",
                "description": "On répare des vélos.",
                "photos": image_upload("logo.png"),
                "place": "Amiens",
                "website": "velo.example.org",
                "visibility": TribeVisibility.PUBLIC,
                "join_policy": JoinPolicy.OPEN,
            },
        )
        tribe = TribePage.objects.get(title="Vélo-bricolage")
        self.assertRedirects(response, "/tribes/velo-bricolage/")
        self.assertEqual(tribe.website, "https://velo.example.org")
        self.assertIsNotNone(tribe.logo)
        self.assertTrue(tribe.memberships.get(user=self.outsider).is_admin)

    def test_errors_keep_what_was_typed_and_the_logo(self):
        self.client.force_login(self.outsider)
        response = self.client.post(
            "/tribes/new/",
            {
                "title": "",
                "description": "Gardé",
                "photos": image_upload("logo.png"),
                "visibility": "everyone",
                "join_policy": JoinPolicy.OPEN,
            },
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("title", form.errors)
        self.assertIn("visibility", form.errors)
        self.assertContains(response, "Gardé")
        self.assertEqual(len(form.kept_photo_previews), 1)
        self.assertFalse(TribePage.objects.filter(description="Gardé").exists())

    def test_admin_edits_the_tribe(self):
        self.client.force_login(self.admin)
        url = f"/tribes/{self.public.slug}/edit/"
        response = self.client.get(url)
        self.assertContains(response, "La Machinerie")
        response = self.client.post(
            url,
            {
                "title": "La Machinerie d'Amiens",
                "description": "Tiers-lieu.",
                "place": "Amiens",
                "website": "",
                "visibility": TribeVisibility.PUBLIC,
                "join_policy": JoinPolicy.OPEN,
            },
        )
        self.assertRedirects(response, self.public.url, fetch_redirect_response=False)
        tribe = TribePage.objects.get(pk=self.public.pk)
        self.assertEqual(
            (tribe.title, tribe.join_policy), ("La Machinerie d'Amiens", JoinPolicy.OPEN)
        )

    def test_non_admins_cannot_edit(self):
        for user in (self.member, self.outsider):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.post(
                    f"/tribes/{self.public.slug}/edit/",
                    {"title": "Pris", "visibility": "public", "join_policy": "open"},
                )
                self.assertContains(response, "Only the tribe", status_code=403)
        self.assertEqual(TribePage.objects.get(pk=self.public.pk).title, "La Machinerie")

    def test_outsiders_get_404_on_a_private_tribes_views(self):
        self.client.force_login(self.outsider)
        for path in ("edit/", "members/", "leave/"):
            with self.subTest(path=path):
                response = self.client.get(f"/tribes/{self.private.slug}/{path}")
                self.assertEqual(response.status_code, 404)
        response = self.client.post(f"/tribes/{self.private.slug}/join/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.outsider.username, membership_states(self.private))

    def test_unknown_tribes_are_404(self):
        self.client.force_login(self.admin)
        for path in ("/tribes/nope/", "/tribes/nope/edit/", "/tribes/nope/members/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)


class TestJoinAndLeave(VisibilityTestCase):
    def post(self, tribe, action, data=None, user=None):
        self.client.force_login(user or self.outsider)
        return self.client.post(f"/tribes/{tribe.slug}/{action}/", data or {}, follow=True)

    def test_asking_to_join_then_asking_again(self):
        response = self.post(self.public, "join")
        self.assertContains(response, "Your request has been sent")
        self.assertEqual(
            membership_states(self.public)[self.outsider.username][1], MembershipState.REQUESTED
        )
        response = self.post(self.public, "join")
        self.assertContains(response, "already asked to join")

    def test_joining_an_open_tribe(self):
        tribe = TribePageFactory(title="Club ouvert", join_policy=JoinPolicy.OPEN)
        response = self.post(tribe, "join")
        self.assertContains(response, "Welcome to Club ouvert!")
        self.assertTrue(tribe.memberships.get(user=self.outsider).is_active)

    def test_joining_twice_and_invitation_only_give_a_message(self):
        response = self.post(self.public, "join", user=self.member)
        self.assertContains(response, "already a member")
        closed = TribePageFactory(join_policy=JoinPolicy.INVITATION)
        response = self.post(closed, "join")
        self.assertContains(response, "by invitation only")
        self.assertFalse(closed.memberships.exists())

    def test_join_is_post_only_and_needs_a_login(self):
        self.assertEqual(self.client.get(f"/tribes/{self.public.slug}/join/").status_code, 405)
        response = self.client.post(f"/tribes/{self.public.slug}/join/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response.url)

    def test_a_member_leaves(self):
        self.client.force_login(self.member)
        self.assertContains(
            self.client.get(f"/tribes/{self.public.slug}/leave/"), "Leave La Machinerie?"
        )
        response = self.post(self.public, "leave", user=self.member)
        self.assertContains(response, "You have left La Machinerie.")
        self.assertNotIn(self.member.username, membership_states(self.public))

    def test_leaving_a_private_tribe_goes_back_to_the_list(self):
        self.client.force_login(self.member)
        response = self.client.post(f"/tribes/{self.private.slug}/leave/")
        self.assertRedirects(response, "/tribes/")

    def test_the_last_admin_must_name_a_successor(self):
        before = membership_states(self.public)
        self.client.force_login(self.admin)
        response = self.client.get(f"/tribes/{self.public.slug}/leave/")
        self.assertContains(response, "last admin")
        self.assertContains(response, "Camille")
        response = self.client.post(f"/tribes/{self.public.slug}/leave/", {})
        self.assertEqual(response.status_code, 200)
        self.assertIn("successor", response.context["form"].errors)
        self.assertEqual(membership_states(self.public), before)
        response = self.client.post(
            f"/tribes/{self.public.slug}/leave/", {"successor": self.outsider.pk}
        )
        self.assertIn("successor", response.context["form"].errors)
        self.assertEqual(membership_states(self.public), before)
        response = self.client.post(
            f"/tribes/{self.public.slug}/leave/", {"successor": self.member.pk}
        )
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertEqual(
            membership_states(self.public),
            {self.member.username: (MembershipRole.ADMIN, MembershipState.ACTIVE)},
        )

    def test_the_only_member_is_told_they_cannot_leave(self):
        tribe = TribePageFactory()
        TribeMembershipFactory(tribe=tribe, user=self.outsider, admin=True)
        self.client.force_login(self.outsider)
        response = self.client.get(f"/tribes/{tribe.slug}/leave/")
        self.assertContains(response, "only member")
        response = self.client.post(f"/tribes/{tribe.slug}/leave/", {})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(tribe.memberships.filter(user=self.outsider).exists())

    def test_leaving_a_tribe_one_is_not_in(self):
        response = self.post(self.public, "leave")
        self.assertContains(response, "not a member")

    def test_declining_without_invitation_gives_a_message(self):
        response = self.post(self.public, "decline", user=self.member)
        self.assertContains(response, "no pending invitation")
        self.assertIn(self.member.username, membership_states(self.public))


class TestManageMembers(VisibilityTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.asker = UserFactory(username="lea", display_name="Léa")
        cls.request = TribeMembershipFactory(tribe=cls.public, user=cls.asker, requested=True)
        cls.member_membership = cls.public.memberships.get(user=cls.member)
        cls.admin_membership = cls.public.memberships.get(user=cls.admin)

    def url(self, path=""):
        return f"/tribes/{self.public.slug}/members/{path}"

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_page_lists_members_requests_and_invitations(self):
        TribeInvitationFactory(tribe=self.public, email="guest@example.org")
        TribeInvitationFactory(tribe=self.public, link=True)
        TribeInvitationFactory(tribe=self.public, email="old@example.org", expired=True)
        response = self.client.get(self.url())
        self.assertContains(response, "Léa")
        self.assertContains(response, "Camille")
        self.assertContains(response, "guest@example.org")
        self.assertNotContains(response, "old@example.org")
        self.assertContains(response, "valid until")
        self.assertContains(response, "the last admin")
        self.assertIn("no-store", response["Cache-Control"])

    def test_non_admins_get_403_and_state_is_unchanged(self):
        before = membership_states(self.public)
        self.client.force_login(self.member)
        self.assertContains(self.client.get(self.url()), "Only the tribe", status_code=403)
        actions = [
            (f"{self.request.pk}/accept/", {}),
            (f"{self.request.pk}/refuse/", {}),
            (f"{self.member_membership.pk}/role/", {"role": "admin"}),
            (f"{self.admin_membership.pk}/remove/", {}),
            ("invite/", {"email": "x@example.org"}),
            ("links/", {"days": 7}),
        ]
        for path, data in actions:
            with self.subTest(path=path):
                self.assertEqual(self.client.post(self.url(path), data).status_code, 403)
        self.assertEqual(membership_states(self.public), before)
        self.assertFalse(TribeInvitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_accept_and_refuse_requests(self):
        response = self.client.post(self.url(f"{self.request.pk}/accept/"), follow=True)
        self.assertContains(response, "Léa is now a member.")
        self.assertEqual(membership_states(self.public)["lea"][1], MembershipState.ACTIVE)
        response = self.client.post(self.url(f"{self.request.pk}/refuse/"), follow=True)
        self.assertContains(response, "already been answered")
        self.assertIn("lea", membership_states(self.public))

    def test_refuse_a_request(self):
        response = self.client.post(self.url(f"{self.request.pk}/refuse/"), follow=True)
        self.assertContains(response, "Request from Léa refused.")
        self.assertNotIn("lea", membership_states(self.public))

    def test_change_a_role(self):
        response = self.client.post(
            self.url(f"{self.member_membership.pk}/role/"), {"role": "admin"}, follow=True
        )
        self.assertContains(response, "Camille is now admin.")
        self.assertEqual(membership_states(self.public)["camille"][0], MembershipRole.ADMIN)

    def test_bad_role_and_last_admin_give_a_message(self):
        before = membership_states(self.public)
        response = self.client.post(
            self.url(f"{self.member_membership.pk}/role/"), {"role": "king"}, follow=True
        )
        self.assertContains(response, "Choose a role")
        response = self.client.post(
            self.url(f"{self.admin_membership.pk}/role/"), {"role": "member"}, follow=True
        )
        self.assertContains(response, "at least one admin")
        response = self.client.post(self.url(f"{self.admin_membership.pk}/remove/"), follow=True)
        self.assertContains(response, "at least one admin")
        self.assertEqual(membership_states(self.public), before)

    def test_remove_a_member(self):
        response = self.client.post(self.url(f"{self.member_membership.pk}/remove/"), follow=True)
        self.assertContains(response, "Camille is no longer in the tribe.")
        self.assertNotIn("camille", membership_states(self.public))

    def test_memberships_of_another_tribe_or_unknown_give_a_message(self):
        other = TribeMembershipFactory()
        before = membership_states(other.tribe)
        for pk in (other.pk, 999_999):
            with self.subTest(pk=pk):
                response = self.client.post(self.url(f"{pk}/remove/"), follow=True)
                self.assertContains(response, "no longer in the tribe")
        self.assertEqual(membership_states(other.tribe), before)

    def test_an_admin_who_steps_down_goes_back_to_the_tribe(self):
        self.public.memberships.filter(pk=self.member_membership.pk).update(role="admin")
        response = self.client.post(
            self.url(f"{self.admin_membership.pk}/role/"), {"role": "member"}
        )
        self.assertRedirects(response, self.public.url, fetch_redirect_response=False)

    def test_invite_by_email(self):
        response = self.client.post(self.url("invite/"), {"email": "guest@example.org"})
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        [message] = mail.outbox
        self.assertIn("http://testserver/tribes/invitations/", message.body)
        self.assertTrue(TribeInvitation.objects.filter(email="guest@example.org").exists())

    def test_invite_errors_are_shown_on_the_form(self):
        response = self.client.post(self.url("invite/"), {"email": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("email", response.context["invite_form"].errors)
        response = self.client.post(self.url("invite/"), {"email": self.member.email})
        self.assertContains(response, "already a member")
        self.assertFalse(TribeInvitation.objects.exists())

    def test_a_new_link_is_shown_once_and_never_cached(self):
        response = self.client.post(self.url("links/"), {"days": 7})
        self.assertContains(response, "Copy it now")
        self.assertContains(response, "http://testserver/tribes/invitations/")
        self.assertIn("no-store", response["Cache-Control"])
        link = response.context["new_link"]
        page = self.client.get(self.url())
        self.assertNotContains(page, link.token)
        self.assertContains(page, "valid until")

    def test_bad_link_validity_is_an_error_on_the_form(self):
        response = self.client.post(self.url("links/"), {"days": 400})
        self.assertIn("days", response.context["link_form"].errors)
        self.assertFalse(TribeInvitation.objects.exists())

    def test_revoke_an_invitation(self):
        invitation = TribeInvitationFactory(tribe=self.public, link=True)
        response = self.client.post(self.url(f"invitations/{invitation.pk}/revoke/"), follow=True)
        self.assertContains(response, "Invitation revoked")
        response = self.client.post(self.url(f"invitations/{invitation.pk}/revoke/"), follow=True)
        self.assertContains(response, "already been revoked")
        other = TribeInvitationFactory()
        response = self.client.post(self.url(f"invitations/{other.pk}/revoke/"), follow=True)
        self.assertContains(response, "no longer exists")
        other.refresh_from_db()
        self.assertIsNone(other.revoked_at)

    def test_staff_may_manage_any_tribe(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
