"""The call pages and the front-end views: the page tree, the listing, what each visitor sees,
the main flow end to end (post → approve → apply → shortlist → accept → award), and bad input
answered with a message or a 4xx, never a 500, nothing changed."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from calls import selectors, services
from calls.factories import ApplicationFactory, CallForProjectsPageFactory
from calls.models import (
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallIndexPage,
    CallStatus,
    Organisation,
)
from home.models import HomePage
from notifications.models import Notification
from tests.calls.helpers import World, call_fields, in_days
from tests.helpers import EnglishClient, form_errors


class TestCallPageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get(slug="home")
        cls.index = CallIndexPage.objects.get()
        cls.call = CallForProjectsPageFactory(title="Luminaire")

    def test_data_migration_creates_the_call_index_at_calls(self):
        self.assertEqual(self.index.get_parent().specific, self.home)
        self.assertEqual(self.index.url, "/calls/")

    def test_call_index_goes_under_the_home_page_only_once(self):
        self.assertAllowedParentPageTypes(CallIndexPage, {HomePage})
        self.assertFalse(CallIndexPage.can_create_at(self.home))

    def test_calls_go_under_the_call_index_only_and_have_no_children(self):
        self.assertCanCreateAt(CallIndexPage, CallForProjectsPage)
        self.assertCanNotCreateAt(HomePage, CallForProjectsPage)
        self.assertCanNotCreateAt(Page, CallForProjectsPage)
        self.assertAllowedParentPageTypes(CallForProjectsPage, {CallIndexPage})
        self.assertAllowedSubpageTypes(CallIndexPage, {CallForProjectsPage})
        self.assertAllowedSubpageTypes(CallForProjectsPage, {})

    def test_index_and_call_are_routable_and_renderable(self):
        self.assertPageIsRoutable(self.call)
        self.assertPageIsRenderable(self.call)
        self.assertPageIsRenderable(self.index)

    def test_reserved_slugs_are_refused(self):
        call = CallForProjectsPage(
            title="x",
            slug="new",
            organisation=self.call.organisation,
            brief="b",
            reward_amount=1,
            deadline=in_days(3),
        )
        with self.assertRaisesMessage(Exception, "reserved"):
            call.clean()


class TestListingAndPage(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()
        organisation = cls.w.organisation
        cls.later = CallForProjectsPageFactory(
            title="Ouvert plus tard", organisation=organisation, deadline=in_days(40)
        )
        cls.soon = CallForProjectsPageFactory(
            title="Ouvert bientôt", organisation=organisation, deadline=in_days(2)
        )
        cls.expired = CallForProjectsPageFactory(
            title="Expiré", organisation=organisation, deadline=in_days(-1)
        )
        cls.awarded = CallForProjectsPageFactory(
            title="Attribué",
            organisation=organisation,
            status=CallStatus.AWARDED,
            deadline=in_days(-30),
        )
        cls.draft = CallForProjectsPageFactory(
            title="Brouillon secret", organisation=organisation, draft=True
        )
        cls.later.eligible_tribes.set([cls.w.tribe, cls.w.other_tribe])
        cls.later.save()

    def test_open_calls_come_first_by_deadline_then_closed_and_awarded(self):
        response = self.client.get("/calls/")
        titles = [call.title for call in response.context["calls"]]
        self.assertEqual(titles, ["Ouvert bientôt", "Ouvert plus tard", "Expiré", "Attribué"])
        self.assertNotContains(response, "Brouillon secret")

    def test_each_call_states_eligibility_deadline_and_reward_plainly(self):
        response = self.client.get(self.soon.url)
        self.assertContains(response, "Open to every member and tribe")
        self.assertContains(response, "1,500")
        self.assertContains(response, "€")
        self.assertContains(response, 'data-call-status="open"')
        response = self.client.get(self.later.url)
        self.assertContains(response, "Open to members of:")
        self.assertContains(response, "Autre tribu")
        self.assertContains(response, "La Machinerie")

    def test_a_call_past_its_deadline_shows_closed_and_takes_no_application(self):
        response = self.client.get(self.expired.url)
        self.assertContains(response, 'data-call-status="closed"')
        self.client.force_login(self.w.member)
        response = self.client.get(self.expired.url)
        self.assertContains(response, "This call is closed: the deadline has passed.")
        self.assertNotContains(response, "Apply to this call")

    def test_a_reward_in_kind_is_stated(self):
        call = CallForProjectsPageFactory(
            organisation=self.w.organisation,
            reward_kind="in_kind",
            reward_amount=None,
            reward_in_kind="Dix heures de machine",
        )
        self.assertContains(self.client.get(call.url), "In kind: Dix heures de machine")

    def test_visitors_are_invited_to_log_in_to_apply(self):
        response = self.client.get(self.soon.url)
        self.assertContains(response, "Log in to apply")

    def test_odd_paths_are_404(self):
        for url in ("/calls/nope/", "/calls/nope/apply/", "/calls/applications/abc/"):
            with self.subTest(url=url):
                self.client.force_login(self.w.member)
                self.assertEqual(self.client.get(url).status_code, 404)


class TestDraftsAndApplicationsVisibility(TestCase):
    """Drafts: the organisation and staff. Applications: the applicant (or the tribe's admins),
    the organisation's members, staff; anyone else gets a 404."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()
        cls.draft = services.call_create(
            user=cls.w.owner, organisation=cls.w.organisation, **call_fields(title="Brouillon")
        )
        cls.call = CallForProjectsPageFactory(organisation=cls.w.organisation)
        cls.application = ApplicationFactory(
            call=cls.call,
            applicant_user=cls.w.member,
            projects=[cls.w.public_project],
            pitch="Mon pitch confidentiel",
        )
        cls.tribe_application = ApplicationFactory(
            call=cls.call,
            applicant_user=None,
            applicant_tribe=cls.w.tribe,
            submitted_by=cls.w.tribe_admin,
            projects=[cls.w.tribe_project],
        )

    def status_for(self, user, url):
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        return self.client.get(url).status_code

    def test_a_draft_is_previewed_by_its_organisation_and_staff_only(self):
        url = reverse("calls:preview", args=[self.draft.slug])
        self.assertEqual(self.status_for(self.w.owner, url), 200)
        self.assertEqual(self.status_for(self.w.colleague, url), 200)
        self.assertEqual(self.status_for(self.w.staff, url), 200)
        self.assertEqual(self.status_for(self.w.rival, url), 404)
        self.assertEqual(self.status_for(self.w.member, url), 404)
        self.assertEqual(self.status_for(None, url), 302)
        self.assertEqual(self.status_for(None, f"/calls/{self.draft.slug}/"), 404)

    def test_a_member_application_is_seen_by_the_applicant_the_organisation_and_staff(self):
        url = self.application.get_absolute_url()
        for person in (self.w.member, self.w.owner, self.w.colleague, self.w.staff):
            with self.subTest(person=person.username):
                self.assertEqual(self.status_for(person, url), 200)
        for person in (self.w.rival, self.w.outsider, self.w.tribe_admin):
            with self.subTest(person=person.username):
                self.assertEqual(self.status_for(person, url), 404)
        self.assertEqual(self.status_for(None, url), 302)

    def test_a_tribe_application_is_seen_by_the_tribes_admins_not_its_plain_members(self):
        url = self.tribe_application.get_absolute_url()
        self.assertEqual(self.status_for(self.w.tribe_admin, url), 200)
        self.assertEqual(self.status_for(self.w.member, url), 404)
        self.assertEqual(self.status_for(self.w.owner, url), 200)

    def test_the_list_of_applications_is_for_the_organisation_only(self):
        url = reverse("calls:applications", args=[self.call.slug])
        self.client.force_login(self.w.owner)
        response = self.client.get(url)
        self.assertContains(response, "Camille")
        self.assertContains(response, "La Machinerie")
        for person in (self.w.member, self.w.rival, self.w.staff):
            with self.subTest(person=person.username):
                self.assertEqual(self.status_for(person, url), 403)

    def test_the_public_call_page_never_shows_others_applications(self):
        self.client.force_login(self.w.outsider)
        response = self.client.get(self.call.url)
        self.assertNotContains(response, "Mon pitch confidentiel")
        self.assertNotContains(response, "See the applications")

    def test_a_rival_deciding_on_anothers_application_gets_404_and_nothing_changes(self):
        self.client.force_login(self.w.rival)
        response = self.client.post(
            reverse("calls:application_decide", args=[self.application.pk, "accept"])
        )
        self.assertEqual(response.status_code, 404)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.SUBMITTED)

    def test_the_applicant_cannot_decide_on_their_own_application(self):
        self.client.force_login(self.w.member)
        response = self.client.post(
            reverse("calls:application_decide", args=[self.application.pk, "accept"])
        )
        self.assertEqual(response.status_code, 403)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.SUBMITTED)

    def test_an_unknown_decision_is_404(self):
        self.client.force_login(self.w.owner)
        response = self.client.post(
            reverse("calls:application_decide", args=[self.application.pk, "promote"])
        )
        self.assertEqual(response.status_code, 404)

    def test_a_rival_editing_or_closing_anothers_call_gets_403(self):
        self.client.force_login(self.w.rival)
        for name in ("edit", "close", "award", "submit"):
            with self.subTest(view=name):
                response = self.client.post(reverse(f"calls:{name}", args=[self.call.slug]))
                self.assertEqual(response.status_code, 403)
        self.call.refresh_from_db()
        self.assertEqual(self.call.status, CallStatus.OPEN)


class TestMainFlow(TestCase):
    """Company posts a call → staff approve → a member applies with a project → the company
    shortlists and accepts → the member sees it. Every step through the front end's buttons,
    except the approval, in the Wagtail admin."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()

    def test_the_whole_flow(self):
        w = self.w
        # The company posts a call and submits it.
        self.client.force_login(w.owner)
        response = self.client.get("/calls/")
        self.assertContains(response, "Post a call for projects")
        data = call_fields(deadline="2099-06-30T18:00", tags="laser", action="submit")
        data["organisation"] = w.organisation.pk
        response = self.client.post(reverse("calls:create"), data, follow=True)
        self.assertContains(response, "sent to the staff for review")
        self.assertContains(response, "Waiting for the staff")
        call = w.organisation.calls.get()
        # Staff approve in the admin.
        task_state = selectors.call_workflow_state(call).current_task_state
        self.client.force_login(w.staff)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[call.pk, "approve", task_state.pk]),
            {"comment": ""},
        )
        call.refresh_from_db()
        self.assertEqual(call.status, CallStatus.OPEN)
        # A member applies with a public project.
        self.client.force_login(w.member)
        response = self.client.get(call.url)
        self.assertContains(response, "Apply to this call")
        response = self.client.get(reverse("calls:apply", args=[call.slug]))
        self.assertContains(response, "Lampe origami")
        self.assertNotContains(response, "Carnet secret")
        response = self.client.post(
            reverse("calls:apply", args=[call.slug]),
            {"applicant": "me", "pitch": "Une lampe en kit.", "projects": [w.public_project.pk]},
            follow=True,
        )
        self.assertContains(response, "Your application has been sent")
        application = call.applications.get()
        # The company shortlists, then accepts with a message.
        self.client.force_login(w.owner)
        response = self.client.get(reverse("calls:applications", args=[call.slug]))
        self.assertContains(response, "Camille")
        response = self.client.get(application.get_absolute_url())
        self.assertContains(response, "Shortlist")
        self.assertContains(response, "Lampe origami")
        self.client.post(reverse("calls:application_decide", args=[application.pk, "shortlist"]))
        response = self.client.post(
            reverse("calls:application_decide", args=[application.pk, "accept"]),
            {"message": "Bienvenue à bord."},
            follow=True,
        )
        self.assertContains(response, "Application accepted")
        response = self.client.post(reverse("calls:award", args=[call.slug]), follow=True)
        self.assertContains(response, "marked as awarded")
        # The member sees it.
        self.client.force_login(w.member)
        response = self.client.get(reverse("calls:mine"))
        self.assertContains(response, 'data-application-status="accepted"')
        response = self.client.get(application.get_absolute_url())
        self.assertContains(response, "Bienvenue à bord.")
        self.assertEqual(
            Notification.objects.filter(recipient=w.member).count(), 2
        )  # shortlisted, accepted

    def test_the_member_withdraws_from_the_front_end(self):
        call = CallForProjectsPageFactory(organisation=self.w.organisation)
        application = ApplicationFactory(call=call, applicant_user=self.w.member)
        self.client.force_login(self.w.member)
        response = self.client.post(
            reverse("calls:application_withdraw", args=[application.pk]), follow=True
        )
        self.assertContains(response, "Your application is withdrawn.")
        application.refresh_from_db()
        self.assertEqual(application.status, ApplicationStatus.WITHDRAWN)


class TestBadInputInTheViews(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()
        cls.call = CallForProjectsPageFactory(organisation=cls.w.organisation)

    def apply(self, user, **data):
        self.client.force_login(user)
        data.setdefault("applicant", "me")
        data.setdefault("pitch", "Mon idée")
        return self.client.post(reverse("calls:apply", args=[self.call.slug]), data)

    def test_a_private_project_is_not_offered_and_a_forged_one_is_refused(self):
        response = self.apply(self.w.member, projects=[self.w.private_project.pk])
        self.assertEqual(response.status_code, 400)
        self.assertIn("projects", form_errors(response)["form"])
        self.assertContains(response, "Mon idée", status_code=400)  # what was typed is kept
        self.assertFalse(Application.objects.exists())

    def test_someone_elses_project_is_refused(self):
        response = self.apply(self.w.member, projects=[self.w.outsider_project.pk])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Application.objects.exists())

    def test_applying_twice_gives_a_clear_message(self):
        self.apply(self.w.member, projects=[self.w.public_project.pk])
        response = self.apply(self.w.member, projects=[self.w.public_project.pk])
        self.assertContains(response, "You have already applied to this call", status_code=400)
        self.assertEqual(Application.objects.count(), 1)

    def test_applying_after_the_deadline_gives_a_clear_message(self):
        call = CallForProjectsPageFactory(organisation=self.w.organisation, expired=True)
        self.client.force_login(self.w.member)
        response = self.client.get(reverse("calls:apply", args=[call.slug]))
        self.assertContains(response, "the deadline has passed")
        response = self.client.post(
            reverse("calls:apply", args=[call.slug]),
            {"applicant": "me", "pitch": "x", "projects": [self.w.public_project.pk]},
        )
        self.assertContains(response, "the deadline has passed", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_applying_for_a_tribe_one_does_not_run_is_refused(self):
        response = self.apply(
            self.w.member, applicant=str(self.w.tribe.pk), projects=[self.w.tribe_project.pk]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("applicant", form_errors(response)["form"])
        self.assertFalse(Application.objects.exists())

    def test_applying_to_a_call_ones_tribe_is_not_eligible_for(self):
        call = CallForProjectsPageFactory(organisation=self.w.organisation)
        call.eligible_tribes.set([self.w.other_tribe])
        call.save()
        self.client.force_login(self.w.tribe_admin)
        response = self.client.post(
            reverse("calls:apply", args=[call.slug]),
            {
                "applicant": str(self.w.tribe.pk),
                "pitch": "x",
                "projects": [self.w.tribe_project.pk],
            },
        )
        self.assertContains(response, "open to members of: Autre tribu", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_a_deadline_in_the_past_at_creation_is_a_form_error(self):
        self.client.force_login(self.w.owner)
        data = call_fields(deadline="2001-01-01T10:00", tags="", action="save")
        data["organisation"] = self.w.organisation.pk
        response = self.client.post(reverse("calls:create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("deadline", form_errors(response)["form"])
        self.assertContains(response, "Un luminaire pour notre hall")
        self.assertEqual(self.w.organisation.calls.count(), 1)  # only the factory's

    def test_an_organisation_of_someone_else_cannot_be_chosen(self):
        self.client.force_login(self.w.owner)
        data = call_fields(deadline="2099-01-01T10:00", tags="", action="save")
        data["organisation"] = self.w.rival_organisation.pk
        response = self.client.post(reverse("calls:create"), data)
        self.assertIn("organisation", form_errors(response)["form"])
        self.assertFalse(self.w.rival_organisation.calls.exists())

    def test_a_member_without_organisation_is_sent_to_ask_for_one(self):
        self.client.force_login(self.w.member)
        response = self.client.get(reverse("calls:create"))
        self.assertRedirects(response, reverse("calls:organisation_request"))

    def test_asking_for_an_organisation_from_the_front_end(self):
        self.client.force_login(self.w.member)
        response = self.client.post(
            reverse("calls:organisation_request"),
            {"name": "Atelier Camille", "description": "Design.", "website": "example.org"},
            follow=True,
        )
        self.assertContains(response, "Your request has been sent")
        organisation = Organisation.objects.get(name="Atelier Camille")
        self.assertEqual(organisation.status, "pending")
        self.assertEqual(organisation.website, "https://example.org")
        # Pending: visible to its members, not to others.
        self.client.force_login(self.w.outsider)
        self.assertEqual(self.client.get(organisation.get_absolute_url()).status_code, 404)
