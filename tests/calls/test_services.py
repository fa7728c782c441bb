"""The call services: every state change, who may make it, what each person is told, and every
bad input refused with a clear message and nothing changed."""

from decimal import Decimal

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from calls import selectors, services
from calls.factories import (
    ApplicationFactory,
    CallForProjectsPageFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
)
from calls.models import (
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallStatus,
    Organisation,
    OrganisationRole,
    OrganisationStatus,
)
from notifications.models import Notification
from tests.calls.helpers import World, call_fields, in_days
from users.factories import UserFactory


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


class ServiceTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = World()

    def open_call(self, **kwargs):
        kwargs.setdefault("organisation", self.w.organisation)
        return CallForProjectsPageFactory(**kwargs)

    def apply(self, call, user=None, projects=None, tribe=None, pitch="Je propose une lampe."):
        user = user or self.w.member
        return services.application_submit(
            user=user,
            call=call,
            pitch=pitch,
            projects=projects if projects is not None else [self.w.public_project],
            tribe=tribe,
        )


class TestOrganisations(ServiceTestCase):
    def test_any_member_asks_and_becomes_owner_of_a_pending_organisation(self):
        organisation = services.organisation_request(
            user=self.w.outsider, name="Atelier Bois & Co", description="Menuiserie."
        )
        self.assertEqual(organisation.status, OrganisationStatus.PENDING)
        self.assertEqual(organisation.slug, "atelier-bois-co")
        membership = organisation.memberships.get()
        self.assertEqual((membership.user, membership.role), (self.w.outsider, "owner"))
        self.assertIn("New organisation to approve: Atelier Bois & Co", titles(self.w.staff))

    def test_a_second_organisation_with_the_same_name_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "already exists"):
            services.organisation_request(user=self.w.outsider, name="lumière sa")
        self.assertEqual(Organisation.objects.filter(name__iexact="lumière sa").count(), 1)

    def test_staff_approve_and_the_requester_is_notified(self):
        organisation = services.organisation_request(user=self.w.outsider, name="Bois & Co")
        services.organisation_approve(user=self.w.staff, organisation=organisation)
        organisation.refresh_from_db()
        self.assertEqual(organisation.status, OrganisationStatus.APPROVED)
        self.assertIn("Bois & Co is approved", titles(self.w.outsider))

    def test_staff_refuse_with_a_message(self):
        organisation = services.organisation_request(user=self.w.outsider, name="Bois & Co")
        services.organisation_refuse(
            user=self.w.staff,
            organisation=organisation,
            message="Nous ne savons pas qui vous êtes.",
        )
        self.assertEqual(Organisation.objects.get(pk=organisation.pk).status, "refused")
        notification = Notification.objects.get(recipient=self.w.outsider, title__contains="not")
        self.assertEqual(notification.body, "Nous ne savons pas qui vous êtes.")

    def test_only_staff_approve(self):
        organisation = services.organisation_request(user=self.w.outsider, name="Bois & Co")
        for person in (self.w.outsider, self.w.owner, self.w.member):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.organisation_approve(user=person, organisation=organisation)
        self.assertEqual(Organisation.objects.get(pk=organisation.pk).status, "pending")

    def test_owner_adds_and_removes_members_but_never_the_last_owner(self):
        membership = services.organisation_member_add(
            user=self.w.owner, organisation=self.w.organisation, member=self.w.outsider
        )
        self.assertEqual(membership.role, OrganisationRole.MEMBER)
        self.assertIn("You are now a member of Lumière SA", titles(self.w.outsider))
        with self.assertRaises(PermissionDenied):
            services.organisation_member_add(
                user=self.w.colleague, organisation=self.w.organisation, member=self.w.member
            )
        services.organisation_member_remove(user=self.w.owner, membership=membership)
        owner = self.w.organisation.memberships.get(user=self.w.owner)
        with self.assertRaisesMessage(ValidationError, "at least one owner"):
            services.organisation_member_remove(user=self.w.owner, membership=owner)


class TestWritingCalls(ServiceTestCase):
    def test_a_member_of_the_organisation_writes_a_draft(self):
        call = services.call_create(
            user=self.w.colleague, organisation=self.w.organisation, **call_fields()
        )
        self.assertEqual(call.status, CallStatus.DRAFT)
        self.assertFalse(call.live)
        self.assertEqual(call.get_parent().url, "/calls/")
        self.assertEqual(call.reward_amount, Decimal("1200"))
        self.assertEqual(sorted(t.name for t in call.tags.all()), ["design", "découpe laser"])
        self.assertIsNotNone(call.latest_revision)

    def test_a_deadline_in_the_past_at_creation_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "The deadline must be in the future."):
            services.call_create(
                user=self.w.owner,
                organisation=self.w.organisation,
                **call_fields(deadline=in_days(-1)),
            )
        self.assertFalse(CallForProjectsPage.objects.exists())

    def test_someone_outside_the_organisation_cannot_write_for_it(self):
        for person in (self.w.rival, self.w.member, self.w.staff):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.call_create(user=person, organisation=self.w.organisation, **call_fields())
        self.assertFalse(CallForProjectsPage.objects.exists())

    def test_a_pending_organisation_cannot_post(self):
        pending = OrganisationFactory(pending=True)
        OrganisationMembershipFactory(organisation=pending, user=self.w.outsider, owner=True)
        with self.assertRaisesMessage(ValidationError, "waiting for approval"):
            services.call_create(user=self.w.outsider, organisation=pending, **call_fields())

    def test_a_reward_needs_an_amount_or_a_description(self):
        with self.assertRaises(ValidationError) as caught:
            services.call_create(
                user=self.w.owner,
                organisation=self.w.organisation,
                **call_fields(reward_kind="in_kind", reward_amount=None, reward_in_kind=""),
            )
        self.assertIn("reward_in_kind", caught.exception.message_dict)

    def test_a_rival_cannot_edit_submit_close_or_award_anothers_call(self):
        call = self.open_call()
        actions = [
            lambda: services.call_update(user=self.w.rival, call=call, title="Piraté"),
            lambda: services.call_submit(user=self.w.rival, call=call),
            lambda: services.call_close(user=self.w.rival, call=call),
            lambda: services.call_award(user=self.w.rival, call=call),
        ]
        for action in actions:
            with self.assertRaises(PermissionDenied):
                action()
        call.refresh_from_db()
        self.assertEqual((call.title, call.status), (call.title, CallStatus.OPEN))
        self.assertNotEqual(call.get_latest_revision_as_object().title, "Piraté")

    def test_editing_an_open_call_keeps_the_published_version_until_approved(self):
        call = services.call_create(
            user=self.w.owner, organisation=self.w.organisation, submit=True, **call_fields()
        )
        selectors.call_workflow_state(call).current_task_state.approve(user=self.w.staff)
        services.call_update(user=self.w.owner, call=call, title="Nouveau titre", submit=True)
        call.refresh_from_db()
        self.assertEqual(call.title, "Un luminaire pour notre hall")
        self.assertEqual(call.status, CallStatus.OPEN)
        selectors.call_workflow_state(call).current_task_state.approve(user=self.w.staff)
        call.refresh_from_db()
        self.assertEqual((call.title, call.status), ("Nouveau titre", CallStatus.OPEN))


class TestClosingAndAwarding(ServiceTestCase):
    def test_an_organisation_member_closes_its_open_call_early(self):
        call = self.open_call()
        services.call_close(user=self.w.colleague, call=call)
        call.refresh_from_db()
        self.assertEqual(call.status, CallStatus.CLOSED)
        self.assertIsNotNone(call.closed_at)
        with self.assertRaisesMessage(ValidationError, "Only an open call can be closed."):
            services.call_close(user=self.w.colleague, call=call)

    def test_awarding_needs_an_accepted_application(self):
        call = self.open_call()
        application = self.apply(call)
        with self.assertRaisesMessage(ValidationError, "Accept at least one application"):
            services.call_award(user=self.w.owner, call=call)
        services.application_accept(user=self.w.owner, application=application)
        services.call_award(user=self.w.owner, call=call)
        call.refresh_from_db()
        self.assertEqual(call.status, CallStatus.AWARDED)
        self.assertIsNotNone(call.awarded_at)

    def test_a_draft_cannot_be_awarded(self):
        call = self.open_call(draft=True)
        with self.assertRaisesMessage(ValidationError, "Only an open or closed call"):
            services.call_award(user=self.w.owner, call=call)

    def test_decisions_are_final_once_awarded(self):
        call = self.open_call()
        accepted = services.application_accept(user=self.w.owner, application=self.apply(call))
        pending = self.apply(call, user=self.w.tribe_admin, projects=[self.w.tribe_project])
        services.call_award(user=self.w.owner, call=call)
        with self.assertRaisesMessage(ValidationError, "awarded"):
            services.application_decline(user=self.w.owner, application=pending)
        self.assertEqual(Application.objects.get(pk=pending.pk).status, "submitted")
        self.assertEqual(accepted.status, "accepted")


class TestApplying(ServiceTestCase):
    def test_a_member_applies_with_a_public_project_and_the_organisation_is_told(self):
        call = self.open_call()
        application = self.apply(call)
        self.assertEqual(application.status, ApplicationStatus.SUBMITTED)
        self.assertEqual(application.applicant_user, self.w.member)
        self.assertEqual(list(application.projects.all()), [self.w.public_project])
        for person in (self.w.owner, self.w.colleague):
            self.assertIn(f"New application to “{call.title}”", titles(person))

    def test_a_tribe_applies_through_its_admin_with_a_tribe_project(self):
        call = self.open_call()
        application = self.apply(
            call, user=self.w.tribe_admin, tribe=self.w.tribe, projects=[self.w.tribe_project]
        )
        self.assertEqual(application.applicant_tribe, self.w.tribe)
        self.assertIsNone(application.applicant_user)
        self.assertEqual(application.submitted_by, self.w.tribe_admin)

    def test_a_plain_tribe_member_cannot_apply_for_the_tribe(self):
        call = self.open_call()
        with self.assertRaises(PermissionDenied):
            self.apply(call, tribe=self.w.tribe, projects=[self.w.tribe_project])
        self.assertFalse(call.applications.exists())

    def test_applying_after_the_deadline_is_refused(self):
        call = self.open_call(expired=True)
        with self.assertRaisesMessage(ValidationError, "the deadline has passed"):
            self.apply(call)
        self.assertFalse(call.applications.exists())

    def test_applying_twice_is_refused_with_a_clear_message(self):
        call = self.open_call()
        self.apply(call)
        with self.assertRaisesMessage(ValidationError, "You have already applied to this call"):
            self.apply(call, pitch="Encore moi")
        self.assertEqual(call.applications.count(), 1)

    def test_applying_again_after_withdrawing_is_refused_too(self):
        call = self.open_call()
        services.application_withdraw(user=self.w.member, application=self.apply(call))
        with self.assertRaisesMessage(ValidationError, "already applied"):
            self.apply(call)

    def test_the_database_refuses_a_second_application_of_the_same_member(self):
        from django.db import IntegrityError, transaction

        call = self.open_call()
        ApplicationFactory(call=call, applicant_user=self.w.member)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ApplicationFactory(call=call, applicant_user=self.w.member)

    def test_a_member_outside_the_eligible_tribes_is_refused(self):
        call = self.open_call()
        call.eligible_tribes.set([self.w.other_tribe])
        call.save()
        with self.assertRaisesMessage(ValidationError, "open to members of: Autre tribu"):
            self.apply(call)
        with self.assertRaisesMessage(ValidationError, "open to members of: Autre tribu"):
            self.apply(
                call, user=self.w.tribe_admin, tribe=self.w.tribe, projects=[self.w.tribe_project]
            )
        self.assertFalse(call.applications.exists())

    def test_a_member_of_an_eligible_tribe_may_apply(self):
        call = self.open_call()
        call.eligible_tribes.set([self.w.tribe])
        call.save()
        self.assertEqual(self.apply(call).status, "submitted")

    def test_someone_elses_project_is_refused(self):
        call = self.open_call()
        with self.assertRaisesMessage(ValidationError, "“Robot” cannot be attached"):
            self.apply(call, projects=[self.w.outsider_project])
        self.assertFalse(call.applications.exists())

    def test_a_private_project_is_refused(self):
        call = self.open_call()
        with self.assertRaisesMessage(ValidationError, "“Carnet secret” cannot be attached"):
            self.apply(call, projects=[self.w.public_project, self.w.private_project])
        self.assertFalse(call.applications.exists())

    def test_an_application_needs_a_pitch_and_a_project(self):
        call = self.open_call()
        with self.assertRaises(ValidationError) as caught:
            self.apply(call, pitch="   ")
        self.assertIn("pitch", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.apply(call, projects=[])
        self.assertIn("projects", caught.exception.message_dict)

    def test_an_organisation_does_not_apply_to_its_own_call(self):
        call = self.open_call()
        with self.assertRaisesMessage(ValidationError, "your own organisation"):
            self.apply(call, user=self.w.colleague, projects=[])

    def test_a_draft_call_takes_no_application(self):
        call = self.open_call(draft=True)
        with self.assertRaisesMessage(ValidationError, "not published"):
            self.apply(call)


class TestDecisions(ServiceTestCase):
    def setUp(self):
        self.call = self.open_call()
        self.application = self.apply(self.call)
        mail.outbox.clear()

    def test_shortlist_then_accept_each_tells_the_applicant_on_site_and_by_mail(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.application_shortlist(user=self.w.colleague, application=self.application)
        with self.captureOnCommitCallbacks(execute=True):
            services.application_accept(
                user=self.w.owner, application=self.application, message="Bravo, appelons-nous."
            )
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.ACCEPTED)
        self.assertEqual(self.application.decision_message, "Bravo, appelons-nous.")
        self.assertEqual(
            titles(self.w.member)[:2],
            [
                f"Your application to “{self.call.title}” is accepted",
                f"Your application to “{self.call.title}” is shortlisted",
            ],
        )
        to_member = [m for m in mail.outbox if m.to == [self.w.member.email]]
        self.assertEqual(len(to_member), 2)
        self.assertIn("Bravo, appelons-nous.", to_member[1].body)

    def test_decline_tells_the_applicant_with_the_message(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.application_decline(
                user=self.w.owner, application=self.application, message="Pas cette fois."
            )
        notification = Notification.objects.filter(recipient=self.w.member).first()
        self.assertEqual(notification.body, "Pas cette fois.")
        self.assertEqual(len([m for m in mail.outbox if m.to == [self.w.member.email]]), 1)

    def test_a_tribe_applications_decision_reaches_the_tribe_admins(self):
        application = self.apply(
            self.call, user=self.w.tribe_admin, tribe=self.w.tribe, projects=[self.w.tribe_project]
        )
        services.application_accept(user=self.w.owner, application=application)
        self.assertIn(
            f"Your application to “{self.call.title}” is accepted", titles(self.w.tribe_admin)
        )
        self.assertNotIn(
            f"Your application to “{self.call.title}” is accepted", titles(self.w.outsider)
        )

    def test_only_the_calls_organisation_decides(self):
        for person in (self.w.rival, self.w.member, self.w.outsider, self.w.staff):
            for decide in (
                services.application_shortlist,
                services.application_accept,
                services.application_decline,
            ):
                with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                    decide(user=person, application=self.application)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.SUBMITTED)

    def test_a_decided_application_cannot_be_decided_again_nor_withdrawn(self):
        services.application_decline(user=self.w.owner, application=self.application)
        with self.assertRaisesMessage(ValidationError, "already declined"):
            services.application_accept(user=self.w.owner, application=self.application)
        with self.assertRaisesMessage(ValidationError, "too late to withdraw"):
            services.application_withdraw(user=self.w.member, application=self.application)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.DECLINED)

    def test_a_shortlisted_application_cannot_be_shortlisted_again(self):
        services.application_shortlist(user=self.w.owner, application=self.application)
        with self.assertRaisesMessage(ValidationError, "already shortlisted"):
            services.application_shortlist(user=self.w.owner, application=self.application)

    def test_the_applicant_withdraws_until_a_decision_and_the_organisation_is_told(self):
        services.application_shortlist(user=self.w.owner, application=self.application)
        services.application_withdraw(user=self.w.member, application=self.application)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, ApplicationStatus.WITHDRAWN)
        self.assertIn(f"Camille withdrew from “{self.call.title}”", titles(self.w.owner))

    def test_only_the_applicant_withdraws(self):
        for person in (self.w.owner, self.w.outsider, self.w.tribe_admin):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.application_withdraw(user=person, application=self.application)
        self.assertEqual(Application.objects.get(pk=self.application.pk).status, "submitted")

    def test_a_tribe_admin_withdraws_the_tribes_application(self):
        application = self.apply(
            self.call, user=self.w.tribe_admin, tribe=self.w.tribe, projects=[self.w.tribe_project]
        )
        other_admin = UserFactory()
        from tribes.factories import TribeMembershipFactory

        TribeMembershipFactory(tribe=self.w.tribe, user=other_admin, admin=True)
        services.application_withdraw(user=other_admin, application=application)
        self.assertEqual(Application.objects.get(pk=application.pk).status, "withdrawn")
