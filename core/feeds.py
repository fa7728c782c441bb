"""RSS and Atom feeds whose every field is safe for a reader that renders it as HTML.

Feed readers disagree on which fields are HTML: most render RSS titles, author names and
categories as HTML, and many ignore Atom's "text" type. So every plain-text field (titles,
author names, categories, the feed's own description) is written HTML-escaped, and declared as
HTML where the format can say so (Atom's type="html"): a member's `<script>` shows as text.
Descriptions are HTML: a string marked safe (Markdown rendered and sanitised by
core.markdown.render_markdown) goes as it is; any other string is escaped like plain text.
"""

import html
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.safestring import SafeData

PLAIN_TEXT_FIELDS = ("title", "author_name", "feed_copyright", "item_copyright")
HTML_FIELDS = ("description", "subtitle")


def escape_text(value) -> str | None:
    # Quotes stay as they are: they are harmless in text, and French is full of apostrophes.
    return None if value is None else html.escape(str(value), quote=False)


def _escape_fields(fields: dict) -> dict:
    escaped = dict(fields)
    for name in PLAIN_TEXT_FIELDS:
        if name in escaped:
            escaped[name] = escape_text(escaped[name])
    for name in HTML_FIELDS:
        value = escaped.get(name)
        if value is not None and not isinstance(value, SafeData):
            escaped[name] = escape_text(value)
    if escaped.get("categories"):
        escaped["categories"] = [escape_text(category) for category in escaped["categories"]]
    return escaped


class EscapedFieldsMixin:
    """Escapes the feed's and each item's fields before the generator writes them."""

    def __init__(self, title, link, description, **kwargs):
        fields = _escape_fields({"title": title, "description": description, **kwargs})
        super().__init__(fields.pop("title"), link, fields.pop("description"), **fields)

    def add_item(self, title, link, description, **kwargs):
        fields = _escape_fields({"title": title, "description": description, **kwargs})
        super().add_item(fields.pop("title"), link, fields.pop("description"), **fields)


class EscapedRssFeed(EscapedFieldsMixin, Rss201rev2Feed):
    pass


class _HtmlTextConstructs:
    """Writes Atom's text constructs (title, subtitle, rights) with type="html", which is what
    their escaped content is (RFC 4287, 3.1.1.2)."""

    TEXT_CONSTRUCTS = {"title", "subtitle", "rights"}

    def __init__(self, handler):
        self._handler = handler

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 - SAX's name
        if name in self.TEXT_CONSTRUCTS and not attrs:
            attrs = {"type": "html"}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


class EscapedAtomFeed(EscapedFieldsMixin, Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(_HtmlTextConstructs(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(_HtmlTextConstructs(handler), item)


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed, whatever it is about: each app says what goes in, the feed writes it."""

    title: str
    link: str
    description: str  # HTML when marked safe, else plain text (escaped)
    pubdate: datetime | None
    updateddate: datetime | None
    author_name: str  # a public name, never an e-mail address
    categories: list[str]


class MemberTextFeed(Feed):
    """Base of Carnet's feeds, which carry what members wrote: RSS 2.0, escaped. Its `items()`
    return FeedItems."""

    feed_type = EscapedRssFeed

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_pubdate(self, item: FeedItem) -> datetime | None:
        return item.pubdate

    def item_updateddate(self, item: FeedItem) -> datetime | None:
        return item.updateddate

    def item_author_name(self, item: FeedItem) -> str:
        return item.author_name

    def item_categories(self, item: FeedItem) -> list[str]:
        return item.categories
