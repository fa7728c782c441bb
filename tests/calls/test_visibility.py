"""The visibility policy for calls and applications, checked against a table written out here,
independently of visibility.policy: published calls are public; drafts and calls under review
belong to the organisation and staff; an application to its applicant (the member, or the tribe's
admins), the organisation's members and staff."""

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from calls.factories import ApplicationFactory, CallForProjectsPageFactory
from calls.models import CallStatus
from calls.visibility import (
    applications_visible_to,
    calls_visible_to,
    projects_visible_to_organisation,
)
from tests.calls.helpers import World
from visibility.policy import can_view

PEOPLE = ["anonymous", "member", "tribe_admin", "outsider", "rival", "owner", "colleague", "staff"]
ORGANISATION = {"owner", "colleague", "staff"}
CALLS = {
    "open": set(PEOPLE),
    "closed": set(PEOPLE),
    "awarded": set(PEOPLE),
    "draft": ORGANISATION,
    "submitted": ORGANISATION,
}
APPLICATIONS = {
    "by_member": ORGANISATION | {"member"},
    "by_tribe": ORGANISATION | {"tribe_admin"},
}


class TestCallAndApplicationVisibility(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = World()
        cls.people = {
            name: AnonymousUser() if name == "anonymous" else getattr(cls.w, name)
            for name in PEOPLE
        }
        organisation = cls.w.organisation
        cls.calls = {
            "open": CallForProjectsPageFactory(organisation=organisation),
            "closed": CallForProjectsPageFactory(organisation=organisation, expired=True),
            "awarded": CallForProjectsPageFactory(
                organisation=organisation, status=CallStatus.AWARDED
            ),
            "draft": CallForProjectsPageFactory(organisation=organisation, draft=True),
            "submitted": CallForProjectsPageFactory(
                organisation=organisation, draft=True, status=CallStatus.SUBMITTED
            ),
        }
        call = cls.calls["open"]
        cls.applications = {
            "by_member": ApplicationFactory(call=call, applicant_user=cls.w.member),
            "by_tribe": ApplicationFactory(
                call=call,
                applicant_user=None,
                applicant_tribe=cls.w.tribe,
                submitted_by=cls.w.tribe_admin,
            ),
        }

    def test_calls_by_state_and_person(self):
        for state, call in self.calls.items():
            for name, person in self.people.items():
                expected = name in CALLS[state]
                with self.subTest(state=state, person=name):
                    self.assertEqual(can_view(person, call), expected)
                    self.assertEqual(calls_visible_to(person).filter(pk=call.pk).exists(), expected)

    def test_applications_by_applicant_and_person(self):
        for kind, application in self.applications.items():
            for name, person in self.people.items():
                expected = name in APPLICATIONS[kind]
                with self.subTest(application=kind, person=name):
                    self.assertEqual(can_view(person, application), expected)
                    self.assertEqual(
                        applications_visible_to(person).filter(pk=application.pk).exists(),
                        expected,
                    )

    def test_an_organisation_sees_public_projects_only(self):
        visible = projects_visible_to_organisation(self.w.organisation)
        self.assertTrue(visible.filter(pk=self.w.public_project.pk).exists())
        self.assertFalse(visible.filter(pk=self.w.private_project.pk).exists())

    def test_a_pending_organisation_is_seen_by_its_members_and_staff_only(self):
        from calls.factories import OrganisationFactory, OrganisationMembershipFactory

        pending = OrganisationFactory(pending=True)
        OrganisationMembershipFactory(organisation=pending, user=self.w.outsider, owner=True)
        self.assertTrue(can_view(self.w.outsider, pending))
        self.assertTrue(can_view(self.w.staff, pending))
        self.assertFalse(can_view(self.w.member, pending))
        self.assertFalse(can_view(AnonymousUser(), pending))
        self.assertTrue(can_view(AnonymousUser(), self.w.organisation))
