"""The project's forms and its page speak plainly, in French and in English: no name of a syntax,
no trade jargon, no "---------" for an empty choice. Every page that edits a project is scanned,
and every form of projects/forms.py must be on one of them."""

import inspect
import re
from html.parser import HTMLParser

from django import forms as django_forms
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse

from machines.factories import MachineFactory
from projects import forms as project_forms
from projects import services
from projects.models import MARKDOWN_SECTIONS, JournalEntryKind
from users.factories import UserFactory

# Words a member should not have to know, in either language (compared in lower case).
JARGON = (
    "markdown",
    "nomenclature",
    "bill of materials",
    "technical architecture",
    "architecture technique",
    "name: value",
    "nom : valeur",
    "nom\u00a0: valeur",
    "uid",
    "---",
)
# What a member reads: the text, and the attributes a browser shows or speaks.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class ReadText(HTMLParser):
    """The words of a page a member reads or hears: text outside scripts and styles, and the
    attributes shown or spoken (not class names nor data attributes)."""

    def __init__(self):
        super().__init__()
        self.words = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden_depth += 1
        self.words.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.words.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth and data.strip():
            self.words.append(data)


def jargon_in(html: str) -> list[str]:
    parser = ReadText()
    parser.feed(html)
    text = re.sub(r"\s+", " ", " ".join(parser.words)).lower()
    return [word for word in JARGON if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


class TestJargonFinder(SimpleTestCase):
    """The finder itself: it must see jargon where a member would, and only there."""

    def test_finds_jargon_in_text_options_and_spoken_attributes(self):
        self.assertEqual(jargon_in("<p>Écrivez en Markdown.</p>"), ["markdown"])
        self.assertEqual(jargon_in('<select><option value="">---------</option></select>'), ["---"])
        self.assertEqual(
            jargon_in('<textarea placeholder="nom : valeur"></textarea>'), ["nom : valeur"]
        )
        self.assertEqual(jargon_in('<button aria-label="Nomenclature"></button>'), ["nomenclature"])

    def test_ignores_markup_nobody_reads(self):
        html = (
            '<textarea data-markdown-preview class="markdown"></textarea>'
            '<script>fetch("/markdown/preview/")</script><p>Guide</p>'
        )
        self.assertEqual(jargon_in(html), [])


class TestProjectFormsSpeakPlainly(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Lampe de chevet", summary="Une lampe en bouleau."
        )
        MachineFactory(name="Découpeuse laser")
        cls.step_id = services.project_step_add(
            project=cls.project, user=cls.owner, title="Découper", body="Les côtés."
        )
        cls.entry = services.journal_entry_create(
            project=cls.project, author=cls.owner, kind=JournalEntryKind.TRIAL, body="Essai."
        )

    def pages(self) -> list[str]:
        def url(name, **kwargs):
            return reverse(f"projects:{name}", kwargs={"slug": self.project.slug, **kwargs})

        sections = [*MARKDOWN_SECTIONS, "details", "cover"]
        return [
            reverse("projects:create"),
            *(url("edit_section", section=section) for section in sections),
            url("step_add"),
            url("step_edit", step_id=self.step_id),
            url("bill_of_materials"),
            url("file_add"),
            url("journal_entry_add"),
            url("journal_entry_edit", pk=self.entry.pk),
            url("journal_entry", pk=self.entry.pk),
            self.project.url,
        ]

    def render_all(self, language: str):
        client = Client(headers={"accept-language": language})
        client.force_login(self.owner)
        for path in self.pages():
            response = client.get(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(response.headers["Content-Language"], language, path)
            yield path, response

    def test_no_jargon_in_french_nor_english(self):
        for language in ("fr", "en"):
            for path, response in self.render_all(language):
                with self.subTest(language=language, path=path):
                    self.assertEqual(jargon_in(response.content.decode()), [])

    def test_every_project_form_is_scanned(self):
        rendered = set()
        for _path, response in self.render_all("en"):
            if "form" in response.context:
                rendered.add(type(response.context["form"]))
            if "formset" in response.context:
                rendered.add(response.context["formset"].form)
        defined = {
            form
            for _name, form in inspect.getmembers(project_forms, inspect.isclass)
            if issubclass(form, django_forms.BaseForm) and form.__module__ == project_forms.__name__
        }
        self.assertEqual(defined - rendered, set())

    def test_empty_choices_say_what_they_mean(self):
        for _path, response in self.render_all("en"):
            form = response.context.get("form")
            for name, field in getattr(form, "fields", {}).items():
                for value, label in getattr(field, "choices", ()):
                    if value == "":
                        with self.subTest(field=name):
                            self.assertRegex(str(label), r"\w")
