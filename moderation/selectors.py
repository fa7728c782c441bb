"""Reads about reports and the reported things. Who may *see* a thing is decided by
visibility.policy; who may report it and who answers for it, here and in permissions.py."""

from datetime import timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import CallForProjectsPage, OrganisationMembership
from projects.models import JournalEntry, ProjectPage
from users.models import User

from .models import TARGET_FIELDS, Report, ReportKind, ReportStatus

# A member may send this many reports in RATE_WINDOW (staff are exempt), so nobody floods the
# moderators; counted in the table, so it holds across processes.
DAILY_REPORT_LIMIT = 10
RATE_WINDOW = timedelta(hours=24)

_KIND_OF_MODEL = {
    ProjectPage: ReportKind.PROJECT,
    JournalEntry: ReportKind.JOURNAL_ENTRY,
    CallForProjectsPage: ReportKind.CALL,
    User: ReportKind.PROFILE,
}


def report_kind_for(obj) -> str | None:
    for model, kind in _KIND_OF_MODEL.items():
        if isinstance(obj, model):
            return kind
    return None


def report_targets(*, kind: str) -> QuerySet:
    """The projects, journal entries, calls or active members a report of `kind` may name."""
    if kind == ReportKind.PROJECT:
        return ProjectPage.objects.select_related("owner").prefetch_related("collaborators")
    if kind == ReportKind.JOURNAL_ENTRY:
        return JournalEntry.objects.select_related("project__owner", "author")
    if kind == ReportKind.CALL:
        return CallForProjectsPage.objects.select_related("organisation")
    if kind == ReportKind.PROFILE:
        return User.objects.filter(is_active=True)
    raise ValueError(f"Unknown report kind: {kind}")


def target_filter(target) -> dict:
    """The lookup that finds the reports on `target`: {"project": project}…"""
    return {TARGET_FIELDS[report_kind_for(target)]: target}


def target_title(target) -> str:
    if isinstance(target, User):
        return target.public_name
    if isinstance(target, JournalEntry):
        return f"{target} ({target.project.title})"
    return target.title


def target_url(target) -> str:
    if isinstance(target, JournalEntry | User):
        return target.get_absolute_url()
    if isinstance(target, ProjectPage):
        return reverse("projects:detail", kwargs={"slug": target.slug})
    return target.url or ""


def target_authors(target) -> list[User]:
    """Who answers for the reported thing, is told when it is hidden, and may still see it:
    the project's owner and collaborators, the entry's author (its project's owner when the
    author is gone), the members of the call's organisation, the member themselves."""
    if isinstance(target, ProjectPage):
        people = [target.owner, *target.collaborators.all()]
    elif isinstance(target, JournalEntry):
        people = [target.author or target.project.owner]
    elif isinstance(target, CallForProjectsPage):
        people = [
            membership.user
            for membership in OrganisationMembership.objects.filter(
                organisation_id=target.organisation_id
            ).select_related("user")
        ]
    else:
        people = [target]
    unique = {person.pk: person for person in people if person is not None and person.is_active}
    return list(unique.values())


def is_target_author(user, target) -> bool:
    """Whether `user` made (or speaks for) the reported thing: they may not report it."""
    if not (user and user.is_authenticated):
        return False
    if isinstance(target, JournalEntry):
        project = target.project
        return user.pk in {target.author_id, project.owner_id} or any(
            person.pk == user.pk for person in project.collaborators.all()
        )
    return any(person.pk == user.pk for person in target_authors(target))


def report_open_by(*, reporter, target) -> Report | None:
    return Report.objects.filter(
        reporter=reporter, status=ReportStatus.OPEN, **target_filter(target)
    ).first()


def report_count_recent(*, reporter, now=None) -> int:
    since = (now or timezone.now()) - RATE_WINDOW
    return Report.objects.filter(reporter=reporter, created_at__gt=since).count()


def report_refusal(*, reporter, target) -> str:
    """Why `reporter` may not report `target` now ("" when they may): their own content, a
    report of theirs still open on it, or too many reports in a day."""
    if is_target_author(reporter, target):
        return _("This is your own content: you cannot report it.")
    existing = report_open_by(reporter=reporter, target=target)
    if existing is not None:
        return _(
            "You already reported this on %(date)s. The moderators will look at it and tell "
            "you what they decide."
        ) % {"date": timezone.localtime(existing.created_at).strftime("%d/%m/%Y")}
    if not reporter.is_staff and report_count_recent(reporter=reporter) >= DAILY_REPORT_LIMIT:
        return _(
            "You have sent %(limit)d reports in the last 24 hours, the most we take from one "
            "member. Please try again tomorrow, or write to the lab's staff if it is urgent."
        ) % {"limit": DAILY_REPORT_LIMIT}
    return ""


def reports_open_on(target) -> QuerySet[Report]:
    return Report.objects.filter(status=ReportStatus.OPEN, **target_filter(target)).select_related(
        "reporter"
    )


def report_list_for_admin() -> QuerySet[Report]:
    """Every report, open ones first, newest first, with what the list shows."""
    return (
        Report.objects.select_related(
            "reporter", "decided_by", "project", "journal_entry", "call", "member"
        )
        .annotate(
            open_first=Case(
                When(status=ReportStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-created_at", "-pk")
    )


def report_get_for_review(pk: int) -> Report | None:
    return (
        Report.objects.select_related(
            "reporter",
            "decided_by",
            "project__owner",
            "journal_entry__project__owner",
            "journal_entry__author",
            "call__organisation",
            "member",
        )
        .filter(pk=pk)
        .first()
    )


def report_history_of(target) -> QuerySet[Report]:
    """Every report on the same thing, newest first (the moderators' memory of it)."""
    return Report.objects.filter(**target_filter(target)).select_related("reporter", "decided_by")


def moderation_message_for(target) -> str:
    """The moderators' message of the latest decision that hid `target` (its banner)."""
    report = (
        Report.objects.filter(status=ReportStatus.HIDDEN, **target_filter(target))
        .order_by("-decided_at", "-pk")
        .only("staff_message")
        .first()
    )
    return report.staff_message if report else ""
