"""Moderation through Wagtail's workflow: the data migration sets it up, the front end's submit
starts it, staff approve (the call is published and opens) or reject (the call goes back to
draft and the organisation is told why) in the Wagtail admin."""

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupApprovalTask, WorkflowState

from calls import selectors, services
from calls.models import CallIndexPage, CallStatus
from notifications.models import Notification
from tests.calls.helpers import World, call_fields
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestModerationSetUp(TestCase):
    def test_the_call_index_has_a_group_approval_workflow_for_moderators(self):
        index = CallIndexPage.objects.get()
        workflow = index.get_workflow()
        self.assertEqual(workflow.name, "Modération des appels à projets")
        task = workflow.tasks.get().specific
        self.assertIsInstance(task, GroupApprovalTask)
        self.assertEqual(list(task.groups.all()), [Group.objects.get(name="Moderators")])


class TestFrontEndSubmission(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()

    def test_submitting_from_the_front_end_saves_a_revision_and_starts_the_workflow(self):
        self.client.force_login(self.w.owner)
        data = call_fields(deadline="2099-06-30T18:00", tags="laser, design", action="submit")
        data["organisation"] = self.w.organisation.pk
        response = self.client.post(reverse("calls:create"), data)
        call = self.w.organisation.calls.get()
        self.assertRedirects(response, reverse("calls:preview", args=[call.slug]))
        self.assertEqual(call.status, CallStatus.SUBMITTED)
        self.assertFalse(call.live)
        state = WorkflowState.objects.for_instance(call).get()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(state.requested_by, self.w.owner)
        self.assertEqual(state.current_task_state.revision, call.latest_revision)

    def test_saving_a_draft_starts_no_workflow_and_submitting_it_later_does(self):
        call = services.call_create(
            user=self.w.owner, organisation=self.w.organisation, **call_fields()
        )
        self.assertFalse(WorkflowState.objects.for_instance(call).exists())
        self.client.force_login(self.w.colleague)
        response = self.client.post(reverse("calls:submit", args=[call.slug]), follow=True)
        self.assertContains(response, "sent to the staff for review")
        call.refresh_from_db()
        self.assertEqual(call.status, CallStatus.SUBMITTED)
        self.assertTrue(WorkflowState.objects.for_instance(call).exists())

    def test_submitting_twice_is_refused_with_a_message(self):
        call = services.call_create(
            user=self.w.owner, organisation=self.w.organisation, submit=True, **call_fields()
        )
        self.client.force_login(self.w.owner)
        response = self.client.post(reverse("calls:submit", args=[call.slug]), follow=True)
        self.assertContains(response, "already waiting for the staff")
        self.assertEqual(WorkflowState.objects.for_instance(call).count(), 1)

    def test_a_rival_cannot_submit_anothers_call(self):
        call = services.call_create(
            user=self.w.owner, organisation=self.w.organisation, **call_fields()
        )
        self.client.force_login(self.w.rival)
        response = self.client.post(reverse("calls:submit", args=[call.slug]))
        self.assertEqual(response.status_code, 404)  # a draft is invisible to outsiders
        self.assertFalse(WorkflowState.objects.for_instance(call).exists())


class TestStaffModerationInTheAdmin(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.w = World()

    def setUp(self):
        self.call = services.call_create(
            user=self.w.owner, organisation=self.w.organisation, submit=True, **call_fields()
        )
        self.task_state = selectors.call_workflow_state(self.call).current_task_state

    def action_url(self, action):
        return reverse(
            "wagtailadmin_pages:workflow_action",
            args=[self.call.pk, action, self.task_state.pk],
        )

    def test_staff_approving_in_the_admin_publishes_and_opens_the_call(self):
        self.client.force_login(self.w.staff)
        response = self.client.post(self.action_url("approve"), {"comment": ""})
        self.assertEqual(response.status_code, 302)
        self.call.refresh_from_db()
        self.assertTrue(self.call.live)
        self.assertEqual(self.call.status, CallStatus.OPEN)
        for person in (self.w.owner, self.w.colleague):
            self.assertTrue(
                Notification.objects.filter(recipient=person, title__endswith="is open").exists()
            )
        self.assertEqual(self.client.get(self.call.url).status_code, 200)

    def test_a_member_of_the_moderators_group_may_approve(self):
        moderator = UserFactory(staff=True)
        moderator.groups.add(Group.objects.get(name="Moderators"))
        self.client.force_login(moderator)
        self.client.post(self.action_url("approve"), {"comment": ""})
        self.call.refresh_from_db()
        self.assertEqual(self.call.status, CallStatus.OPEN)

    def test_staff_rejecting_sends_the_call_back_to_draft_and_tells_the_organisation(self):
        self.client.force_login(self.w.staff)
        self.client.post(self.action_url("reject"), {"comment": "Précisez la récompense."})
        self.call.refresh_from_db()
        self.assertFalse(self.call.live)
        self.assertEqual(self.call.status, CallStatus.DRAFT)
        notification = Notification.objects.get(
            recipient=self.w.owner, title__endswith="needs changes"
        )
        self.assertIn("Précisez la récompense.", notification.body)
        self.assertEqual(notification.url, reverse("calls:preview", args=[self.call.slug]))

    def test_after_a_rejection_the_organisation_edits_and_submits_again(self):
        self.task_state.reject(user=self.w.staff, comment="Trop vague.")
        self.call.refresh_from_db()
        self.assertEqual(self.call.status, CallStatus.DRAFT)
        services.call_update(user=self.w.owner, call=self.call, reward_amount=2000, submit=True)
        self.call.refresh_from_db()
        self.assertEqual(self.call.status, CallStatus.SUBMITTED)
        state = selectors.call_workflow_state(self.call)
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_outsiders_cannot_approve(self):
        self.client.force_login(self.w.owner)
        response = self.client.post(self.action_url("approve"), {"comment": ""})
        self.assertIn(response.status_code, (302, 403))
        self.call.refresh_from_db()
        self.assertEqual((self.call.live, self.call.status), (False, CallStatus.SUBMITTED))
