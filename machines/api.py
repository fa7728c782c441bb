"""`POST /api/machines/<slug>/events`: how machines, card readers and plugs report jobs.

The body is parsed by machines.events (the same code as the MQTT bridge), so every way in
refuses the same things with the same messages. The OpenAPI schema is at /api/openapi.json."""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from .events import MAX_EVENT_BYTES, EventRejected, JobEventIn, is_machine_slug, parse_event
from .models import Machine
from .permissions import event_token_is_valid
from .services import machine_job_record_event


class MachineToken(HttpBearer):
    """Any bearer token passes here; the view checks it against the machine named in the URL,
    so a missing token answers 401 and a wrong one 403."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return token or None


class EventAccepted(Schema):
    job: int
    state: str
    outcome: str
    applied: bool


class Problem(Schema):
    detail: str


api = NinjaAPI(
    title="Carnet machine events",
    version="1",
    description="Machines report the jobs they run; Carnet invites the member to document.",
    urls_namespace="machines_api",
    docs_url="/docs",
)


@api.post(
    "/machines/{slug}/events",
    auth=MachineToken(),
    response={
        200: EventAccepted,
        400: Problem,
        401: Problem,
        403: Problem,
        404: Problem,
        413: Problem,
    },
    summary="Record a job event",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": JobEventIn.model_json_schema()}},
        }
    },
)
def record_event(request: HttpRequest, slug: str):
    machine = Machine.objects.filter(slug=slug).first() if is_machine_slug(slug) else None
    if machine is None:
        return Status(404, {"detail": f"No machine with the slug {slug!r}."})
    if not event_token_is_valid(machine, request.auth):
        return Status(403, {"detail": "This token does not open this machine."})
    body = _bounded_body(request)
    if body is None:
        return Status(413, {"detail": f"The event is larger than {MAX_EVENT_BYTES} bytes."})
    try:
        event = parse_event(body)
    except EventRejected as error:
        return Status(400, {"detail": str(error)})
    result = machine_job_record_event(machine=machine, event=event, source="api")
    job = result.job
    return Status(
        200,
        {
            "job": job.pk,
            "state": job.state,
            "outcome": job.outcome,
            "applied": result.applied,
        },
    )


def _bounded_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is larger than MAX_EVENT_BYTES. Never more than that is read,
    whatever the transfer encoding: a chunked body has no Content-Length to check first."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # a malformed length: the bounded read below decides
    if declared > MAX_EVENT_BYTES:
        return None
    body = request.read(MAX_EVENT_BYTES + 1)
    return None if len(body) > MAX_EVENT_BYTES else body
