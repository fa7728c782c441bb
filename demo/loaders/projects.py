"""The demo projects. Each is written through the same services the member-facing views use
(create, details, steps, bill of materials, journal), then its dates are moved into the past so
the timelines look lived-in. Projects are looked up by title or slug: loading twice creates
nothing twice. Run after the members, machines and materials; the tribes step sets who sees
which project."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from machines.models import Machine, Material
from projects.models import JournalEntry, ProjectPage
from projects.services import (
    journal_entry_create,
    project_bill_of_materials_set,
    project_create,
    project_publish,
    project_step_add,
    project_update,
)
from users.models import User

from ..photos import demo_photo, demo_random
from ..reader import DemoBillRow, DemoContent, DemoProject

# Hours at which members are at the lab: Wednesday afternoons, weekday evenings, Saturdays.
_SESSION_HOURS = (10, 11, 14, 15, 16, 17, 18, 19, 20, 21)


def project_slug(demo: DemoProject) -> str:
    """The slug projects.services gives a new project, without the "-2" de-duplication."""
    return slugify(demo.title)[:60].strip("-")


def load_projects(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo projects; yield (title, created) for each, skipping existing ones."""
    now = timezone.now()
    for demo in content.projects:
        if ProjectPage.objects.filter(Q(title=demo.title) | Q(slug=project_slug(demo))).exists():
            yield demo.title, False
            continue
        _create_project(demo, now=now)
        yield demo.title, True


def _bill_row(row: DemoBillRow) -> dict:
    return {
        "item": row.item,
        "quantity": row.quantity,
        "unit": row.unit,
        "supplier": row.supplier,
        "link": row.link,
        "unit_cost": row.unit_cost,
    }


@transaction.atomic
def _create_project(demo: DemoProject, *, now: datetime) -> ProjectPage:
    users = _users_by_username(demo)
    machines = Machine.objects.in_bulk(
        {*demo.machines, *(e.machine for e in demo.journal if e.machine)}, field_name="slug"
    )
    materials = Material.objects.in_bulk(demo.materials, field_name="name")
    missing = (set(demo.machines) - set(machines)) | (set(demo.materials) - set(materials))
    if missing:
        raise LookupError(
            f"Demo project {demo.title!r} needs {sorted(missing)}: load the machines first."
        )
    owner = users[demo.owner]
    theme = demo.photo_theme

    def photos(captions: tuple[str, ...]) -> list:
        return [demo_photo(theme=theme, caption=c, seed=demo.title) for c in captions]

    page = project_create(
        owner=owner,
        title=demo.title,
        summary=demo.summary,
        photo=demo_photo(theme=theme, caption=demo.title, seed="cover"),
    )
    details = {
        "status": demo.status,
        "difficulty": demo.difficulty,
        "duration": demo.duration,
        "cost": demo.cost,
        "licence": demo.licence,
        "tags": demo.tags,
        "machines": [machines[slug] for slug in demo.machines],
        "materials": [materials[name] for name in demo.materials],
        "collaborators": [users[username] for username in demo.collaborators],
        "presentation": demo.presentation,
        "methodology": demo.methodology,
        "technical_architecture": demo.technical_architecture,
    }
    if demo.remixed_from:
        details["remixed_from"] = ProjectPage.objects.filter(title=demo.remixed_from).first()
    page = project_update(project=page, user=owner, **details)
    # A new project is a draft; the demo's are published, as their members would have done.
    page = project_publish(project=page, user=owner)
    for step in demo.steps:
        project_step_add(
            project=page, user=owner, title=step.title, body=step.body, photos=photos(step.photos)
        )
    project_bill_of_materials_set(
        project=page, user=owner, rows=[_bill_row(row) for row in demo.bill_of_materials]
    )

    start, times = _timeline(demo, now=now)
    for demo_entry, when in zip(demo.journal, times, strict=True):
        entry = journal_entry_create(
            project=page,
            author=users[demo_entry.author or demo.owner],
            kind=demo_entry.kind,
            title=demo_entry.title,
            body=demo_entry.body,
            outcome=demo_entry.outcome,
            machine=machines.get(demo_entry.machine),
            parameters=dict(demo_entry.parameters),
            photos=photos(demo_entry.photos),
        )
        _backdate_journal_entry(entry, when)
    _backdate_project(page, start=start, end=times[-1])
    return page


def _users_by_username(demo: DemoProject) -> dict[str, User]:
    people = {demo.owner, *demo.collaborators}
    users = User.objects.in_bulk(people, field_name="username")
    if missing := people - set(users):
        raise LookupError(
            f"Demo project {demo.title!r} needs members {sorted(missing)}: load them first."
        )
    return users


def _timeline(demo: DemoProject, *, now: datetime) -> tuple[datetime, list[datetime]]:
    """When the project started and when each journal entry was written, oldest first."""
    rng = demo_random("timeline", demo.title)

    def at_lab_hours(moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        return local.replace(hour=rng.choice(_SESSION_HOURS), minute=rng.randrange(0, 60, 5))

    start = at_lab_hours(now - timedelta(days=demo.started_days_ago))
    end = now - timedelta(days=max(demo.last_days_ago, 1))
    span = end - start
    count = len(demo.journal)
    times: list[datetime] = []
    for position, entry in enumerate(demo.journal):
        if entry.same_session and times:
            when = times[-1] + timedelta(minutes=rng.randint(35, 110))
        else:
            fraction = (position + 0.3 + rng.uniform(0, 0.5)) / count
            when = at_lab_hours(start + span * fraction)
        earliest = (times[-1] if times else start) + timedelta(minutes=20)
        times.append(min(max(when, earliest), now - timedelta(hours=1)))
    return start, times


def _backdate_journal_entry(entry: JournalEntry, when: datetime) -> None:
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
    entry.revisions.update(created_at=when)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(JournalEntry), object_id=str(entry.pk)
    ).update(timestamp=when)
    entry.photos.update(created_at=when)


def _backdate_project(page: ProjectPage, *, start: datetime, end: datetime) -> None:
    """Spread the page's revisions and history between its start and its last journal entry."""

    def spread(queryset, field_name: str) -> None:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        for position, pk in enumerate(pks):
            when = start + (end - start) * (position / max(len(pks) - 1, 1))
            queryset.model.objects.filter(pk=pk).update(**{field_name: when})

    spread(page.revisions.all(), "created_at")
    spread(PageLogEntry.objects.filter(page=page), "timestamp")
    Page.objects.filter(pk=page.pk).update(
        first_published_at=start, last_published_at=end, latest_revision_created_at=end
    )
    get_image_model().objects.filter(pk=page.cover_image_id).update(created_at=start)
