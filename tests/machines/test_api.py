"""POST /api/machines/<slug>/events: what machines, card readers and plugs call."""

import json

from django.test import TestCase

from machines import services
from machines.events import MAX_EVENT_BYTES
from machines.factories import MachineFactory
from machines.models import MachineJob, MachineJobEvent


class TestEventEndpoint(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.machine = MachineFactory(slug="laser-api")
        cls.token = services.machine_token_rotate(machine=cls.machine)
        cls.url = "/api/machines/laser-api/events"

    def post(self, body, *, token=None, url=None, **headers):
        if token is None:
            token = self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            url or self.url, data=data, content_type="application/json", headers=headers
        )

    def test_a_start_event_records_a_running_job(self):
        response = self.post({"event": "start", "job_id": "42", "file_name": "logo.svg"})
        self.assertEqual(response.status_code, 200)
        job = MachineJob.objects.get()
        self.assertEqual(
            response.json(), {"job": job.pk, "state": "running", "outcome": "", "applied": True}
        )

    def test_a_duplicate_answers_ok_but_not_applied(self):
        body = {"event": "start", "job_id": "42", "timestamp": "2026-11-20T10:00:00Z"}
        self.post(body)
        response = self.post(body)
        self.assertEqual((response.status_code, response.json()["applied"]), (200, False))
        self.assertEqual(MachineJobEvent.objects.count(), 1)

    def test_missing_token_is_401_and_records_nothing(self):
        response = self.post({"event": "start", "job_id": "1"}, token="")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(MachineJob.objects.exists())

    def test_wrong_token_is_403_and_records_nothing(self):
        response = self.post({"event": "start", "job_id": "1"}, token="cm_wrong")
        self.assertEqual(response.status_code, 403)
        self.assertIn("token", response.json()["detail"])
        self.assertFalse(MachineJob.objects.exists())

    def test_another_machines_token_is_403(self):
        other = MachineFactory(slug="other")
        other_token = services.machine_token_rotate(machine=other)
        self.assertEqual(
            self.post({"event": "start", "job_id": "1"}, token=other_token).status_code, 403
        )

    def test_unknown_machine_is_404_with_a_message(self):
        response = self.post({"event": "start", "job_id": "1"}, url="/api/machines/nope/events")
        self.assertEqual(response.status_code, 404)
        self.assertIn("nope", response.json()["detail"])

    def test_malformed_json_is_400_with_a_message(self):
        response = self.post("{'event': 'start'")
        self.assertEqual(response.status_code, 400)
        self.assertIn("JSON", response.json()["detail"])

    def test_unknown_event_type_is_400_naming_the_field(self):
        response = self.post({"event": "pause", "job_id": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("event", response.json()["detail"])
        self.assertFalse(MachineJob.objects.exists())

    def test_oversized_payload_is_refused(self):
        body = json.dumps({"event": "start", "job_id": "1", "file_name": "x" * MAX_EVENT_BYTES})
        response = self.post(body)
        self.assertIn(response.status_code, (400, 413))
        self.assertFalse(MachineJob.objects.exists())

    def test_the_openapi_schema_documents_the_event_body(self):
        schema = self.client.get("/api/openapi.json").json()
        operation = schema["paths"]["/api/machines/{slug}/events"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(body["properties"]["event"]["enum"], ["start", "progress", "finish"])
        self.assertIn("401", json.dumps(list(operation["responses"])) + json.dumps(schema))
