"""Every read behind /stats/: counts per month and per tribe over the last twelve months, each
table in one or two queries whatever the size of the site. Definitions in docs/statistics.md."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.charts import Bar, bar_chart, month_label
from machines.models import Machine, MachineJob
from machines.selectors import documentation_rate, documentation_rate_per_month
from projects.completeness import (
    HAS_FAILURE_OR_LESSON,
    Completeness,
    failure_or_lesson_exists,
    project_completeness,
)
from projects.models import JournalEntry, JournalEntryKind, ProjectPage
from projects.visibility import projects_public
from tribes.models import MembershipRole, MembershipState, TribeMembership, TribePage

MONTHS = 12
CHART_BARS = 12  # the plots of rankings (tribes, machines) show the first twelve

# Scope and months ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsScope:
    """What the statistics count: the whole site (`tribes` is None: staff only), or the content
    of the given tribes (their members, their projects, their labs' machines)."""

    tribes: tuple[TribePage, ...] | None

    @property
    def whole_site(self) -> bool:
        return self.tribes is None

    @property
    def tribe_ids(self) -> list[int]:
        return [tribe.pk for tribe in self.tribes or ()]

    def projects(self) -> QuerySet[ProjectPage]:
        projects = ProjectPage.objects.all()
        if self.whole_site:
            return projects
        linked = ProjectPage.tribes.through.objects.filter(tribepage_id__in=self.tribe_ids)
        return projects.filter(pk__in=linked.values("projectpage_id"))

    def memberships(self) -> QuerySet[TribeMembership]:
        memberships = TribeMembership.objects.all()
        return memberships if self.whole_site else memberships.filter(tribe_id__in=self.tribe_ids)

    def tribes_queryset(self) -> QuerySet[TribePage]:
        tribes = TribePage.objects.all()
        return tribes if self.whole_site else tribes.filter(pk__in=self.tribe_ids)

    def machines(self) -> QuerySet[Machine]:
        machines = Machine.objects.all()
        return machines if self.whole_site else machines.filter(tribe_id__in=self.tribe_ids)


def month_starts(months: int = MONTHS, *, today: date | None = None) -> list[date]:
    """The first day of each of the last `months` months, this one included, oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _index in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def window_start(months: list[date]) -> datetime:
    """Midnight, local time, on the first day of the oldest month."""
    first = months[0]
    return timezone.make_aware(datetime(first.year, first.month, first.day))


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _per_month(rows, months: list[date], *names: str) -> dict[date, dict[str, int]]:
    """Rows of `values("month").annotate(<names>)` spread on every month, zeros included."""
    table = {month: dict.fromkeys(names, 0) for month in months}
    for row in rows:
        key = _month_key(row["month"])
        if key in table:
            for name in names:
                table[key][name] += row[name] or 0
    return table


# Tables -------------------------------------------------------------------------------------


@dataclass
class StatsTable:
    slug: str
    title: Promise
    description: Promise
    columns: list[Promise]
    rows: list[list]
    chart: list[Bar] = field(default_factory=list)
    chart_title: Promise | str = ""


def members_table(scope: StatsScope, months: list[date]) -> StatsTable:
    since = window_start(months)
    active = Q(memberships__state=MembershipState.ACTIVE)
    tribes = (
        scope.tribes_queryset()
        .annotate(
            active=Count("memberships", filter=active),
            admins=Count("memberships", filter=active & Q(memberships__role=MembershipRole.ADMIN)),
            joined=Count("memberships", filter=active & Q(memberships__created_at__gte=since)),
            waiting=Count("memberships", filter=~active),
        )
        .order_by("-active", "title")
    )
    rows = [[t.title, t.active, t.admins, t.joined, t.waiting] for t in tribes]
    return StatsTable(
        slug="members",
        title=_("Members per tribe"),
        description=_(
            "Active members today; joined: active members whose membership began in the last "
            "twelve months; waiting: invited, or asked to join and not yet accepted."
        ),
        columns=[_("Tribe"), _("Active members"), _("Admins"), _("Joined"), _("Waiting")],
        rows=rows,
        chart=bar_chart([(row[0], row[1]) for row in rows[:CHART_BARS]]),
        chart_title=_("Active members per tribe"),
    )


def new_members_table(scope: StatsScope, months: list[date]) -> StatsTable:
    since = window_start(months)
    joined = _per_month(
        scope.memberships()
        .filter(state=MembershipState.ACTIVE, created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(joined=Count("pk"))
        .order_by("month"),
        months,
        "joined",
    )
    if scope.whole_site:
        accounts = _per_month(
            get_user_model()
            .objects.filter(date_joined__gte=since)
            .annotate(month=TruncMonth("date_joined"))
            .values("month")
            .annotate(accounts=Count("pk"))
            .order_by("month"),
            months,
            "accounts",
        )
        columns = [_("Month"), _("New accounts"), _("Joined a tribe")]
        rows = [[m, accounts[m]["accounts"], joined[m]["joined"]] for m in months]
    else:
        columns = [_("Month"), _("Joined a tribe")]
        rows = [[m, joined[m]["joined"]] for m in months]
    return StatsTable(
        slug="new-members",
        title=_("New members per month"),
        description=_(
            "New accounts on Carnet (whole site only), and memberships that began that month "
            "and are active today (a member who joins two tribes counts in each)."
        ),
        columns=columns,
        rows=rows,
        chart=bar_chart([(month_label(row[0]), row[1]) for row in rows]),
        chart_title=columns[1],
    )


def projects_table(scope: StatsScope, months: list[date]) -> StatsTable:
    since = window_start(months)
    per_month = _per_month(
        scope.projects()
        .filter(first_published_at__gte=since)
        .annotate(month=TruncMonth("first_published_at"))
        .values("month")
        .annotate(
            projects=Count("pk"),
            # "Everyone can see" is the policy's to say (live, public, not hidden).
            public=Count("pk", filter=Q(pk__in=projects_public().values("pk"))),
        )
        .order_by("month"),
        months,
        "projects",
        "public",
    )
    rows = [[m, per_month[m]["projects"], per_month[m]["public"]] for m in months]
    return StatsTable(
        slug="projects",
        title=_("New projects per month"),
        description=_(
            "Projects by the month they were first published, whatever their visibility; "
            "public: those everyone can see today."
        ),
        columns=[_("Month"), _("Projects"), _("Public")],
        rows=rows,
        chart=bar_chart([(month_label(row[0]), row[1]) for row in rows]),
        chart_title=_("New projects per month"),
    )


def journal_table(scope: StatsScope, months: list[date]) -> StatsTable:
    since = window_start(months)
    entries = JournalEntry.objects.filter(created_at__gte=since)
    if not scope.whole_site:
        entries = entries.filter(project_id__in=scope.projects().values("pk"))
    highlighted = Q(kind__in=[JournalEntryKind.FAILURE, JournalEntryKind.LESSON])
    per_month = _per_month(
        entries.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(entries=Count("pk"), highlighted=Count("pk", filter=highlighted))
        .order_by("month"),
        months,
        "entries",
        "highlighted",
    )
    rows = [[m, per_month[m]["entries"], per_month[m]["highlighted"]] for m in months]
    return StatsTable(
        slug="journal",
        title=_("Journal entries per month"),
        description=_("Entries written that month, and among them failures and lessons."),
        columns=[_("Month"), _("Journal entries"), _("Failures and lessons")],
        rows=rows,
        chart=bar_chart([(month_label(row[0]), row[1]) for row in rows]),
        chart_title=_("Journal entries per month"),
    )


def documentation_table(scope: StatsScope, months: list[date]) -> StatsTable:
    """The documentation rate as machines.selectors defines it, summed over the scope's
    machines, per month."""
    rates = {
        _month_key(rate.month): rate
        for rate in documentation_rate_per_month(
            documentation_rate(scope.machines(), months=len(months))
        )
    }
    rows = []
    for month in months:
        rate = rates.get(month)
        jobs, documented = (rate.jobs, rate.documented) if rate else (0, 0)
        rows.append([month, jobs, documented, round(100 * documented / jobs) if jobs else None])
    return StatsTable(
        slug="documentation",
        title=_("Documentation rate per month"),
        description=_(
            "Finished jobs on the machines, and those followed by a journal entry during the "
            "job or within an hour after (the definition of the machines' page)."
        ),
        columns=[_("Month"), _("Finished jobs"), _("Documented"), _("Rate (%)")],
        rows=rows,
        chart=bar_chart(
            [(month_label(row[0]), row[3] or 0) for row in rows], maximum=100, suffix=" %"
        ),
        chart_title=_("Documentation rate per month"),
    )


def machines_table(scope: StatsScope, months: list[date]) -> StatsTable:
    since = window_start(months)

    def count(queryset) -> Coalesce:
        counted = queryset.order_by().values("machine_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    machines = (
        scope.machines()
        .select_related("tribe")
        .annotate(
            job_count=count(
                MachineJob.objects.filter(machine=OuterRef("pk"), started_at__gte=since)
            ),
            entry_count=count(
                JournalEntry.objects.filter(machine=OuterRef("pk"), created_at__gte=since)
            ),
        )
        .filter(Q(job_count__gt=0) | Q(entry_count__gt=0))
        .order_by("-job_count", "-entry_count", "name")
    )
    rows = [
        [m.name, m.tribe.title if m.tribe else "", m.job_count, m.entry_count] for m in machines
    ]
    return StatsTable(
        slug="machines",
        title=_("Most used machines"),
        description=_(
            "Jobs started on each machine in the last twelve months (whatever their outcome), "
            "and journal entries that name the machine."
        ),
        columns=[_("Machine"), _("Lab"), _("Jobs"), _("Journal entries")],
        rows=rows,
        chart=bar_chart([(row[0], row[2]) for row in rows[:CHART_BARS]]),
        chart_title=_("Jobs per machine"),
    )


TABLES = {
    "members": members_table,
    "new-members": new_members_table,
    "projects": projects_table,
    "journal": journal_table,
    "documentation": documentation_table,
    "machines": machines_table,
}


def stats_tables(scope: StatsScope, *, months: int = MONTHS) -> list[StatsTable]:
    window = month_starts(months)
    return [build(scope, window) for build in TABLES.values()]


def stats_table(scope: StatsScope, slug: str, *, months: int = MONTHS) -> StatsTable:
    """One table by its slug; KeyError when there is none."""
    return TABLES[slug](scope, month_starts(months))


# The curation queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class CurationCandidate:
    project: ProjectPage
    completeness: Completeness
    last_activity: datetime | None

    @property
    def score(self) -> int:
        return self.completeness.score


def curation_queue() -> list[CurationCandidate]:
    """Public projects, best documented first, then the most recently active (latest journal
    entry or revision): the candidates for a showcase. One query, whatever the number of
    projects; the score is computed in Python from the loaded rows (docs/statistics.md)."""
    latest_entry = (
        JournalEntry.objects.filter(project=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    projects = (
        projects_public()
        .select_related("owner")
        .defer("files")
        .annotate(
            **{HAS_FAILURE_OR_LESSON: failure_or_lesson_exists()},
            last_entry_at=Subquery(latest_entry),
        )
    )
    candidates = []
    for project in projects:
        moments = [project.last_entry_at, project.latest_revision_created_at]
        moments = [moment for moment in moments if moment is not None]
        candidates.append(
            CurationCandidate(
                project=project,
                completeness=project_completeness(project),
                last_activity=max(moments) if moments else None,
            )
        )
    candidates.sort(
        key=lambda c: (
            -c.score,
            -(c.last_activity.timestamp() if c.last_activity else 0),
            c.project.title.casefold(),
        )
    )
    return candidates
