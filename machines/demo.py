"""Demo machines and materials of La Machinerie, Amiens, for `manage.py load_demo_data`.

Machines are looked up by slug and materials by name, so loading twice creates nothing twice.
Once the tribes exist, `load_machine_history()` ties the machines to La Machinerie, gives each
a kiosk link, and records four months of finished jobs through the same service the machine
event API calls, so /machines/documentation-rate/ has something to show. It leaves no job
running: `manage.py simulate_machine_job` is how one watches a job live.
"""

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.demo_images import demo_photo, demo_random
from images.services import image_create_from_upload
from projects.models import JournalEntry
from users.models import User

from .events import JobEventIn
from .models import JobOutcome, JobState, Machine, MachineJob, Material
from .services import (
    machine_create,
    machine_job_record_event,
    machine_kiosk_token_rotate,
    machine_update,
)
from .simulation import example_for


@dataclass(frozen=True)
class DemoMachine:
    slug: str
    name: str
    kind: str
    location: str
    photo_theme: str


MACHINES: tuple[DemoMachine, ...] = (
    DemoMachine(
        "trotec-speedy-300",
        "Trotec Speedy 300",
        Machine.Kind.LASER_CUTTER,
        "Atelier laser",
        "laser",
    ),
    DemoMachine(
        "prusa-mk4", "Prusa MK4", Machine.Kind.PRINTER_3D, "Espace impression 3D", "print3d"
    ),
    DemoMachine(
        "creality-ender-3",
        "Creality Ender 3",
        Machine.Kind.PRINTER_3D,
        "Espace impression 3D",
        "print3d",
    ),
    DemoMachine("shapeoko-4", "Shapeoko 4", Machine.Kind.CNC_MILL, "Atelier bois", "cnc"),
    DemoMachine(
        "silhouette-cameo-4",
        "Silhouette Cameo 4",
        Machine.Kind.VINYL_CUTTER,
        "Atelier textile et vinyle",
        "vinyl",
    ),
    DemoMachine(
        "brother-pr680w",
        "Brodeuse Brother PR680W",
        Machine.Kind.EMBROIDERY,
        "Atelier textile et vinyle",
        "textile",
    ),
    DemoMachine(
        "station-soudure",
        "Station de soudure Weller WE1010",
        Machine.Kind.OTHER,
        "Coin électronique",
        "electronics",
    ),
)

# (name, description): the names are the natural keys projects refer to.
MATERIALS: tuple[tuple[str, str], ...] = (
    (
        "Contreplaqué peuplier 3 mm",
        "Plaques de 600 × 400 mm, stock du lab. Laser : autour de 60 % / 20 mm/s, "
        "à vérifier à chaque lot.",
    ),
    (
        "Contreplaqué bouleau 18 mm",
        "Panneaux de 1220 × 610 mm pour la CNC. Épaisseur réelle souvent 18,4 à 18,8 mm : mesurez.",
    ),
    ("MDF 6 mm", "Plaques de 600 × 400 mm. Fumées irritantes : aspiration obligatoire."),
    ("PMMA 3 mm", "Acrylique coulé, transparent et couleurs. L'extrudé fond à la gravure."),
    ("PLA", "Filament 1,75 mm, plusieurs couleurs. Facile, mais se déforme dès 55 °C."),
    ("PETG", "Filament 1,75 mm. Plus résistant à la chaleur et aux chocs que le PLA."),
    ("TPU 95A", "Filament souple 1,75 mm. Imprimer lentement (20 à 25 mm/s)."),
    (
        "Aluminium 2 mm",
        "Tôle 5754 (pliable) et 6061 (usinage). Fraise une dent, passes fines, lubrifier.",
    ),
    ("Vinyle adhésif", "Oracal 651, mat et brillant, rouleaux de 30 cm. Usage extérieur."),
    ("Tissu coton", "Sergé de coton 260 g/m² pour écussons et sacs, toile à patron."),
    ("Toile ripstop nylon", "40 g/m², pour cerfs-volants et sacs légers. Se découpe au laser."),
    ("Chêne massif", "Chutes et plateaux de récupération, à raboter avant usinage."),
    ("Fil à broder polyester", "Madeira Polyneon 40, une trentaine de couleurs."),
)


def load_machines() -> Iterator[tuple[str, bool]]:
    """Create the demo machines; yield (slug, created) for each, skipping existing ones."""
    existing = set(
        Machine.objects.filter(slug__in=[m.slug for m in MACHINES]).values_list("slug", flat=True)
    )
    for machine in MACHINES:
        if machine.slug in existing:
            yield machine.slug, False
            continue
        _create_machine(machine)
        yield machine.slug, True


@transaction.atomic
def _create_machine(demo: DemoMachine) -> Machine:
    photo = image_create_from_upload(
        file=demo_photo(theme=demo.photo_theme, caption=demo.name, seed=demo.slug),
        title=demo.name,
        uploaded_by=None,
    )
    return machine_create(
        user=None,
        name=demo.name,
        slug=demo.slug,
        kind=demo.kind,
        location=demo.location,
        photo=photo,
    )


def load_materials() -> Iterator[tuple[str, bool]]:
    """Create the demo materials; yield (name, created) for each, skipping existing ones."""
    existing = set(
        Material.objects.filter(name__in=[name for name, _ in MATERIALS]).values_list(
            "name", flat=True
        )
    )
    for name, description in MATERIALS:
        if name in existing:
            yield name, False
            continue
        material = Material(name=name, description=description)
        material.full_clean()
        material.save()
        yield name, True


# History: four months of jobs ------------------------------------------------------------------

HISTORY_DAYS = 120
# Each machine's regulars: who runs the jobs nobody documented.
REGULARS: dict[str, tuple[str, ...]] = {
    "trotec-speedy-300": (
        "camille.lefebvre",
        "sophie.dubois",
        "amandine.roux",
        "thomas.petit",
        "club.jules-verne",
    ),
    "prusa-mk4": ("thomas.petit", "julien.moreau", "camille.lefebvre"),
    "creality-ender-3": ("thomas.petit", "julien.moreau", "club.jules-verne"),
    "shapeoko-4": ("bernard.caron", "hugo.lemaire", "camille.lefebvre"),
    "silhouette-cameo-4": ("amandine.roux", "nadia.benali"),
    "brother-pr680w": ("nadia.benali", "sophie.dubois"),
}
# How long a job lasts on each kind of machine, in minutes (shortest, longest).
DURATIONS: dict[str, tuple[int, int]] = {
    Machine.Kind.LASER_CUTTER: (4, 30),
    Machine.Kind.PRINTER_3D: (40, 280),
    Machine.Kind.CNC_MILL: (20, 90),
    Machine.Kind.VINYL_CUTTER: (3, 12),
    Machine.Kind.EMBROIDERY: (15, 50),
    Machine.Kind.OTHER: (15, 60),
}
# Undocumented jobs per week, from the oldest week to this one: before the kiosks asked
# "note what you are trying", few jobs left a trace in a journal.
UNDOCUMENTED_PER_WEEK = (5, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1)
# The machine whose kiosk load_demo_data points to, with the command that runs a job on it.
WATCH_MACHINE = "trotec-speedy-300"
JOB_ID_PREFIX = "demo-"
# What load_machine_history() yields, for the progress bar.
HISTORY_SIZE = 3 + len(MACHINES)


def load_machine_history() -> Iterator[tuple[str, bool]]:
    """Tie the machines to the lab, give them kiosk links, record past jobs; yield
    (label, created) for each item. Run after the members, projects and tribes."""
    from tribes.demo import LA_MACHINERIE

    machines = Machine.objects.filter(slug__in=[m.slug for m in MACHINES]).order_by("pk")
    yield "Machines rattachées à La Machinerie", _link_to_lab(machines, LA_MACHINERIE.slug)
    yield "Liens des kiosques", _give_kiosk_links(machines)
    plans = _plan_history(list(machines))
    for machine in machines:
        yield f"{machine.name} : historique", _record_history(machine, plans.get(machine.pk, []))
    yield "Aucun job en cours", _finish_running_jobs(machines)


def _link_to_lab(machines, tribe_slug: str) -> bool:
    from tribes.models import TribePage

    lab = TribePage.objects.filter(slug=tribe_slug).first()
    if lab is None:
        raise LookupError(f"Demo machines need the tribe {tribe_slug!r}: load the tribes first.")
    changed = False
    for machine in machines:
        if machine.tribe_id is None:  # an admin's later choice is left alone
            machine_update(machine=machine, tribe=lab)
            changed = True
    return changed


def _give_kiosk_links(machines) -> bool:
    """Only machines without one: reloading the demo keeps the links already on screens."""
    missing = [machine for machine in machines if not machine.kiosk_token]
    for machine in missing:
        machine_kiosk_token_rotate(machine=machine)
    return bool(missing)


@dataclass
class _PlannedJob:
    machine: Machine
    member: User
    start: datetime
    end: datetime
    outcome: str
    entries: list = field(default_factory=list)  # journal entries that document it

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return start < self.end and self.start < end


def _plan_history(machines: list[Machine]) -> dict[int, list[_PlannedJob]]:
    """Jobs of the last HISTORY_DAYS, by machine: one before each journal entry written on a
    machine (documented), and the undocumented ones of UNDOCUMENTED_PER_WEEK. Drawn from a
    seeded generator, so each load plans the same history relative to its day."""
    rng = demo_random("machine-history")
    now = timezone.now()
    since = now - timedelta(days=HISTORY_DAYS)
    by_slug = {machine.slug: machine for machine in machines}
    members = {
        user.username: user
        for user in User.objects.filter(username__in={u for r in REGULARS.values() for u in r})
    }
    entries = list(
        JournalEntry.objects.filter(
            machine__in=machines, created_at__gte=since, created_at__lte=now - timedelta(hours=2)
        )
        .exclude(author__badge_uid="")
        .select_related("author", "machine", "project")
        .order_by("created_at", "pk")
    )
    written = {}  # member pk -> times they wrote a journal entry, on any machine or none
    for author_id, created_at in JournalEntry.objects.filter(
        created_at__gte=since - timedelta(days=1)
    ).values_list("author_id", "created_at"):
        written.setdefault(author_id, []).append(created_at)

    plans: dict[int, list[_PlannedJob]] = {}

    def duration(machine: Machine) -> timedelta:
        shortest, longest = DURATIONS.get(machine.kind, DURATIONS[Machine.Kind.OTHER])
        return timedelta(minutes=rng.randint(shortest, longest))

    for entry in entries:
        planned = plans.setdefault(entry.machine_id, [])
        same_session = [
            job
            for job in planned
            if job.member.pk == entry.author_id
            and job.start <= entry.created_at <= job.end + MachineJob.DOCUMENTATION_WINDOW
        ]
        if same_session:  # a second entry about the same job
            same_session[0].entries.append(entry)
            continue
        end = entry.created_at - timedelta(minutes=rng.randint(5, 40))
        start = end - duration(entry.machine)
        if any(job.overlaps(start, end) for job in planned):
            continue
        outcome = JobOutcome.COMPLETED
        if entry.outcome == "failed" and rng.random() < 0.5:
            outcome = JobOutcome.FAILED
        planned.append(_PlannedJob(entry.machine, entry.author, start, end, outcome, [entry]))

    week = timedelta(days=HISTORY_DAYS) / len(UNDOCUMENTED_PER_WEEK)  # about 7 days
    for number, count in enumerate(UNDOCUMENTED_PER_WEEK):
        week_start = since + week * number
        for _number in range(count):
            slug = rng.choice(sorted(REGULARS))
            machine = by_slug.get(slug)
            member = members.get(rng.choice(REGULARS[slug]))
            if machine is None or member is None or not member.badge_uid:
                continue
            planned = plans.setdefault(machine.pk, [])
            for _attempt in range(5):
                day = timezone.localtime(week_start + week * rng.random())
                start = day.replace(
                    hour=rng.choice(_LAB_HOURS), minute=rng.randrange(0, 60, 5), second=0
                )
                end = start + duration(machine)
                window_end = end + MachineJob.DOCUMENTATION_WINDOW
                documented = any(start <= t <= window_end for t in written.get(member.pk, ()))
                busy = any(job.overlaps(start, end) for job in planned)
                too_old_or_new = start < since or window_end > now - timedelta(hours=1)
                if not (documented or busy or too_old_or_new):
                    planned.append(_PlannedJob(machine, member, start, end, _outcome(rng)))
                    break
    return plans


# Hours at which members are at the lab (as in projects.demo).
_LAB_HOURS = (10, 11, 14, 15, 16, 17, 18, 19, 20)


def _outcome(rng) -> str:
    draw = rng.random()
    if draw < 0.08:
        return JobOutcome.FAILED
    if draw < 0.12:
        return JobOutcome.CANCELLED
    return JobOutcome.COMPLETED


def _badge_as_read(uid: str, rng) -> str:
    """Readers spell UIDs their own way; Carnet normalises them (users.badges)."""
    compact = uid.replace(":", "")
    return rng.choice((uid, compact.lower(), "-".join(uid.split(":")), compact))


@transaction.atomic
def _record_history(machine: Machine, plan: list[_PlannedJob]) -> bool:
    """Send each planned job's events through machine_job_record_event, as the machine would
    have; tie the journal entries to their jobs. Skipped once the machine has demo jobs."""
    if not plan or machine.jobs.filter(external_id__startswith=JOB_ID_PREFIX).exists():
        return False
    rng = demo_random("machine-history", machine.slug)
    example = example_for(machine.kind)
    for number, planned in enumerate(sorted(plan, key=lambda job: job.start), start=1):
        job_id = f"{JOB_ID_PREFIX}{planned.start:%Y%m%d-%H%M}-{number}"
        seconds = int((planned.end - planned.start).total_seconds())
        details = {
            "badge_uid": _badge_as_read(planned.member.badge_uid, rng),
            "file_name": rng.choice(example.files),
            "estimated_seconds": seconds,
            "settings": example.settings or None,
        }
        if example.materials:
            details["material"] = rng.choice(example.materials)
        events = [("start", planned.start, details)]
        if seconds > 1800:  # long jobs (prints) report their progress now and then
            middle = planned.start + (planned.end - planned.start) / 2
            events.append(("progress", middle, {"progress": 50, "remaining_seconds": seconds // 2}))
        events.append(("finish", planned.end, {"outcome": planned.outcome}))
        for kind, at, fields in events:
            event = JobEventIn(event=kind, job_id=job_id, timestamp=at, **fields)
            job = machine_job_record_event(machine=machine, event=event, source="demo").job
        if planned.entries:
            _tie_entries(job, planned.entries)
    return True


def _tie_entries(job: MachineJob, entries: list) -> None:
    """Half the documented jobs got their entry from the kiosk's quick log (tied to the job);
    the others were written in the member's journal within the hour, which counts too."""
    first = entries[0]
    if job.pk % 2 == 0:
        JournalEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(job=job)
    MachineJob.objects.filter(pk=job.pk).update(
        project=first.project, member_outcome=first.outcome or ""
    )


def _finish_running_jobs(machines) -> bool:
    """A job left running (a simulation stopped half-way) is ended as cancelled."""
    running = MachineJob.objects.filter(machine__in=machines, state=JobState.RUNNING)
    changed = False
    for job in running.select_related("machine"):
        event = JobEventIn(event="finish", job_id=job.external_id, outcome="cancelled")
        changed |= machine_job_record_event(machine=job.machine, event=event, source="demo").applied
    return changed


def simulated_member() -> User | None:
    """Who `simulate_machine_job` runs a job as by default: the first demo member (not staff)
    with a badge."""
    from users.demo import MEMBERS

    usernames = [member.username for member in MEMBERS]
    users = User.objects.filter(username__in=usernames, is_active=True, is_staff=False).exclude(
        badge_uid=""
    )
    by_username = {user.username: user for user in users}
    return next((by_username[name] for name in usernames if name in by_username), None)


def _python() -> str:
    """The interpreter as the reader would type it: `.venv/bin/python` in a checkout."""
    here = os.getcwd()
    if sys.executable.startswith(here + os.sep):
        return os.path.relpath(sys.executable, here)
    return "python"


@dataclass(frozen=True)
class WatchLive:
    kiosk_url: str
    command: str
    member: str


def watch_live(base_url: str = "http://127.0.0.1:8000") -> WatchLive | None:
    """The kiosk to open, the command that runs a job on it and the member to log in as, for
    the end of the load."""
    machine = Machine.objects.filter(slug=WATCH_MACHINE).first()
    if machine is None or not machine.kiosk_token:
        return None
    member = simulated_member()
    return WatchLive(
        kiosk_url=f"{base_url}{machine.kiosk_url}",
        command=f"{_python()} manage.py simulate_machine_job {machine.slug} --minutes 3",
        member=member.username if member else "",
    )
