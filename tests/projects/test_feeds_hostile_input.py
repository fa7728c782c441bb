"""Every feed (projects, a journal, a tribe; RSS and Atom) stays harmless when members write
markup in every field they own: read as HTML, no field holds a tag outside the Markdown
sanitiser's allow-list, an on* attribute or a javascript: link, and what they typed still
shows, as text."""

from html.parser import HTMLParser

from defusedxml import ElementTree as ET
from django.test import TestCase

from core.markdown import ALLOWED_TAGS
from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.helpers import EnglishClient
from tribes.factories import TribePageFactory
from users.factories import UserFactory

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "<svg onload=alert(1)>&lt;b&gt;",
)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class _ReadAsHtml(HTMLParser):
    """What a feed reader that renders a field as HTML would build from it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data


def read_as_html(value: str) -> _ReadAsHtml:
    parser = _ReadAsHtml()
    parser.feed(value)
    parser.close()
    return parser


def feed_fields(xml: bytes):
    """Every text node and attribute value of the feed, with where it was found."""
    for element in ET.fromstring(xml).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if element.text and element.text.strip():
            yield name, element.text
        for attribute, value in element.attrib.items():
            yield f"{name}@{attribute}", value


class TestFeedsWithHostileMemberText(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.feeds = []
        for number, payload in enumerate(PAYLOADS):
            author = UserFactory(display_name=payload)
            tribe = TribePageFactory(title=payload, slug=f"tribu-{number}")
            project = ProjectPageFactory(
                title=payload,
                slug=f"projet-{number}",
                summary=payload,
                owner=author,
                tags=[f"tag {number} {payload}"],
            )
            project.tribes.add(tribe)
            project.save()
            JournalEntryFactory(
                project=project,
                author=author,
                title=payload,
                body=f"{payload}\n\n[lien](javascript:alert(1)) **gras**",
            )
            cls.feeds += [
                f"/projects/projet-{number}/journal/feed/",
                f"/projects/projet-{number}/journal/feed/atom/",
                f"/tribes/tribu-{number}/feed/",
                f"/tribes/tribu-{number}/feed/atom/",
            ]
        cls.feeds += ["/projects/feed/", "/projects/feed/atom/"]

    def _fields(self, url):
        response = EnglishClient().get(url)
        self.assertEqual(response.status_code, 200, url)
        return list(feed_fields(response.content))

    def test_no_field_of_any_feed_holds_markup_that_runs(self):
        for url in self.feeds:
            for where, value in self._fields(url):
                with self.subTest(feed=url, field=where, value=value):
                    for tag, attributes in read_as_html(value).tags:
                        self.assertIn(tag, ALLOWED_TAGS)
                        for attribute, attribute_value in attributes:
                            self.assertFalse(attribute.startswith("on"), attribute)
                            if attribute in URL_ATTRIBUTES:
                                scheme = (attribute_value or "").strip().lower()
                                self.assertFalse(scheme.startswith("javascript:"), scheme)

    def test_member_text_shows_as_text_in_titles_authors_and_categories(self):
        for url in self.feeds:
            fields = self._fields(url)
            shown = {
                where: [read_as_html(value).text for w, value in fields if w == where]
                for where in ("title", "name", "creator", "category", "category@term")
            }
            titles = " ".join(shown["title"])
            authors = " ".join(shown["name"] + shown["creator"])
            categories = " ".join(shown["category"] + shown["category@term"])
            payloads = PAYLOADS if url.startswith("/projects/feed/") else [self._payload(url)]
            for payload in payloads:
                with self.subTest(feed=url, payload=payload):
                    self.assertIn(payload, titles)
                    self.assertIn(payload, authors)
                    if "/journal/" not in url:
                        self.assertIn(payload, categories)

    def test_summaries_show_as_text_and_journal_entries_as_sanitised_html(self):
        payload = PAYLOADS[0]
        for url in ("/tribes/tribu-0/feed/", "/tribes/tribu-0/feed/atom/"):
            with self.subTest(feed=url):
                descriptions = [
                    read_as_html(value)
                    for where, value in self._fields(url)
                    if where in ("description", "summary")
                ]
                self.assertTrue(any(payload in d.text for d in descriptions))  # the summary
                # The entry's Markdown is HTML: its bold text survives, its link does not run.
                self.assertTrue(any(("strong", []) in d.tags for d in descriptions))

    def _payload(self, url):
        return PAYLOADS[int(url.split("/")[2].rsplit("-", 1)[1])]
