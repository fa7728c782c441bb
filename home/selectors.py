"""What the home page shows, each read through the app that owns it and the visibility policy,
in a fixed number of queries however much content the site holds."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from calls.models import CallStatus
from calls.selectors import call_list_public
from machines.selectors import machines_running_now
from projects.selectors import journal_entry_list_recent, project_list_latest
from projects.visibility import journal_entries_public, projects_public
from showcases.selectors import showcase_featured, showcase_items_public
from tribes.visibility import tribes_public

LATEST_PROJECTS = 6
LATEST_ENTRIES = 6
OPEN_CALLS = 3
RUNNING_MACHINES = 6
SHOWCASE_ITEMS = 4


@dataclass(frozen=True)
class SiteCounts:
    """A few figures about the whole site, all about public content (members apart)."""

    public_projects: int
    journal_entries: int
    members: int
    tribes: int


def site_counts() -> SiteCounts:
    return SiteCounts(
        public_projects=projects_public().count(),
        journal_entries=journal_entries_public().count(),
        members=get_user_model().objects.filter(is_active=True).count(),
        tribes=tribes_public().count(),
    )


def calls_open(*, limit: int) -> list:
    """Published calls still taking applications (open, deadline not passed), nearest deadline
    first."""
    calls = call_list_public().filter(status=CallStatus.OPEN, deadline__gt=timezone.now())
    return list(calls[:limit])


@dataclass(frozen=True)
class RunningMachine:
    """What the home page may say of a machine at work: its name and kind, never its job's
    project or member."""

    name: str
    kind: str
    url: str


def machines_running(*, limit: int) -> list[RunningMachine]:
    """The machines with a job running now, the most recently started first, each once."""
    seen, machines = set(), []
    for job in machines_running_now().order_by("-started_at", "-pk")[: limit * 3]:
        machine = job.machine
        if machine.pk in seen:
            continue
        seen.add(machine.pk)
        machines.append(
            RunningMachine(
                name=machine.name, kind=machine.get_kind_display(), url=machine.get_absolute_url()
            )
        )
        if len(machines) == limit:
            break
    return machines


def home_page_context(*, user, home) -> dict:
    showcase = showcase_featured(home)
    return {
        "showcase": showcase,
        "showcase_items": (
            showcase_items_public(showcase, limit=SHOWCASE_ITEMS) if showcase else []
        ),
        "latest_projects": project_list_latest(user=user, limit=LATEST_PROJECTS),
        "latest_entries": journal_entry_list_recent(user=user, limit=LATEST_ENTRIES),
        "open_calls": calls_open(limit=OPEN_CALLS),
        "running_machines": machines_running(limit=RUNNING_MACHINES),
        "counts": site_counts(),
    }
