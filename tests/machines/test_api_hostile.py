"""Hostile input to the machine event API, the bridges and the pages that show jobs: a clear
4xx with a message, never a 500, and nothing recorded. These run on SQLite (`make test`) and on
PostgreSQL (`make test-postgres`), where NUL characters, odd time zone offsets and dates near
the calendar's end used to fail inside the database."""

import http.client
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from machines import services
from machines.bridges.mqtt import MachineEventBridge
from machines.events import MAX_EVENT_BYTES, MAX_SECONDS
from machines.factories import MachineFactory, MachineJobFactory
from machines.models import JobState, MachineJob, MachineJobEvent
from projects.factories import ProjectPageFactory
from tests.helpers import EnglishClient, login
from users.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/machines/laser-hostile/events"
NOW = timezone.now()
SOON = (NOW - timedelta(minutes=5)).isoformat()
# Text fields and the length of the column each one goes to.
TEXT_FIELDS = {"job_id": 100, "badge_uid": 64, "username": 150, "file_name": 255, "material": 120}
NUMBER_FIELDS = {
    "progress": 100,
    "estimated_seconds": MAX_SECONDS,
    "remaining_seconds": MAX_SECONDS,
}


@pytest.fixture
def machine():
    return MachineFactory(slug="laser-hostile")


@pytest.fixture
def token(machine):
    return services.machine_token_rotate(machine=machine)


@pytest.fixture
def post(client, token):
    client.raise_request_exception = False  # a 500 must show as a status, not as an exception

    def send(body, **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        headers = {"Authorization": f"Bearer {token}"}
        return client.post(
            extra.pop("url", URL),
            data=data,
            content_type="application/json",
            headers=headers,
            **extra,
        )

    return send


def event(**fields) -> dict:
    return {"event": "start", "job_id": "hostile-1", "timestamp": SOON, **fields}


def assert_refused(response, *statuses: int, mentions: str = ""):
    statuses = statuses or (400,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip(), response.content
    assert mentions in detail, detail
    assert not MachineJob.objects.exists()
    assert not MachineJobEvent.objects.exists()


# Every text field ---------------------------------------------------------------------------

TEXT_VALUES = {
    "NUL": "plaque\x00.svg",
    "a lone NUL": "\x00",
    "a bell": "abc\x07",
    "an escape sequence": "\x1b[31mred",
    "a C1 control": "x\x85y",
    "a number": 12,
    "a list": ["a"],
    "an object": {"a": 1},
    "true": True,
}


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("case", TEXT_VALUES)
def test_a_text_field_with_control_characters_or_the_wrong_type_is_400(post, field, case):
    assert_refused(post(event(**{field: TEXT_VALUES[case]})), mentions=field)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_text_field_longer_than_its_column_is_400(post, field):
    assert_refused(post(event(**{field: "x" * (TEXT_FIELDS[field] + 1)})), mentions=field)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_text_field_with_a_lone_surrogate_is_400(post, field):
    raw = json.dumps(event())[:-1] + f', "{field}": "a\\ud800b"}}'  # the last key wins
    assert_refused(post(raw), mentions=field)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_text_field_as_long_as_its_column_is_recorded(post, field):
    value = "04" * (TEXT_FIELDS[field] // 2) if field == "badge_uid" else "é" * TEXT_FIELDS[field]
    response = post(event(**{field: value}))
    assert response.status_code == 200, response.content
    assert MachineJob.objects.count() == 1


# Numbers ------------------------------------------------------------------------------------

NUMBER_VALUES = {
    "negative": -1,
    "one past the limit": "LIMIT+1",
    "huge": 10**30,
    "huger than a float": "1e400",
    "four hundred digits": "1" + "0" * 400,
    "NaN": "NaN",
    "Infinity": "Infinity",
    "text": '"12"x',
    "a list": "[1]",
    "an object": '{"a": 1}',
}


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("case", NUMBER_VALUES)
def test_a_number_out_of_bounds_or_not_a_number_is_400(post, field, case):
    value = NUMBER_VALUES[case]
    if value == "LIMIT+1":
        value = NUMBER_FIELDS[field] + 1
    raw = json.dumps(event(**{field: 0})).replace(
        f'"{field}": 0', f'"{field}": {value if isinstance(value, str) else json.dumps(value)}'
    )
    # Numbers JSON cannot hold, and broken JSON, are refused by the parser, before any field.
    at_parse = case in ("huger than a float", "NaN", "Infinity", "text")
    assert_refused(post(raw), mentions="JSON" if at_parse else field)


def test_a_fractional_duration_is_400(post):
    assert_refused(post(event(estimated_seconds=1.5)), mentions="estimated_seconds")


# Time stamps --------------------------------------------------------------------------------

TIMESTAMPS = {
    "the calendar's end": "9999-12-31T23:59:59Z",
    "the calendar's start": "0001-01-01T00:00:00Z",
    "the start, 23:59 east": "0001-01-01T00:00:00+23:59",
    "the end, 23:59 west": "9999-12-31T23:59:59-23:59",
    "now, 23:59 east": "NOW+23:59",
    "now, 15 hours west": "NOW-15:00",
    "two days ahead": (NOW + timedelta(days=2)).isoformat(),
    "two years back": (NOW - timedelta(days=730)).isoformat(),
    "a huge unix time": 1e30,
    "a negative unix time": -1e12,
    "not a date": "yesterday",
    "no such day": "2026-02-30T10:00:00Z",
    "a list": ["2026-01-01"],
}


@pytest.mark.parametrize("case", TIMESTAMPS)
def test_a_timestamp_far_from_now_or_odd_is_400_with_a_message(post, case):
    value = TIMESTAMPS[case]
    if isinstance(value, str) and value.startswith("NOW"):
        offset = value.removeprefix("NOW")
        value = NOW.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + offset
    assert_refused(post(event(timestamp=value)), mentions="timestamp")


def test_far_timestamps_are_refused_for_every_kind_of_event(post):
    for kind in ("start", "progress", "finish"):
        assert_refused(post(event(event=kind, timestamp="9999-12-31T23:59:59Z")), mentions="clock")


def test_a_timestamp_in_a_real_time_zone_is_recorded_in_utc(post):
    local = (NOW - timedelta(hours=1)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    response = post(event(timestamp=local.isoformat(timespec="seconds") + "+14:00"))
    assert response.status_code == 200, response.content
    job = MachineJob.objects.get()
    assert job.started_at == local.replace(tzinfo=UTC) - timedelta(hours=14)


# Settings -----------------------------------------------------------------------------------

SETTINGS = {
    "NUL in a value": {"power": "60\x00%"},
    "NUL in a key": {"po\x00wer": 60},
    "NUL deep inside": {"passes": [{"speed": "\x00"}]},
    "nested too deep": {"a": {"b": {"c": {"d": 1}}}},
    "a huge number": {"power": 10**20},
    "a number too long for a float": {"power": 10**400},
    "too many keys": {f"k{n}": n for n in range(51)},
    "too long": {"notes": "x" * 4001},
    "a list": [1, 2],
    "text": "power 60",
}


@pytest.mark.parametrize("case", SETTINGS)
def test_settings_that_could_not_be_stored_or_shown_are_400(post, case):
    assert_refused(post(event(settings=SETTINGS[case])), mentions="settings")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_settings_with_numbers_json_cannot_mean_are_400(post, constant):
    raw = json.dumps(event(settings={"power": 0})).replace('"power": 0', f'"power": {constant}')
    assert_refused(post(raw))


# Bodies -------------------------------------------------------------------------------------

BODIES = {
    "invalid JSON": b"{'event': 'start'",
    "empty": b"",
    "an array": b"[1, 2]",
    "a string": b'"start"',
    "null": b"null",
    "not UTF-8": b'{"event": "start", "job_id": "\xff\xfe"}',
    "nested junk": b"[" * 5000 + b"]" * 5000,
    "deep junk in a field": b'{"event": "start", "job_id": "x", "extra": '
    + b"[" * 3000
    + b"]" * 3000
    + b"}",
    "no event": b'{"job_id": "x"}',
    "an unknown event": b'{"event": "explode", "job_id": "x"}',
    "an unknown outcome": b'{"event": "finish", "job_id": "x", "outcome": "interrupted"}',
}


@pytest.mark.parametrize("case", BODIES)
def test_a_body_that_is_not_an_event_is_400_with_a_message(post, case):
    assert_refused(post(BODIES[case]))


def test_a_body_over_the_limit_is_413_before_being_read(post):
    body = json.dumps(event(file_name="x" * MAX_EVENT_BYTES)).encode()
    assert_refused(post(body), 413, mentions=str(MAX_EVENT_BYTES))


def test_an_understated_content_length_does_not_let_a_large_body_through(client, token):
    client.raise_request_exception = False
    body = json.dumps(event(file_name="x" * MAX_EVENT_BYTES)).encode()
    response = client.generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
        CONTENT_LENGTH="10",
    )
    assert response.status_code == 400, response.content  # the 10 bytes read are not JSON
    assert not MachineJob.objects.exists()


@pytest.mark.parametrize("length", ["abc", "-5", "1e9"])
def test_a_malformed_content_length_is_no_500(client, token, length):
    client.raise_request_exception = False
    response = client.generic(
        "POST",
        URL,
        json.dumps(event()).encode(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
        CONTENT_LENGTH=length,
    )
    assert 400 <= response.status_code < 500 or response.status_code == 200, response.content


@pytest.mark.parametrize("slug", ["laser%00hostile", "%00", "x" * 300, "la%C3%A9ser", "a%20b"])
def test_a_strange_machine_slug_names_no_machine(post, slug):
    response = post(event(), url=f"/api/machines/{slug}/events")
    # A NUL in a path may be refused as a bad request before any view.
    assert response.status_code in ((400, 404) if "%00" in slug else (404,)), response.content
    if response.status_code == 404:
        assert "slug" in response.json()["detail"]
    assert not MachineJob.objects.exists()


def test_a_huge_or_strange_token_is_403(client, machine):
    client.raise_request_exception = False
    for token in ("x" * 10_000, "cm_é", "cm_\x7f"):
        response = client.post(
            URL,
            data=json.dumps(event()),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (401, 403), (token[:10], response.content)
    assert not MachineJob.objects.exists()


# Chunked bodies, read from a real connection ----------------------------------------------


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def _post_chunked(base_url: str, token: str, body) -> tuple[int, dict]:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(
            "POST",
            URL,
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("size", [MAX_EVENT_BYTES + 1, 10 * 1024 * 1024])
def test_a_chunked_body_over_the_limit_without_content_length_is_413(
    carnet_under_uvicorn, machine, token, size
):
    status, answer = _post_chunked(carnet_under_uvicorn, token, _chunks(size))
    assert status == 413, answer
    assert str(MAX_EVENT_BYTES) in answer["detail"]
    assert not MachineJob.objects.exists()


def test_a_chunked_event_within_the_limit_is_recorded(carnet_under_uvicorn, machine, token):
    body = json.dumps(event(file_name="boite.svg")).encode()
    status, answer = _post_chunked(carnet_under_uvicorn, token, iter([body[:20], body[20:]]))
    assert (status, answer["applied"]) == (200, True), answer
    assert MachineJob.objects.get().file_name == "boite.svg"


# The bridges refuse the same things --------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        json.dumps(event(job_id="a\x00b")).encode(),
        json.dumps(event(timestamp="9999-12-31T23:59:59Z")).encode(),
        json.dumps(event(timestamp="2026-12-01T10:00:00+23:59")).encode(),
        json.dumps(event(settings={"k": "\x00"})).encode(),
        b"[" * 5000,
    ],
)
def test_the_mqtt_bridge_skips_what_the_api_refuses(machine, payload, caplog):
    bridge = MachineEventBridge(url="mqtt://127.0.0.1:1")  # never connected: messages by hand
    assert bridge.handle_message("carnet/machines/laser-hostile/events", payload) is None
    assert "Skipped" in caplog.text
    assert not MachineJob.objects.exists()


def test_the_mqtt_bridge_skips_a_topic_naming_no_plain_slug(machine):
    bridge = MachineEventBridge(url="mqtt://127.0.0.1:1")
    payload = json.dumps(event()).encode()
    assert bridge.handle_message("carnet/machines/laser\x00hostile/events", payload) is None
    assert not MachineJob.objects.exists()


# Odd values kept before the checks never break the pages -----------------------------------

ODD_TIMES = {
    "the calendar's end": datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    "the calendar's start": datetime(1, 1, 1, 0, 0, tzinfo=UTC),
}


@pytest.mark.parametrize("case", ODD_TIMES)
def test_a_job_with_a_stored_odd_time_never_breaks_the_pages(case):
    odd = ODD_TIMES[case]
    member = UserFactory()
    machine = MachineFactory(slug="laser-odd", kiosk_token="kiosk-secret")
    running = MachineJobFactory(
        machine=machine, member=member, project=ProjectPageFactory(owner=member)
    )
    finished = MachineJobFactory(machine=machine, member=member, state=JobState.FINISHED)
    MachineJob.objects.filter(pk=running.pk).update(
        started_at=odd, expected_end_at=odd, last_event_at=odd
    )
    MachineJob.objects.filter(pk=finished.pk).update(started_at=odd, finished_at=odd)
    visitor = EnglishClient(raise_request_exception=False)
    pages = [
        machine.get_absolute_url(),
        "/machines/laser-odd/kiosk/?token=kiosk-secret",
        "/machines/laser-odd/kiosk/state/?token=kiosk-secret",
        "/machines/",
        "/",
    ]
    for url in pages:
        assert visitor.get(url).status_code == 200, url
    login(visitor, member)
    for url in [
        "/machines/me/banner/",
        f"/machines/jobs/{running.pk}/",
        "/machines/laser-odd/job/",
    ]:
        assert visitor.get(url).status_code in (200, 302), url
    staff = login(EnglishClient(raise_request_exception=False), UserFactory(is_staff=True))
    assert staff.get("/machines/documentation-rate/").status_code == 200


def test_a_running_job_with_an_odd_expected_end_shows_the_time_since_its_start():
    machine = MachineFactory(slug="laser-odd-end", kiosk_token="kiosk-secret")
    job = MachineJobFactory(machine=machine)
    MachineJob.objects.filter(pk=job.pk).update(
        expected_end_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    )
    response = EnglishClient().get("/machines/laser-odd-end/kiosk/state/?token=kiosk-secret")
    assert b"data-elapsed-from=" in response.content
    assert b"data-countdown-to=" not in response.content
