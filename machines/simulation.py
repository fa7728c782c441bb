"""A pretend machine: the events a real one would send for one job, and how to send them.

`manage.py simulate_machine_job` drives a job through the real HTTP API with these, so the
kiosk and the member's banner can be watched live without a machine; the demo history uses
the same examples of files, materials and settings."""

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .models import Machine


@dataclass(frozen=True)
class KindExample:
    """What a job on this kind of machine typically makes, with what, and how."""

    files: tuple[str, ...]
    materials: tuple[str, ...]
    settings: dict = field(default_factory=dict)


EXAMPLES: dict[str, KindExample] = {
    Machine.Kind.LASER_CUTTER: KindExample(
        ("boite-a-bijoux.svg", "cerf-volant-gabarit.svg", "lampe-cathedrale.svg", "badges.svg"),
        ("Contreplaqué peuplier 3 mm", "PMMA 3 mm", "MDF 6 mm"),
        {"power": "60 %", "speed": "20 mm/s", "passes": 1},
    ),
    Machine.Kind.PRINTER_3D: KindExample(
        ("main-enable-phoenix.gcode", "boitier-bme280.gcode", "support-capteur.gcode"),
        ("PLA", "PETG", "TPU 95A"),
        {"layer_height": "0.2 mm", "nozzle": "215 °C", "infill": "15 %"},
    ),
    Machine.Kind.CNC_MILL: KindExample(
        ("planche-rigole.nc", "etagere-montants.nc", "bartop-facade.nc"),
        ("Chêne massif", "Contreplaqué bouleau 18 mm", "Aluminium 2 mm"),
        {"tool": "fraise 6 mm 2 dents", "feed": "1200 mm/min", "depth_per_pass": "1.5 mm"},
    ),
    Machine.Kind.VINYL_CUTTER: KindExample(
        ("stickers-jardins.studio3", "lettrage-vitrine.svg"),
        ("Vinyle adhésif",),
        {"blade": 3, "force": 12, "speed": 5},
    ),
    Machine.Kind.EMBROIDERY: KindExample(
        ("ecusson-machinerie.pes", "initiales-sac.pes"),
        ("Tissu coton", "Fil à broder polyester"),
        {"hoop": "100 × 100 mm", "colours": 3},
    ),
    Machine.Kind.OTHER: KindExample(("carte-capteur",), (), {"temperature": "350 °C"}),
}


def example_for(kind: str) -> KindExample:
    return EXAMPLES.get(kind, EXAMPLES[Machine.Kind.OTHER])


def simulated_member():
    """Who a simulated job is run as by default: the longest-standing active member with a
    badge who is not staff (`camille.lefebvre` in the demo)."""
    members = get_user_model().objects.filter(is_active=True, is_staff=False).exclude(badge_uid="")
    return members.order_by("date_joined", "pk").first()


@dataclass(frozen=True)
class PlannedEvent:
    at: float  # seconds after the start
    payload: dict


def job_events(
    *,
    job_id: str,
    total_seconds: float,
    step_seconds: float,
    fail: bool = False,
    details: dict | None = None,
) -> Iterator[PlannedEvent]:
    """Start, a progress every `step_seconds` with the time left, then the finish. A failing
    job stops halfway, as a print that comes off the bed would."""
    total_seconds = max(total_seconds, 0.0)
    step_seconds = max(step_seconds, 0.05)
    yield PlannedEvent(
        0.0,
        {
            "event": "start",
            "job_id": job_id,
            "estimated_seconds": math.ceil(total_seconds),
            **(details or {}),
        },
    )
    end = total_seconds / 2 if fail else total_seconds
    # Counting steps (not adding floats) keeps the last progress strictly before the end.
    for number in range(1, math.ceil(end / step_seconds)):
        at = number * step_seconds
        yield PlannedEvent(
            at,
            {
                "event": "progress",
                "job_id": job_id,
                "progress": round(100 * at / total_seconds, 1),
                "remaining_seconds": math.ceil(total_seconds - at),
            },
        )
    yield PlannedEvent(
        end, {"event": "finish", "job_id": job_id, "outcome": "failed" if fail else "completed"}
    )


class ServerUnreachable(Exception):
    """Nothing answered at the address (connection refused, unknown host, time-out)."""


class EventRefused(Exception):
    """The server answered with an error; `detail` is its explanation."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


def check_server(*, base_url: str, timeout: float = 10) -> None:
    """Raise ServerUnreachable unless a Carnet answers at `base_url` (its API schema)."""
    try:
        with urllib.request.urlopen(  # noqa: S310 (an address given by the operator)
            urllib.parse.urljoin(base_url, "api/openapi.json"), timeout=timeout
        ) as response:
            response.read(1)
    except urllib.error.HTTPError as error:
        raise ServerUnreachable(f"HTTP {error.code} for /api/openapi.json") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise ServerUnreachable(str(getattr(error, "reason", error))) from None


def post_event(*, url: str, token: str, payload: dict, timeout: float = 10) -> dict:
    """POST one event as a machine would; the server's JSON answer, or an exception."""
    request = urllib.request.Request(  # noqa: S310 (http(s) addresses given by the operator)
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "User-Agent": "carnet-simulate-machine-job",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise EventRefused(error.code, _error_detail(error)) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise ServerUnreachable(str(reason)) from None


def _error_detail(error: urllib.error.HTTPError) -> str:
    body = error.read()[:2000]
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return detail
    if detail:  # django-ninja's own validation errors: a list of problems
        return json.dumps(detail, ensure_ascii=False)
    return body.decode(errors="replace").strip()[:300] or error.reason
