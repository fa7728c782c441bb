"""Every read of machines and jobs, with the joins it needs, so screens stay a few queries."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model

from core.charts import Bar, bar_chart, month_label
from projects.models import JournalEntry, ProjectPage
from projects.selectors import project_list_owned_by
from projects.visibility import journal_entries_visible_to, project_is_public
from visibility.policy import can_view

from .models import JobState, Machine, MachineJob


def machine_list() -> QuerySet[Machine]:
    return Machine.objects.select_related("tribe", "photo")


def machine_current_job(machine: Machine) -> MachineJob | None:
    """The job running now, else the last one still waiting for its "how did it go?"."""
    jobs = machine.jobs.select_related("member", "project")
    running = jobs.filter(state=JobState.RUNNING).order_by("-started_at", "-pk").first()
    if running:
        return running
    since = timezone.now() - MachineJob.DEBRIEF_WINDOW
    return (
        jobs.filter(state=JobState.FINISHED, finished_at__gte=since, member_outcome="")
        .order_by("-finished_at")
        .first()
    )


def machine_recent_entries(machine: Machine, *, user=None, limit: int = 6) -> list[JournalEntry]:
    """The journal entries made on this machine that `user` (anyone, by default) may see."""
    entries = journal_entries_visible_to(user or AnonymousUser()).filter(machine=machine)
    return list(entries.select_related("project", "author").order_by("-created_at")[:limit])


def machines_running_now() -> QuerySet[MachineJob]:
    return MachineJob.objects.filter(state=JobState.RUNNING).select_related("machine")


def jobs_needing_member(user) -> list[MachineJob]:
    """The member's jobs to show in the banner: running, or finished and not yet debriefed;
    each with `logged`, whether the member already wrote about it in their journal."""
    if not (user and user.is_authenticated):
        return []
    since = timezone.now() - MachineJob.DEBRIEF_WINDOW
    jobs = MachineJob.objects.filter(member=user).filter(
        Q(state=JobState.RUNNING) | Q(finished_at__gte=since, member_outcome="")
    )
    logged = JournalEntry.objects.filter(job=OuterRef("pk"), author=OuterRef("member"))
    jobs = jobs.annotate(logged=Exists(logged)).select_related("machine", "project")
    return list(jobs.order_by("-started_at")[:3])


# The project of a job ------------------------------------------------------------------------
# A job names a project only once its member chose one (the quick log, the debrief): shared
# screens never show a guess. The forms start from a guess (docs/machines.md, "Which project").

# Words of file names that tell nothing about what is made.
_GENERIC_WORDS = {
    "final", "finale", "copie", "copy", "test", "essai", "version", "fichier", "file",
    "new", "nouveau", "nouvelle", "projet", "project", "draft", "brouillon", "export",
}  # fmt: skip
_EXTENSIONS = re.compile(r"(\.[a-z0-9]{1,6})+$", re.IGNORECASE)


def _file_stem(name: str) -> str:
    """A file name's slug, without folders and extensions ("Boîte_bijoux.v2.svg": boite_bijoux)."""
    return slugify(_EXTENSIONS.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]))


def _words(slug: str) -> set[str]:
    """The telling words of a slug: three letters or more, no number, no generic word."""
    words = re.split(r"[-_]+", slug)
    return {w for w in words if len(w) >= 3 and not any(c.isdigit() for c in w)} - _GENERIC_WORDS


def _file_match(stem: str, names: list[str]) -> int:
    """How well a job's file (its stem) names a project known by `names` (its slug, title and
    files): 100 for the same name, else the telling words they share when enough of the file's
    are there (two, or its only one), else 0."""
    slugs = [slugify(name) for name in names]
    if stem in slugs or stem in {_file_stem(name) for name in names}:
        return 100
    wanted = _words(stem)
    shared = wanted & set().union(*(_words(slug) for slug in slugs))
    return len(shared) if wanted and len(shared) >= min(2, len(wanted)) else 0


def job_project_guess(job: MachineJob, member) -> ProjectPage | None:
    """The project `member` most likely runs `job` for, to pre-fill their form: the one of
    theirs (owned or shared) its file names, else the last project they chose for a job on this
    machine among those they own, else none (they are asked). A project they only collaborate
    on is never chosen but by its file: it may be another member's work."""
    projects = list(project_list_owned_by(member))
    stem = _file_stem(job.file_name) if job.file_name else ""
    if stem and projects:
        names = {project.pk: [project.slug, project.title] for project in projects}
        files = get_document_model().objects.filter(project__in=[p.pk for p in projects])
        for project_id, title in files.values_list("project_id", "title"):
            names[project_id].append(title)
        scored = [(_file_match(stem, names[project.pk]), project) for project in projects]
        # Ties: their own project first, then the most recently changed (the list's order).
        best = max(scored, key=lambda pair: (pair[0], pair[1].owner_id == member.pk))
        if best[0]:
            return best[1]
    earlier = (
        MachineJob.objects.filter(machine_id=job.machine_id, member=member, project__owner=member)
        .exclude(pk=job.pk)
        .select_related("project")
        .order_by("-started_at", "-pk")
        .first()
    )
    return earlier.project if earlier else None


@dataclass(frozen=True)
class PublicJob:
    """What a shared screen (the kiosk) may say of a job: names only where the policy allows."""

    job: MachineJob
    member_name: str
    project_title: str


def public_job(job: MachineJob) -> PublicJob:
    project_title = job.project.title if job.project and project_is_public(job.project) else ""
    # Named only when anyone may see their profile (members/visibility.py, asked by type).
    shown = job.member and can_view(AnonymousUser(), job.member)
    member_name = job.member.public_name if shown else ""
    return PublicJob(job=job, member_name=member_name, project_title=project_title)


# Documentation rate -------------------------------------------------------------------------


def jobs_documented(jobs: QuerySet[MachineJob]) -> QuerySet[MachineJob]:
    """Annotate `documented`: a journal entry tied to the job, or written by its member on
    any project while the job ran or within MachineJob.DOCUMENTATION_WINDOW after."""
    window = MachineJob.DOCUMENTATION_WINDOW
    tied = JournalEntry.objects.filter(job=OuterRef("pk"))
    nearby = JournalEntry.objects.filter(
        author=OuterRef("member"),
        created_at__gte=OuterRef("started_at"),
        created_at__lte=OuterRef("finished_at") + window,
    )
    return jobs.annotate(documented=Exists(tied) | Exists(nearby))


@dataclass(frozen=True)
class RateRow:
    month: datetime
    lab: str
    machine: str
    jobs: int
    documented: int

    @property
    def rate(self) -> float:
        return self.documented / self.jobs if self.jobs else 0.0


def documentation_rate(machines: QuerySet[Machine], *, months: int = 12) -> list[RateRow]:
    """Finished jobs and documented jobs per month, lab and machine, newest month first."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    now = timezone.now()
    since = now - timezone.timedelta(days=31 * months)
    # Not past tomorrow: a start from a broken clock, kept before events were bounded, would
    # make a month that local time cannot hold.
    jobs = jobs_documented(
        MachineJob.objects.filter(
            machine__in=machines,
            state=JobState.FINISHED,
            started_at__gte=since,
            started_at__lte=now + timezone.timedelta(days=1),
        )
    )
    rows = (
        jobs.annotate(month=TruncMonth("started_at"))
        .values("month", lab=F("machine__tribe__title"), machine_name=F("machine__name"))
        .annotate(jobs=Count("pk"), documented=Count("pk", filter=Q(documented=True)))
        .order_by("-month", "lab", "machine_name")
    )
    return [
        RateRow(
            month=row["month"],
            lab=row["lab"] or "",
            machine=row["machine_name"],
            jobs=row["jobs"],
            documented=row["documented"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MonthRate:
    month: datetime
    jobs: int
    documented: int

    @property
    def percent(self) -> int:
        return round(100 * self.documented / self.jobs) if self.jobs else 0


def documentation_rate_per_month(rows: list[RateRow]) -> list[MonthRate]:
    """The documentation rate of all the rows' machines, per month, oldest first."""
    months: dict[datetime, list[int]] = {}
    for row in rows:
        total = months.setdefault(row.month, [0, 0])
        total[0] += row.jobs
        total[1] += row.documented
    return [
        MonthRate(month, jobs, documented) for month, (jobs, documented) in sorted(months.items())
    ]


def rate_chart(rows: list[RateRow]) -> list[Bar]:
    """The documentation rate per month as bars; on hover, documented jobs / finished jobs."""
    rates = documentation_rate_per_month(rows)
    return bar_chart(
        [(month_label(rate.month), rate.percent) for rate in rates],
        maximum=100,
        suffix=" %",
        details=[f"{rate.documented} / {rate.jobs}" for rate in rates],
    )
