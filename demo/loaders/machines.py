"""The demo machines and materials, then four months of their jobs.

Machines are looked up by slug and materials by name, so loading twice creates nothing twice.
Once the tribes exist, `load_machine_history()` ties the machines to the lab's tribe, gives each
a kiosk link, and records past jobs through the same service the machine event API calls, so
/machines/documentation-rate/ has something to show. It leaves no job running:
`manage.py simulate_machine_job` is how one watches a job live.
"""

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from images.services import image_create_from_upload
from machines.events import JobEventIn
from machines.models import JobOutcome, JobState, Machine, MachineJob, Material
from machines.services import (
    machine_create,
    machine_job_record_event,
    machine_kiosk_token_rotate,
    machine_update,
)
from machines.simulation import example_for, simulated_member
from projects.models import JournalEntry
from tribes.models import TribePage
from users.models import User

from ..photos import demo_photo, demo_random
from ..reader import DemoContent, DemoHistory, DemoMachine, DemoMaterial
from .missing import create_missing

JOB_ID_PREFIX = "demo-"
# Hours at which members are at the lab (as in the projects' timelines).
_LAB_HOURS = (10, 11, 14, 15, 16, 17, 18, 19, 20)


def load_machines(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo machines; yield (slug, created) for each, skipping existing ones."""
    return create_missing(
        content.lab.machines,
        model=Machine,
        field="slug",
        key=lambda machine: machine.slug,
        create=_create_machine,
    )


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


def load_materials(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo materials; yield (name, created) for each, skipping existing ones."""
    return create_missing(
        content.lab.materials,
        model=Material,
        field="name",
        key=lambda material: material.name,
        create=_create_material,
    )


def _create_material(demo: DemoMaterial) -> Material:
    material = Material(name=demo.name, description=demo.description)
    material.full_clean()
    material.save()
    return material


# History: months of jobs ------------------------------------------------------------------------


def history_size(content: DemoContent) -> int:
    """What load_machine_history() yields, for the progress bar."""
    return 3 + len(content.lab.machines)


def load_machine_history(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Tie the machines to the lab, give them kiosk links, record past jobs; yield
    (label, created) for each item. Run after the members, projects and tribes."""
    lab = content.lab
    machines = Machine.objects.filter(slug__in=[m.slug for m in lab.machines]).order_by("pk")
    yield f"Machines rattachées à {lab.tribe}", _link_to_lab(machines, lab.tribe)
    yield "Liens des kiosques", _give_kiosk_links(machines)
    regulars = {machine.slug: machine.regulars for machine in lab.machines if machine.regulars}
    plans = _plan_history(list(machines), lab.history, regulars)
    for machine in machines:
        yield f"{machine.name} : historique", _record_history(machine, plans.get(machine.pk, []))
    yield "Aucun job en cours", _finish_running_jobs(machines)


def _link_to_lab(machines, tribe_title: str) -> bool:
    lab = TribePage.objects.filter(title=tribe_title).first()
    if lab is None:
        raise LookupError(f"Demo machines need the tribe {tribe_title!r}: load the tribes first.")
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


def _plan_history(
    machines: list[Machine], history: DemoHistory, regulars: dict[str, tuple[str, ...]]
) -> dict[int, list[_PlannedJob]]:
    """Jobs of the last `history.days`, by machine: one before each journal entry written on a
    machine (documented), and the undocumented ones of each week. Drawn from a seeded
    generator, so each load plans the same history relative to its day."""
    rng = demo_random("machine-history")
    now = timezone.now()
    since = now - timedelta(days=history.days)
    by_slug = {machine.slug: machine for machine in machines}
    members = {
        user.username: user
        for user in User.objects.filter(username__in={u for r in regulars.values() for u in r})
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
        minutes = history.job_minutes
        shortest, longest = minutes.get(machine.kind, minutes[Machine.Kind.OTHER])
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

    per_week = history.undocumented_jobs_per_week
    week = timedelta(days=history.days) / len(per_week)  # about 7 days
    for number, count in enumerate(per_week):
        week_start = since + week * number
        for _number in range(count):
            slug = rng.choice(sorted(regulars))
            machine = by_slug.get(slug)
            member = members.get(rng.choice(regulars[slug]))
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


# The end of the load: watching a job live --------------------------------------------------------


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


def watch_live(content: DemoContent, base_url: str) -> WatchLive | None:
    """The kiosk to open, the command that runs a job on it and the member to log in as (the one
    `simulate_machine_job` runs the job as), for the end of the load."""
    machine = Machine.objects.filter(slug=content.lab.watch_machine).first()
    if machine is None or not machine.kiosk_token:
        return None
    member = simulated_member()
    return WatchLive(
        kiosk_url=f"{base_url}{machine.kiosk_url}",
        command=(
            f"{_python()} manage.py simulate_machine_job {machine.slug} --minutes 3 "
            f"--base-url {base_url}"
        ),
        member=member.username if member else "",
    )
