"""RSS and Atom feeds of a tribe's activity: its new public projects and the journal entries
written on them, newest first.

Feeds are read by anyone, so they carry what an anonymous visitor sees (visibility.policy): a
tribe that is not public (private, or unpublished) has no feed (404), and a project that is not
public (tribe-only, private, draft, hidden) is in no feed, nor are its journal entries. Every
field is escaped or sanitised for readers that render it as HTML (core.feeds).
"""

from django.http import Http404
from django.utils.translation import gettext as _

from core.feeds import EscapedAtomFeed, MemberTextFeed
from core.markdown import render_markdown
from projects.models import JournalEntry, ProjectPage
from visibility.policy import journal_entries_public, projects_public, tribes_public

from .models import TribePage

FEED_SIZE = 30


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

    def items(self, tribe: TribePage) -> list:
        return tribe_activity_public(tribe)

    def item_title(self, item) -> str:
        if isinstance(item, ProjectPage):
            return _("New project: %(project)s") % {"project": item.title}
        return f"{item.project.title} — {item}"

    def item_description(self, item) -> str:
        if isinstance(item, ProjectPage):
            return item.summary  # plain text: escaped by the feed
        return render_markdown(item.body)

    def item_link(self, item) -> str:
        return item.url if isinstance(item, ProjectPage) else item.get_absolute_url()

    def item_pubdate(self, item):
        return _published_at(item)

    def item_updateddate(self, item):
        return item.last_published_at if isinstance(item, ProjectPage) else item.updated_at

    def item_author_name(self, item) -> str:
        # The public name only: never an e-mail address.
        person = item.owner if isinstance(item, ProjectPage) else item.author
        return person.public_name if person else ""

    def item_categories(self, item) -> list[str]:
        if isinstance(item, JournalEntry):
            return [item.get_kind_display()]
        return [tag.name for tag in item.tags.all()]


class TribeActivityAtomFeed(TribeActivityFeed):
    """/tribes/<slug>/feed/atom/: the same activity, as Atom."""

    feed_type = EscapedAtomFeed

    def subtitle(self, tribe: TribePage) -> str:
        return self.description(tribe)
