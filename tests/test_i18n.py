"""French first, English second: the catalogues exist, are compiled, complete and correct, and
pages follow the visitor's language (Accept-Language, then the switcher)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext

from projects.factories import ProjectPageFactory
from projects.models import JournalEntryKind
from tests.helpers import EnglishClient
from users.factories import UserFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
FRENCH_MO = LOCALE / "fr" / "LC_MESSAGES" / "django.mo"
APPS = [
    "core",
    "users",
    "images",
    "documents",
    "home",
    "machines",
    "tribes",
    "projects",
    "members",
    "visibility",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfi]|%[sdfi]")


@pytest.fixture(scope="module")
def french_po():
    assert FRENCH_PO.exists(), f"missing {FRENCH_PO}"
    return polib.pofile(str(FRENCH_PO))


def test_french_catalogue_and_its_compiled_file_exist():
    assert FRENCH_PO.exists()
    assert FRENCH_MO.exists(), "run `make messages` (compile_translations) to build the .mo"


def test_compiled_catalogue_matches_the_po(french_po):
    # Keyed by context too: "member" and "member" in the context "site figure" are two entries.
    mo = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(FRENCH_MO))}
    stale = [
        entry.msgid
        for entry in french_po.translated_entries()
        if not entry.msgid_plural and mo.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert stale == [], "the .mo is older than the .po: run `make messages`"


def test_french_catalogue_has_no_fuzzy_or_untranslated_entry(french_po):
    assert [e.msgid for e in french_po.fuzzy_entries()] == []
    assert [e.msgid for e in french_po.untranslated_entries()] == []


def test_translations_keep_the_placeholders_of_the_source(french_po):
    broken = []
    for entry in french_po.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for msgstr in translations:
            found = sorted(PLACEHOLDER.findall(msgstr))
            plural_may_drop_count = entry.msgid_plural and set(found) <= set(expected)
            if found != expected and not plural_may_drop_count:
                broken.append((entry.msgid, msgstr))
    assert broken == []


def _strings_marked_in_code_and_templates() -> set[str]:
    base = Path(settings.BASE_DIR)
    found = set()
    template_tag = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
    for path in (base / "templates").rglob("*.*"):
        found |= {match[1] for match in template_tag.findall(path.read_text())}
    python_call = re.compile(r"""\b_\(\s*(["'])((?:(?!\1)[^\\\n])+)\1\s*[,)]""")
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found |= {match[1] for match in python_call.findall(path.read_text())}
    return found


def test_every_simple_string_marked_for_translation_is_in_the_french_catalogue(french_po):
    catalogue = {entry.msgid for entry in french_po}
    missing = sorted(_strings_marked_in_code_and_templates() - catalogue)
    assert missing == [], "run `make makemessages` and translate"


@pytest.mark.parametrize(
    ("source", "french"),
    [
        ("Projects", "Projets"),
        ("New journal entry", None),
        ("Failure", None),
        ("Lesson", None),
        ("Log in", None),
    ],
)
def test_key_strings_are_translated_to_french(source, french):
    with translation.override("fr"):
        translated = gettext(source)
    assert translated != source
    if french:
        assert translated == french


def test_journal_kind_labels_are_translated():
    with translation.override("fr"):
        assert str(JournalEntryKind.FAILURE.label) == gettext("Failure") != "Failure"


class TestPageLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory()

    def _french(self, text):
        with translation.override("fr"):
            return gettext(text)

    def test_french_is_the_default(self):
        response = self.client.get("/projects/")
        self.assertEqual(response.headers["Content-Language"], "fr")
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, ">Projets</a>")

    def test_accept_language_english_gives_english(self):
        response = EnglishClient().get("/projects/")
        self.assertEqual(response.headers["Content-Language"], "en")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, ">Projects</a>")
        self.assertNotContains(response, ">Projets</a>")

    def test_accept_language_french_gives_french(self):
        response = self.client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"})
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, self._french("Browse the projects"))

    def test_editing_form_heading_follows_the_language(self):
        self.client.force_login(self.project.owner)
        url = f"/projects/{self.project.slug}/journal/new/"
        french = self.client.get(url)
        self.assertContains(french, self._french("New journal entry"))
        english = self.client.get(url, headers={"accept-language": "en"})
        self.assertContains(english, "New journal entry")

    def test_language_switcher_sets_the_language_for_the_next_pages(self):
        response = self.client.get("/language/en/", {"next": "/projects/"})
        self.assertRedirects(response, "/projects/", fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")
        self.assertContains(self.client.get("/projects/"), '<html lang="en">')
        self.client.get("/language/fr/", {"next": "/"})
        self.assertContains(self.client.get("/projects/"), '<html lang="fr">')

    def test_language_switcher_ignores_unknown_languages_and_foreign_next(self):
        response = self.client.get("/language/xx/", {"next": "https://evil.example/"})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("evil.example", response.url)
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)

    def test_switcher_is_on_every_page(self):
        self.assertContains(
            self.client.get("/projects/?page=1"),
            'href="/language/en/?next=/projects/%3Fpage%3D1" hreflang="en"',
        )

    def test_validation_messages_are_in_french(self):
        self.client.force_login(UserFactory())
        response = self.client.post("/projects/new/", {"title": "", "summary": "x"})
        required = self._french("This field is required.")
        self.assertNotEqual(required, "This field is required.")
        self.assertContains(response, required)
