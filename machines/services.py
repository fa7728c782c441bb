"""Every change to machines and their jobs goes through here: the HTTP API, the MQTT and
OctoPrint bridges, the kiosk, the member's phone and the demo all call these functions.

Machines report events late, twice or out of order. The rules (docs/machines.md):
- a job is identified by (machine, external job id); the same event twice changes nothing;
- an event older than the newest one applied to its job only fills blanks;
- nothing moves a finished job back to running; a finish without a start makes a closed job;
- a start on a busy machine ends the job left running there as "interrupted".
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import unique_slug
from core.tokens import secret_digest
from projects.models import JournalEntry, JournalEntryKind, JournalEntryOutcome, ProjectPage
from projects.selectors import project_list_owned_by
from projects.services import journal_entry_create, journal_entry_update
from users.badges import normalise_badge_uid
from visibility.policy import can_edit_project

from .events import JobEventIn
from .models import (
    RESERVED_MACHINE_SLUGS,
    JobOutcome,
    JobState,
    Machine,
    MachineJob,
    MachineJobEvent,
)
from .permissions import can_act_on_job


@dataclass(frozen=True)
class EventResult:
    job: MachineJob
    # False when the event was a duplicate, or too late to change anything.
    applied: bool


# Machines ----------------------------------------------------------------------------------


@transaction.atomic
def machine_create(*, user, name: str, kind: str, tribe=None, **fields) -> Machine:
    slug = unique_slug(
        fields.pop("slug", "") or name,
        is_taken=lambda slug: Machine.objects.filter(slug=slug).exists(),
        reserved=RESERVED_MACHINE_SLUGS,
        fallback="machine",
        max_length=100,
    )
    machine = Machine(name=name, slug=slug, kind=kind, tribe=tribe, **fields)
    machine.kiosk_token = secrets.token_urlsafe(24)
    machine.full_clean()
    machine.save()
    return machine


@transaction.atomic
def machine_update(*, machine: Machine, **fields) -> Machine:
    for name, value in fields.items():
        setattr(machine, name, value)
    machine.full_clean()
    machine.save()
    return machine


def machine_token_rotate(*, machine: Machine) -> str:
    """A new event token; the old one stops working. The token itself is returned only here."""
    token = f"cm_{secrets.token_urlsafe(32)}"
    machine.token_digest = secret_digest(token)
    machine.token_hint = token[:8]
    machine.save(update_fields=["token_digest", "token_hint"])
    return token


def machine_kiosk_token_rotate(*, machine: Machine) -> str:
    machine.kiosk_token = secrets.token_urlsafe(24)
    machine.save(update_fields=["kiosk_token"])
    return machine.kiosk_token


# Events ------------------------------------------------------------------------------------


def _member_for(event: JobEventIn):
    User = get_user_model()
    active = User.objects.filter(is_active=True)
    if event.badge_uid:
        member = active.filter(badge_uid=normalise_badge_uid(event.badge_uid)).first()
        if member:
            return member
    if event.username:
        return active.filter(username=event.username).first()
    return None


def _default_project(member) -> ProjectPage | None:
    """The member's last project: the one they most likely work on at the machine."""
    return project_list_owned_by(member).first()


def _apply_details(job: MachineJob, event: JobEventIn, at, *, fill_only: bool) -> None:
    """Copy what the event tells about the job; a late event only fills what is still blank."""

    def put(field: str, value) -> None:
        if value is None or value == "" or value == {}:
            return
        if fill_only and getattr(job, field) not in (None, "", {}):
            return
        setattr(job, field, value)

    put("file_name", event.file_name)
    put("material", event.material)
    put("settings", event.settings)
    if job.member_id is None:
        member = _member_for(event)
        if member:
            job.member = member
            job.project = job.project or _default_project(member)
    if job.state == JobState.RUNNING and not fill_only:
        put("progress", event.progress)
        if event.remaining_seconds is not None:
            job.expected_end_at = at + timedelta(seconds=event.remaining_seconds)
        elif event.estimated_seconds is not None and job.started_at:
            job.expected_end_at = job.started_at + timedelta(seconds=event.estimated_seconds)


def _interrupt_others(job: MachineJob, at) -> None:
    """A machine runs one job at a time: a new start ends the one whose finish never came."""
    stale = MachineJob.objects.filter(machine_id=job.machine_id, state=JobState.RUNNING).exclude(
        pk=job.pk
    )
    for other in stale.filter(started_at__lte=at) | stale.filter(started_at__isnull=True):
        other.state = JobState.FINISHED
        other.outcome = JobOutcome.INTERRUPTED
        other.finished_at = at
        other.save()


def _log_event(job: MachineJob, event: JobEventIn, at, *, source: str, applied: bool) -> bool:
    """Keep the event; False when the same event (job, type, time) was already kept."""
    try:
        with transaction.atomic():
            MachineJobEvent.objects.create(
                job=job,
                kind=event.event,
                occurred_at=at,
                source=source,
                applied=applied,
                payload=event.model_dump(mode="json", exclude_none=True),
            )
    except IntegrityError:
        return False
    return True


def _job_for_update(machine: Machine, external_id: str) -> tuple[MachineJob, bool]:
    """The job (locked), created if new; a concurrent twin insert is caught and re-read."""
    jobs = MachineJob.objects.select_for_update()
    job = jobs.filter(machine=machine, external_id=external_id).first()
    if job:
        return job, False
    try:
        with transaction.atomic():
            return MachineJob.objects.create(machine=machine, external_id=external_id), True
    except IntegrityError:
        return jobs.get(machine=machine, external_id=external_id), False


# What a screen shows of a job: an event that changes none of it changes nothing.
_TRACKED_FIELDS = (
    "state",
    "outcome",
    "member_id",
    "project_id",
    "file_name",
    "material",
    "settings",
    "progress",
    "started_at",
    "finished_at",
    "expected_end_at",
)


def _tracked(job: MachineJob) -> tuple:
    return tuple(getattr(job, name) for name in _TRACKED_FIELDS)


@transaction.atomic
def machine_job_record_event(
    *, machine: Machine, event: JobEventIn, source: str = "api"
) -> EventResult:
    """Record one event from a machine, whatever way it came in."""
    at = event.timestamp or timezone.now()
    job, created = _job_for_update(machine, event.job_id)
    before = None if created else _tracked(job)
    late = job.last_event_at is not None and at < job.last_event_at
    if event.event == "start":
        _start(job, event, at, created=created)
    elif event.event == "progress":
        _progress(job, event, at, created=created, late=late)
    else:
        _finish(job, event, at)
    changed = created or _tracked(job) != before
    first_time = _log_event(job, event, at, source=source, applied=changed)
    if changed and first_time:
        if not late:
            job.last_event_at = at
        job.save()
    return EventResult(job=job, applied=changed and first_time)


def _start(job: MachineJob, event: JobEventIn, at, *, created: bool) -> None:
    if created:
        job.started_at = at
        _apply_details(job, event, at, fill_only=False)
        _interrupt_others(job, at)
        return
    if job.started_at is None or at < job.started_at:
        job.started_at = at  # the start came after a progress or a finish
    _apply_details(job, event, at, fill_only=True)


def _progress(job: MachineJob, event: JobEventIn, at, *, created: bool, late: bool) -> None:
    if job.state == JobState.FINISHED:
        return  # a progress after the finish says nothing new
    if created:
        # A progress without its start: the job runs, since a moment we do not know.
        job.started_at = at
        _interrupt_others(job, at)
    _apply_details(job, event, at, fill_only=late)


def _finish(job: MachineJob, event: JobEventIn, at) -> None:
    if job.state == JobState.FINISHED:
        return
    job.state = JobState.FINISHED
    job.outcome = event.outcome or JobOutcome.COMPLETED
    job.finished_at = at
    job.expected_end_at = None
    if job.outcome == JobOutcome.COMPLETED:
        job.progress = 100
    _apply_details(job, event, at, fill_only=True)


# The member's side ---------------------------------------------------------------------------


def _check_project(user, project: ProjectPage) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(_("You can only log on your own projects."))


@transaction.atomic
def machine_job_claim(*, job: MachineJob, user, project: ProjectPage) -> MachineJob:
    """ "This is my job": the member takes an unclaimed job, for one of their projects."""
    job = MachineJob.objects.select_for_update().get(pk=job.pk)
    if not can_act_on_job(user, job):
        raise PermissionDenied(_("Another member already runs this job."))
    _check_project(user, project)
    job.member = user
    job.project = project
    job.save()
    return job


def job_parameters(job: MachineJob) -> dict:
    """What the job says of how it was made, as a journal entry's machine parameters."""
    parameters = {}
    if job.material:
        parameters[_("material")] = job.material
    if job.file_name:
        parameters[_("file")] = job.file_name
    for name, value in (job.settings or {}).items():
        parameters[str(name)] = value if isinstance(value, str | int | float) else str(value)
    return parameters


@transaction.atomic
def machine_job_quick_log(
    *,
    job: MachineJob,
    user,
    project: ProjectPage,
    body: str,
    kind: str = JournalEntryKind.TRIAL,
    parameters: dict | None = None,
    photos=(),
) -> JournalEntry:
    """The one-screen log while a job runs: a journal entry on the project, tied to the job."""
    if job.member_id != user.pk or job.project_id != project.pk:
        job = machine_job_claim(job=job, user=user, project=project)
    entry = journal_entry_create(
        project=project,
        author=user,
        kind=kind,
        body=body,
        machine=job.machine,
        parameters=job_parameters(job) if parameters is None else parameters,
        photos=photos,
        job=job,
    )
    job.save(update_fields=["updated_at"])  # live screens show the new entry
    return entry


_ENTRY_KIND_FOR_OUTCOME = {
    JournalEntryOutcome.WORKED: JournalEntryKind.SUCCESS,
    JournalEntryOutcome.PARTLY: JournalEntryKind.TRIAL,
    JournalEntryOutcome.FAILED: JournalEntryKind.FAILURE,
}


@transaction.atomic
def machine_job_debrief(
    *, job: MachineJob, user, outcome: str, lesson: str = "", project: ProjectPage | None = None
) -> JournalEntry:
    """ "How did it go?": the job's outcome, recorded on the entry logged during the job, or
    on a new one."""
    if outcome not in JournalEntryOutcome.values:
        raise ValidationError({"outcome": _("Choose how it went.")})
    project = project or job.project
    if project is None:
        raise ValidationError({"project": _("Choose the project this job was for.")})
    if job.member_id != user.pk or job.project_id != project.pk:
        job = machine_job_claim(job=job, user=user, project=project)
    lesson = lesson.strip()
    job.member_outcome = outcome
    job.lesson = lesson
    job.save()
    entry = job.journal_entries.filter(author=user).order_by("-created_at").first()
    if entry:
        body = f"{entry.body}\n\n{lesson}".strip() if lesson else entry.body
        return journal_entry_update(entry=entry, user=user, outcome=outcome, body=body)
    return journal_entry_create(
        project=project,
        author=user,
        kind=_ENTRY_KIND_FOR_OUTCOME[outcome],
        title=lesson[:200],
        body=lesson,
        outcome=outcome,
        machine=job.machine,
        parameters=job_parameters(job),
        job=job,
    )
