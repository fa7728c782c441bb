from django.core import mail
from django.test import TestCase

from calls import services
from calls.models import CallStatus
from tests.calls.helpers import World, call_fields
from tests.helpers import EnglishClient


class TestSmoke(TestCase):
    client_class = EnglishClient

    def test_flow(self):
        w = World()
        call = services.call_create(
            user=w.owner, organisation=w.organisation, submit=True, **call_fields()
        )
        self.assertEqual(call.status, CallStatus.SUBMITTED)
        state = services.call_workflow_state(call)
        state.current_task_state.approve(user=w.staff)
        call.refresh_from_db()
        self.assertTrue(call.live)
        self.assertEqual(call.status, CallStatus.OPEN)
        r = self.client.get("/calls/")
        self.assertContains(r, call.title)
        r = self.client.get(call.url)
        self.assertContains(r, "Open to every member and tribe")
        self.client.force_login(w.member)
        r = self.client.get(f"/calls/{call.slug}/apply/")
        self.assertContains(r, "Lampe origami")
        self.assertNotContains(r, "Carnet secret")
        r = self.client.post(
            f"/calls/{call.slug}/apply/",
            {"applicant": "me", "pitch": "Moi", "projects": [w.public_project.pk]},
        )
        self.assertEqual(r.status_code, 302, r.content.decode()[:3000])
        app = call.applications.get()
        self.client.force_login(w.owner)
        r = self.client.get(app.get_absolute_url())
        self.assertContains(r, "Shortlist")
        r = self.client.post(f"/calls/applications/{app.pk}/shortlist/")
        r = self.client.post(f"/calls/applications/{app.pk}/accept/", {"message": "Bravo"})
        app.refresh_from_db()
        self.assertEqual(app.status, "accepted")
        r = self.client.get(call.url)
        self.assertContains(r, "Mark the call as awarded")
        r = self.client.post(f"/calls/{call.slug}/award/")
        call.refresh_from_db()
        self.assertEqual(call.status, "awarded")
        print([m.subject for m in mail.outbox])
