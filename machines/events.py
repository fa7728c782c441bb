"""The job event every way in shares: HTTP, MQTT and the OctoPrint bridge all build one.

The schema is also the OpenAPI description of `POST /api/machines/<slug>/events`."""

import json
from datetime import UTC, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ValidationError, field_validator

# Larger bodies are refused before parsing: a real event is a few hundred bytes.
MAX_EVENT_BYTES = 16 * 1024


class EventRejected(Exception):
    """An event that cannot be recorded; the message says why, for the sender."""


class JobEventIn(Schema):
    event: Literal["start", "progress", "finish"] = Field(
        description="What happened: the job started, made progress, or finished."
    )
    job_id: str = Field(
        min_length=1,
        max_length=100,
        description="The machine's own id for the job; the same id ties its events together.",
    )
    timestamp: datetime | None = Field(
        None,
        description="When it happened (ISO 8601). Without a time zone, UTC. Default: on receipt.",
    )
    badge_uid: str | None = Field(
        None, max_length=64, description="The UID of the badge that started the job."
    )
    username: str | None = Field(None, max_length=150, description="Or the member's username.")
    file_name: str | None = Field(None, max_length=255, description="The file being made.")
    estimated_seconds: int | None = Field(
        None, ge=0, le=7 * 24 * 3600, description="Expected duration of the whole job."
    )
    remaining_seconds: int | None = Field(
        None, ge=0, le=7 * 24 * 3600, description="Time left, from this event's timestamp."
    )
    progress: float | None = Field(None, ge=0, le=100, description="Percent done.")
    outcome: Literal["completed", "cancelled", "failed"] | None = Field(
        None, description="For `finish`: how the machine ended the job (default: completed)."
    )
    material: str | None = Field(None, max_length=120, description="Material in the machine.")
    settings: dict[str, Any] | None = Field(
        None, description="Machine parameters: power, speed, passes, layer height…"
    )

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("settings")
    @classmethod
    def _small_settings(cls, value: dict | None) -> dict | None:
        if value is not None and (len(value) > 50 or len(json.dumps(value)) > 4000):
            raise ValueError("settings: at most 50 keys and 4,000 characters")
        return value


def describe_validation_error(error: ValidationError) -> str:
    """One readable line per problem: `field: message`."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def parse_event(raw: bytes | str | dict) -> JobEventIn:
    """A JobEventIn from a JSON body or a decoded object, or EventRejected with the reason."""
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_EVENT_BYTES:
            raise EventRejected(f"The event is larger than {MAX_EVENT_BYTES} bytes.")
        try:
            raw = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise EventRejected(f"The body is not valid JSON: {error}") from None
    if not isinstance(raw, dict):
        raise EventRejected("The body must be a JSON object.")
    try:
        return JobEventIn.model_validate(raw)
    except ValidationError as error:
        raise EventRejected(describe_validation_error(error)) from None
