"""Every read of machines and jobs, with the joins it needs, so screens stay a few queries."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.charts import Bar, bar_chart, month_label
from projects.models import JournalEntry
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
    """The member's jobs to show in the banner: running, or finished and not yet debriefed."""
    if not (user and user.is_authenticated):
        return []
    since = timezone.now() - MachineJob.DEBRIEF_WINDOW
    jobs = MachineJob.objects.filter(member=user).filter(
        Q(state=JobState.RUNNING) | Q(finished_at__gte=since, member_outcome="")
    )
    return list(jobs.select_related("machine", "project").order_by("-started_at")[:3])


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
