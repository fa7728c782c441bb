"""The job event every way in shares: HTTP, MQTT and the OctoPrint bridge all build one.

The schema is also the OpenAPI description of `POST /api/machines/<slug>/events`. It is the one
place where what a machine sends is checked, so every way in refuses the same things with the
same messages: text without control characters and no longer than the column it goes to, times
in UTC and near the receiving clock, numbers finite and bounded, settings small and shallow."""

import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from django.core.validators import slug_re
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

# Larger bodies are refused before parsing: a real event is a few hundred bytes.
MAX_EVENT_BYTES = 16 * 1024
# Machines buffer events and their clocks drift, but not by this much: a date further away is a
# broken clock, and recording it would put the job's countdown past what dates can hold.
MAX_AHEAD = timedelta(days=1)
MAX_BEHIND = timedelta(days=365)
# Real time zones lie between UTC-12 and UTC+14; PostgreSQL refuses offsets beyond ±15:59.
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
MAX_SECONDS = 7 * 24 * 3600
# Settings are a machine's parameters (power, speed, layer height): small, flat or nearly.
MAX_SETTINGS_KEYS = 50
MAX_SETTINGS_CHARS = 4000
MAX_SETTINGS_DEPTH = 3
MAX_SETTING_NUMBER = 10**15

# C0 and C1 controls (NUL among them) and lone surrogates: no machine means them, PostgreSQL
# refuses NUL in text and JSON, and lone surrogates cannot be stored as UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class EventRejected(Exception):
    """An event that cannot be recorded; the message says why, for the sender."""


def has_unprintable(value: str) -> bool:
    return bool(_UNPRINTABLE.search(value))


def is_machine_slug(value: str) -> bool:
    """Whether a slug from a URL or a topic can name a machine: anything else names none (and
    NUL would not even reach PostgreSQL)."""
    return len(value) <= 120 and bool(slug_re.match(value))


def _printable(value: str) -> str:
    if has_unprintable(value):
        raise PydanticCustomError(
            "control_character", "Text must not contain control characters (such as NUL)"
        )
    return value


Text = Annotated[str, AfterValidator(_printable)]


def _check_setting(value: Any, depth: int) -> None:
    """Raise PydanticCustomError when a setting value could not be stored or shown as sent."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        _printable(value)
    elif isinstance(value, int | float):
        # abs() first: math.isfinite() of a very long integer overflows.
        if abs(value) > MAX_SETTING_NUMBER or not math.isfinite(value):
            raise PydanticCustomError(
                "setting_number",
                "Numbers must be finite and at most {limit} in size",
                {"limit": f"{MAX_SETTING_NUMBER:.0e}"},
            )
    elif isinstance(value, list | dict):
        if depth >= MAX_SETTINGS_DEPTH:
            raise PydanticCustomError(
                "setting_depth",
                "Settings may nest lists and objects {depth} levels deep at most",
                {"depth": MAX_SETTINGS_DEPTH},
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                _printable(key)
            _check_setting(item, depth + 1)
    else:
        raise PydanticCustomError(
            "setting_type", "Settings hold text, numbers, true/false, null, lists and objects"
        )


class JobEventIn(Schema):
    # NaN and infinities are not numbers a machine can mean, and PostgreSQL's JSON refuses them.
    model_config = ConfigDict(allow_inf_nan=False)

    event: Literal["start", "progress", "finish"] = Field(
        description="What happened: the job started, made progress, or finished."
    )
    job_id: Text = Field(
        min_length=1,
        max_length=100,
        description="The machine's own id for the job; the same id ties its events together.",
    )
    timestamp: datetime | None = Field(
        None,
        description=(
            "When it happened (ISO 8601). Without a time zone, UTC. Default: on receipt. "
            "At most a day ahead of Carnet's clock and a year behind it."
        ),
    )
    badge_uid: Text | None = Field(
        None, max_length=64, description="The UID of the badge that started the job."
    )
    username: Text | None = Field(None, max_length=150, description="Or the member's username.")
    file_name: Text | None = Field(None, max_length=255, description="The file being made.")
    estimated_seconds: int | None = Field(
        None, ge=0, le=MAX_SECONDS, description="Expected duration of the whole job."
    )
    remaining_seconds: int | None = Field(
        None, ge=0, le=MAX_SECONDS, description="Time left, from this event's timestamp."
    )
    progress: float | None = Field(None, ge=0, le=100, description="Percent done.")
    outcome: Literal["completed", "cancelled", "failed"] | None = Field(
        None, description="For `finish`: how the machine ended the job (default: completed)."
    )
    material: Text | None = Field(None, max_length=120, description="Material in the machine.")
    settings: dict[str, Any] | None = Field(
        None,
        description=(
            "Machine parameters: power, speed, passes, layer height… At most 50 keys, "
            "4,000 characters and 3 levels of nesting."
        ),
    )

    @field_validator("timestamp")
    @classmethod
    def _utc_and_near_now(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        offset = value.utcoffset()
        if offset is not None and not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise PydanticCustomError(
                "time_zone",
                "No time zone is {offset} from UTC (they range from -12:00 to +14:00)",
                {"offset": _offset_text(offset)},
            )
        try:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        except OverflowError:
            raise PydanticCustomError("date_range", "The date is out of range") from None
        now = timezone.now()
        if value > now + MAX_AHEAD:
            raise PydanticCustomError(
                "clock_ahead",
                "More than a day ahead of Carnet's clock ({now}): check the machine's clock",
                {"now": f"{now:%Y-%m-%dT%H:%M:%SZ}"},
            )
        if value < now - MAX_BEHIND:
            raise PydanticCustomError(
                "clock_behind",
                "More than a year behind Carnet's clock ({now}): check the machine's clock",
                {"now": f"{now:%Y-%m-%dT%H:%M:%SZ}"},
            )
        return value

    @field_validator("settings")
    @classmethod
    def _small_settings(cls, value: dict | None) -> dict | None:
        if value is None:
            return None
        for key, item in value.items():
            _printable(key)
            _check_setting(item, 1)
        if len(value) > MAX_SETTINGS_KEYS or len(json.dumps(value)) > MAX_SETTINGS_CHARS:
            raise PydanticCustomError(
                "settings_size",
                "At most {keys} keys and {chars} characters",
                {"keys": MAX_SETTINGS_KEYS, "chars": f"{MAX_SETTINGS_CHARS:,}"},
            )
        return value


def _offset_text(offset: timedelta) -> str:
    minutes = round(offset.total_seconds() / 60)
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def describe_validation_error(error: ValidationError) -> str:
    """One readable line per problem: `field: message`."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number Carnet can store")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def parse_event(raw: bytes | str | dict) -> JobEventIn:
    """A JobEventIn from a JSON body or a decoded object, or EventRejected with the reason."""
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_EVENT_BYTES:
            raise EventRejected(f"The event is larger than {MAX_EVENT_BYTES} bytes.")
        try:
            raw = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, UnicodeDecodeError) as error:
            raise EventRejected(f"The body is not valid JSON: {error}") from None
        except RecursionError:
            raise EventRejected("The body nests lists or objects too deeply.") from None
    if not isinstance(raw, dict):
        raise EventRejected("The body must be a JSON object.")
    try:
        return JobEventIn.model_validate(raw)
    except ValidationError as error:
        raise EventRejected(describe_validation_error(error)) from None
