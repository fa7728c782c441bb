"""RSS and Atom feeds: the latest public projects, and a public project's journal.

Feeds are read by anyone, so they carry what an anonymous visitor sees (visibility.policy):
a project that is not public has no feed (404), and is in no feed. Every field is escaped or
sanitised for readers that render it as HTML (core.feeds).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.feeds import EscapedAtomFeed, MemberTextFeed
from core.markdown import render_markdown
from visibility.policy import journal_entries_public, projects_public

from .models import JournalEntry, ProjectIndexPage, ProjectPage

FEED_SIZE = 30


class LatestProjectsFeed(MemberTextFeed):
    """/projects/feed/: the projects most recently published for everyone."""

    title = gettext_lazy("Carnet: latest projects")
    description = gettext_lazy("Projects documented by the members of the fab lab.")

    def link(self) -> str:
        index = ProjectIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self) -> list[ProjectPage]:
        return list(
            projects_public()
            .select_related("owner")
            .prefetch_related("tags")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, project: ProjectPage) -> str:
        return project.title

    def item_description(self, project: ProjectPage) -> str:
        return project.summary  # plain text: escaped by the feed

    def item_link(self, project: ProjectPage) -> str:
        return project.url

    def item_pubdate(self, project: ProjectPage):
        return project.first_published_at

    def item_updateddate(self, project: ProjectPage):
        return project.last_published_at

    def item_author_name(self, project: ProjectPage) -> str:
        # The public name only: never an e-mail address.
        return project.owner.public_name if project.owner else ""

    def item_categories(self, project: ProjectPage) -> list[str]:
        return [tag.name for tag in project.tags.all()]


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

    def items(self, project: ProjectPage) -> list[JournalEntry]:
        entries = list(
            journal_entries_public()
            .filter(project=project)
            .select_related("author")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        for entry in entries:
            entry.project = project  # its link needs the project's URL: no query per entry
        return entries

    def item_title(self, entry: JournalEntry) -> str:
        return str(entry)

    def item_description(self, entry: JournalEntry) -> str:
        return render_markdown(entry.body)

    def item_link(self, entry: JournalEntry) -> str:
        return entry.get_absolute_url()

    def item_pubdate(self, entry: JournalEntry):
        return entry.created_at

    def item_updateddate(self, entry: JournalEntry):
        return entry.updated_at

    def item_author_name(self, entry: JournalEntry) -> str:
        return entry.author.public_name if entry.author else ""

    def item_categories(self, entry: JournalEntry) -> list[str]:
        return [entry.get_kind_display()]


class JournalAtomFeed(JournalFeed):
    """/projects/<slug>/journal/feed/atom/: the same journal, as Atom."""

    feed_type = EscapedAtomFeed

    def subtitle(self, project: ProjectPage) -> str:
        return self.description(project)
