"""RSS and Atom feeds: the latest public projects, a public project's journal, and the activity
of a public tribe (its new projects and their journal entries).

Feeds are read by anyone, so they carry what an anonymous visitor sees (visibility.policy):
a project that is not public has no feed (404), and is in no feed. Every field is escaped or
sanitised for readers that render it as HTML (core.feeds).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.feeds import EscapedAtomFeed, FeedItem, MemberTextFeed
from core.markdown import render_markdown
from tribes.models import TribePage
from tribes.visibility import tribes_public

from .models import JournalEntry, ProjectIndexPage, ProjectPage
from .visibility import journal_entries_public, projects_public

FEED_SIZE = 30


def project_feed_item(project: ProjectPage, *, title: str = "") -> FeedItem:
    """A project in a feed (its tags prefetched), under its own title unless `title` is given."""
    return FeedItem(
        title=title or project.title,
        link=project.url,
        description=project.summary,  # plain text: escaped by the feed
        pubdate=project.first_published_at,
        updateddate=project.last_published_at,
        author_name=project.owner.public_name if project.owner else "",
        categories=[tag.name for tag in project.tags.all()],
    )


def journal_entry_feed_item(entry: JournalEntry, *, title: str = "") -> FeedItem:
    """A journal entry in a feed, under its own title unless `title` is given."""
    return FeedItem(
        title=title or str(entry),
        link=entry.get_absolute_url(),
        description=render_markdown(entry.body),
        pubdate=entry.created_at,
        updateddate=entry.updated_at,
        author_name=entry.author.public_name if entry.author else "",
        categories=[entry.get_kind_display()],
    )


class LatestProjectsFeed(MemberTextFeed):
    """/projects/feed/: the projects most recently published for everyone."""

    title = gettext_lazy("Carnet: latest projects")
    description = gettext_lazy("Projects documented by the members of the fab lab.")

    def link(self) -> str:
        index = ProjectIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self) -> list[FeedItem]:
        projects = (
            projects_public()
            .select_related("owner")
            .prefetch_related("tags")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )
        return [project_feed_item(project) for project in projects]


class LatestProjectsAtomFeed(LatestProjectsFeed):
    """/projects/feed/atom/: the same projects, as Atom."""

    feed_type = EscapedAtomFeed
    subtitle = LatestProjectsFeed.description


class JournalFeed(MemberTextFeed):
    """/projects/<slug>/journal/feed/: a public project's journal, newest entries first."""

    def get_object(self, request, slug: str) -> ProjectPage:
        try:
            return projects_public().select_related("owner").get(slug=slug)
        except ProjectPage.DoesNotExist as exc:
            # Not public, a draft, or no such project: the same 404.
            raise Http404 from exc

    def title(self, project: ProjectPage) -> str:
        return _("%(project)s: journal") % {"project": project.title}

    def link(self, project: ProjectPage) -> str:
        return f"{project.url}#journal"

    def description(self, project: ProjectPage) -> str:
        return project.summary

    def items(self, project: ProjectPage) -> list[FeedItem]:
        entries = list(
            journal_entries_public()
            .filter(project=project)
            .select_related("author")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        for entry in entries:
            entry.project = project  # its link needs the project's URL: no query per entry
        return [journal_entry_feed_item(entry) for entry in entries]


class JournalAtomFeed(JournalFeed):
    """/projects/<slug>/journal/feed/atom/: the same journal, as Atom."""

    feed_type = EscapedAtomFeed

    def subtitle(self, project: ProjectPage) -> str:
        return self.description(project)


def tribe_activity_public(tribe: TribePage, *, limit: int = FEED_SIZE) -> list:
    """The tribe's public projects (dated by their first publication) and the journal entries
    on them, mixed, newest first: at most `limit` items, in three queries."""
    projects = list(
        projects_public()
        .filter(tribes=tribe)
        .select_related("owner")
        .prefetch_related("tags")
        .order_by("-first_published_at", "-pk")[:limit]
    )
    entries = list(
        journal_entries_public()
        .filter(project__tribes=tribe)
        .select_related("author", "project")
        .order_by("-created_at", "-pk")[:limit]
    )
    items = [*projects, *entries]
    items.sort(key=_published_at, reverse=True)
    return items[:limit]


def _published_at(item):
    return item.first_published_at if isinstance(item, ProjectPage) else item.created_at


def _activity_feed_item(item: ProjectPage | JournalEntry) -> FeedItem:
    if isinstance(item, ProjectPage):
        return project_feed_item(
            item, title=_("New project: %(project)s") % {"project": item.title}
        )
    return journal_entry_feed_item(item, title=f"{item.project.title} — {item}")


class TribeActivityFeed(MemberTextFeed):
    """/tribes/<slug>/feed/: what happens in a public tribe, as RSS."""

    def get_object(self, request, slug: str) -> TribePage:
        try:
            return tribes_public().get(slug=slug)
        except TribePage.DoesNotExist as exc:
            # Private, unpublished, or no such tribe: the same 404.
            raise Http404 from exc

    def title(self, tribe: TribePage) -> str:
        return _("%(tribe)s: activity") % {"tribe": tribe.title}

    def link(self, tribe: TribePage) -> str:
        return tribe.url

    def description(self, tribe: TribePage) -> str:
        return _("New projects of the tribe %(tribe)s and their journal entries.") % {
            "tribe": tribe.title
        }

    def items(self, tribe: TribePage) -> list[FeedItem]:
        return [_activity_feed_item(item) for item in tribe_activity_public(tribe)]


class TribeActivityAtomFeed(TribeActivityFeed):
    """/tribes/<slug>/feed/atom/: the same activity, as Atom."""

    feed_type = EscapedAtomFeed

    def subtitle(self, tribe: TribePage) -> str:
        return self.description(tribe)
