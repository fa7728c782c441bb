"""Every change to machines and their jobs goes through here: the HTTP API, the MQTT and
OctoPrint bridges, the kiosk, the member's phone and the demo all call these functions.

Machines report events late, twice or out of order. The rules (docs/machines.md): a job is
identified by (machine, external job id); the same event twice is kept once; a job's state is
rebuilt from its events, so it never depends on the order they arrived in; a machine's finish
is the truth about its job, and a job without one ends at the next start on its machine.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import unique_slug
from core.tokens import secret_digest
from projects.models import JournalEntry, JournalEntryKind, JournalEntryOutcome, ProjectPage
from projects.permissions import can_edit_project
from projects.services import journal_entry_create, journal_entry_update
from users.badges import normalise_badge_uid

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
    # False when the event was a duplicate, or told nothing new about any job.
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
#
# A job's state is a function of the events kept for it and of the next start on its machine,
# never of the order they arrived in: each event is kept once, then the job is rebuilt from its
# events with the rules of docs/machines.md. A start moves at most two other jobs (the one
# started just before it, before and after it moved), so those are rebuilt too.

_RUNNING_KINDS = ("start", "progress")
_DETAILS = ("file_name", "material", "settings")
_MACHINE_OUTCOMES = {JobOutcome.COMPLETED, JobOutcome.CANCELLED, JobOutcome.FAILED}
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


def _lock_machine(machine: Machine) -> None:
    """Events of one machine are recorded one at a time: a start changes its neighbours.
    NO KEY UPDATE, so inserting a journal entry or a job that refers to the machine (which
    takes a KEY SHARE lock on PostgreSQL) does not wait for it."""
    list(
        Machine.objects.select_for_update(no_key=True)
        .filter(pk=machine.pk)
        .values_list("pk", flat=True)
    )


def _key_before(machine_id: int, started_at, external_id: str, exclude_pk: int):
    """Jobs of the machine that started before (started_at, external_id), the newest first."""
    return (
        MachineJob.objects.filter(machine_id=machine_id, started_at__isnull=False)
        .exclude(pk=exclude_pk)
        .filter(
            Q(started_at__lt=started_at) | Q(started_at=started_at, external_id__lt=external_id)
        )
        .order_by("-started_at", "-external_id")
    )


def _next_start(job: MachineJob):
    """When the next job on the machine started: a machine runs one job at a time. Jobs that
    started at the same instant are ordered by their id, so the answer never depends on
    which arrived first."""
    if job.started_at is None:
        return None
    later = (
        MachineJob.objects.filter(machine_id=job.machine_id, started_at__isnull=False)
        .exclude(pk=job.pk)
        .filter(
            Q(started_at__gt=job.started_at)
            | Q(started_at=job.started_at, external_id__gt=job.external_id)
        )
    )
    return later.order_by("started_at", "external_id").values_list("started_at", flat=True).first()


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _expected_end(job: MachineJob, window) -> datetime | None:
    """From the newest event that gave the time left or the whole duration."""
    found = (
        window.filter(payload__has_any_keys=["remaining_seconds", "estimated_seconds"])
        .order_by("-occurred_at", "kind")
        .values_list("occurred_at", "payload")
        .first()
    )
    if found is None:
        return None
    at, payload = found
    remaining, estimated = _number(payload.get("remaining_seconds")), None
    if remaining is None:
        estimated = _number(payload.get("estimated_seconds"))
    try:
        if remaining is not None:
            return at + timedelta(seconds=remaining)
        if estimated is not None and job.started_at is not None:
            return job.started_at + timedelta(seconds=estimated)
    except OverflowError:  # a value kept before the event schema bounded it
        return None
    return None


def _details(job: MachineJob, end) -> None:
    """File, material and settings: from the newest event up to the job's end that gives
    them; an event after the end only fills what none before it gave."""
    rows = (
        job.events.filter(payload__has_any_keys=list(_DETAILS))
        .order_by("occurred_at", "kind")
        .values_list("occurred_at", "payload")
    )
    found: dict[str, object] = {}
    late: dict[str, object] = {}
    for at, payload in rows:
        for name in _DETAILS:
            value = payload.get(name)
            if value in (None, "", {}) or not isinstance(
                value, dict if name == "settings" else str
            ):
                continue
            if end is None or at <= end:
                found[name] = value
            else:
                late.setdefault(name, value)
    for name in _DETAILS:
        value = found.get(name, late.get(name))
        if value is not None:
            setattr(job, name, value)


def _member_named(job: MachineJob) -> tuple[object | None, set[int]]:
    """The member named by the job's earliest event that names an active member (a badge
    before a username), and every member its events name."""
    rows = (
        job.events.filter(payload__has_any_keys=["badge_uid", "username"])
        .order_by("occurred_at", "kind")
        .values_list("payload", flat=True)[:20]
    )
    named = []
    for payload in rows:
        badge, username = payload.get("badge_uid"), payload.get("username")
        badge = normalise_badge_uid(badge) if isinstance(badge, str) and badge else None
        username = username if isinstance(username, str) and username else None
        if (badge or username) and (badge, username) not in named:
            named.append((badge, username))
    if not named:
        return None, set()
    User = get_user_model()
    active = User.objects.filter(is_active=True)
    badges = {badge for badge, _username in named if badge}
    usernames = {username for _badge, username in named if username}
    found = active.filter(Q(badge_uid__in=badges) | Q(username__in=usernames))
    by_badge, by_username = {}, {}
    for member in found:
        by_badge[member.badge_uid] = member
        by_username[member.username] = member
    first = None
    for badge, username in named:
        member = by_badge.get(badge) if badge else None
        member = member or (by_username.get(username) if username else None)
        if member is not None:
            first = first or member
    return first, {member.pk for member in found}


def _rebuild(job: MachineJob, new: JobEventIn | None = None) -> None:
    """Set what the job's events say of it (docs/machines.md, "Events in any order").

    `new`, the event just kept for it, spares the reads it cannot change: the member when it
    names nobody, the details when it gives none and the job's end stays where it was."""
    events = job.events.all()
    end_before = job.finished_at if job.state == JobState.FINISHED else None
    if new is None and not events.exists():
        # A job made by hand (the admin, the demo) has no events: only a later start ends it.
        if job.state == JobState.RUNNING and (cut := _next_start(job)):
            job.state, job.outcome, job.finished_at = JobState.FINISHED, JobOutcome.INTERRUPTED, cut
            job.expected_end_at = None
        return
    job.started_at = (
        events.filter(kind__in=_RUNNING_KINDS)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    finish = events.filter(kind="finish").order_by("occurred_at").first()
    cut = None if finish else _next_start(job)
    if finish:
        outcome = finish.payload.get("outcome")
        job.state = JobState.FINISHED
        job.outcome = outcome if outcome in _MACHINE_OUTCOMES else JobOutcome.COMPLETED
        job.finished_at = end = finish.occurred_at
    elif cut:
        job.state, job.outcome, job.finished_at = JobState.FINISHED, JobOutcome.INTERRUPTED, cut
        end = cut
    else:
        job.state, job.outcome, job.finished_at = JobState.RUNNING, "", None
        end = None
    window = events.filter(kind__in=_RUNNING_KINDS)
    if end is not None:
        window = window.filter(occurred_at__lte=end)
    if job.outcome == JobOutcome.COMPLETED:
        job.progress = 100
    else:
        found = (
            window.filter(payload__has_key="progress")
            .order_by("-occurred_at", "kind")
            .values_list("payload", flat=True)
            .first()
        )
        job.progress = _number(found.get("progress")) if found else None
    job.expected_end_at = _expected_end(job, window) if job.state == JobState.RUNNING else None
    if new is None or end != end_before or any(getattr(new, name) for name in _DETAILS):
        _details(job, end)
    if new is not None and not (new.badge_uid or new.username):
        return
    member, named = _member_named(job)
    # A member who claimed the job, or staff who corrected it, keep it. Its project is left for
    # the member to choose (selectors.job_project_guess pre-fills their form): a guess here
    # would reach the kiosk.
    if member and (job.member_id is None or job.member_id in named) and job.member_id != member.pk:
        job.member = member


def _save_if_changed(job: MachineJob, before: tuple | None, *, also=()) -> bool:
    if before is not None and _tracked(job) == before:
        return False
    fields = [name.removesuffix("_id") for name in _TRACKED_FIELDS]
    job.save(update_fields=[*fields, *also, "updated_at"])
    return True


def _rebuild_neighbours(job: MachineJob, old_start) -> bool:
    """The job's start moved (or came): rebuild the jobs whose next start it may have been or
    become, the ones started just before its new and its old start. Jobs still running before
    it are rebuilt too: only jobs made by hand can be among them besides those two."""
    pks = set()
    for started_at in {job.started_at, old_start} - {None}:
        before_it = _key_before(job.machine_id, started_at, job.external_id, job.pk)
        pks.update(before_it.values_list("pk", flat=True)[:1])
    if job.started_at is not None:
        before_it = _key_before(job.machine_id, job.started_at, job.external_id, job.pk)
        pks.update(before_it.filter(state=JobState.RUNNING).values_list("pk", flat=True))
    changed = False
    for neighbour in MachineJob.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
        before = _tracked(neighbour)
        _rebuild(neighbour)
        changed |= _save_if_changed(neighbour, before)
    if old_start is None and job.started_at is not None:
        changed |= _interrupt_unstarted(job)
    return changed


@transaction.atomic
def machine_job_record_event(
    *, machine: Machine, event: JobEventIn, source: str = "api"
) -> EventResult:
    """Record one event from a machine, whatever way it came in. `applied` is False when it
    changed no job: a duplicate, or an event that tells nothing new."""
    at = event.timestamp or timezone.now()
    _lock_machine(machine)
    job, created = _job_for_update(machine, event.job_id)
    if not created and job.events.filter(kind=event.event, occurred_at=at).exists():
        return EventResult(job=job, applied=False)
    try:
        with transaction.atomic():
            logged = MachineJobEvent.objects.create(
                job=job,
                kind=event.event,
                occurred_at=at,
                source=source,
                payload=event.model_dump(mode="json", exclude_none=True),
            )
    except IntegrityError:  # the same event, recorded meanwhile by another process
        return EventResult(job=job, applied=False)
    before = None if created else _tracked(job)
    old_start = job.started_at
    _rebuild(job, event)
    newest = job.last_event_at is None or at > job.last_event_at
    if newest:
        job.last_event_at = at
    changed = _save_if_changed(job, before, also=["last_event_at"] if newest else [])
    if newest and not changed:  # no screen shows it: leave updated_at, which screens watch
        MachineJob.objects.filter(pk=job.pk).update(last_event_at=at)
    if job.started_at != old_start:
        changed |= _rebuild_neighbours(job, old_start)
    if not changed:
        MachineJobEvent.objects.filter(pk=logged.pk).update(applied=False)
    return EventResult(job=job, applied=changed)


@transaction.atomic
def machine_jobs_rebuild(*, machine: Machine) -> int:
    """Rebuild every job of the machine from its events, for jobs recorded under older rules
    (a finish that came after the next start used to be lost). Returns how many changed.
    Two passes: the first sets every start, the second the ends that follow from them."""
    _lock_machine(machine)
    jobs = list(MachineJob.objects.select_for_update().filter(machine=machine).order_by("pk"))
    first = {job.pk: _tracked(job) for job in jobs}
    for _pass in range(2):
        for job in jobs:
            before = _tracked(job)
            _rebuild(job)
            _save_if_changed(job, before)
    return sum(_tracked(job) != first[job.pk] for job in jobs)


def _interrupt_unstarted(job: MachineJob) -> bool:
    """A job made by hand without a start time, still running, ends at the next start."""
    return bool(
        MachineJob.objects.filter(
            machine_id=job.machine_id, state=JobState.RUNNING, started_at__isnull=True
        )
        .exclude(pk=job.pk)
        .filter(events__isnull=True)
        .update(
            state=JobState.FINISHED,
            outcome=JobOutcome.INTERRUPTED,
            finished_at=job.started_at,
            expected_end_at=None,
            updated_at=timezone.now(),
        )
    )


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
