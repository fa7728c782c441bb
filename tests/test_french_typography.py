"""The reader's language, written properly: French punctuation in the catalogue, counts with
their plural, relative times as sentences, machine parameters and licences translated, and
Carnet's own 404 page in the demo."""

import re
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from core.templatetags.typography import ago
from machines.parameters import PARAMETER_LABELS, parameter_label
from projects.models import Licence

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Placeholders that hold a person's name, which may end with an initial's full stop ("Camille L.").
PERSON_PLACEHOLDERS = ("name", "member", "applicant", "person", "author", "sender")


@pytest.fixture(scope="module")
def french():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def translations(entry):
    return [entry.msgstr, *entry.msgstr_plural.values()]


def test_no_plain_space_before_high_punctuation_or_inside_quotes(french):
    wrong = [
        text for entry in french for text in translations(entry) if re.search(r" [:;!?»]|« ", text)
    ]
    assert wrong == [], "use a non-breaking space (U+00A0) in French: " + "\n".join(wrong)


def test_no_full_stop_right_after_a_persons_name(french):
    # "Message sent to Camille L.." : a name's initial already ends with a full stop.
    after_name = re.compile(r"%\((" + "|".join(PERSON_PLACEHOLDERS) + r")\)s\.")
    wrong = [
        entry.msgid
        for entry in french
        for text in (entry.msgid, entry.msgid_plural or "")
        if after_name.search(text)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("fr", "1 tribu", "2 tribus"), ("en", "1 tribe", "2 tribes")],
)
def test_counts_agree_with_their_number(language, one, two):
    template = Template(
        '{% load i18n %}{{ n }} {% blocktranslate count counter=n context "site figure" %}tribe'
        "{% plural %}tribes{% endblocktranslate %}"
    )
    with translation.override(language):
        assert template.render(Context({"n": 1})) == one
        assert template.render(Context({"n": 2})) == two


@pytest.mark.parametrize(
    ("language", "just_now", "hours"),
    [("fr", "à l'instant", "il y a 3\xa0heures"), ("en", "just now", "3\xa0hours ago")],
)
def test_relative_times_are_sentences(language, just_now, hours):
    now = timezone.now()
    with translation.override(language):
        assert ago(now - timedelta(seconds=20), now) == just_now
        assert ago(now - timedelta(hours=3, minutes=10), now) == hours


def test_every_known_machine_parameter_has_a_french_label(french):
    translated = {entry.msgid for entry in french if entry.msgstr and not entry.msgctxt}
    with translation.override("en"):
        labels = {key: str(label) for key, label in PARAMETER_LABELS.items()}
    assert {key for key, label in labels.items() if label not in translated} == set()
    with translation.override("fr"):
        assert parameter_label("layer_height") == "Hauteur de couche"
        assert parameter_label("Layer height") == "Hauteur de couche"
        assert parameter_label("Vitesse de coupe") == "Vitesse de coupe"  # unknown: as typed


def test_licence_names_read_in_french():
    with translation.override("fr"):
        labels = [str(label) for label in Licence.labels]
    assert "GPL 3.0 ou ultérieure" in labels
    assert not [label for label in labels if re.search(r"\b(or|later|rights)\b", label)]


@pytest.mark.django_db
def test_the_demo_shows_carnets_404_page_with_debug_on(client):
    middleware = [*settings.MIDDLEWARE, "core.middleware.NotFoundPageMiddleware"]
    with override_settings(DEBUG=True, MIDDLEWARE=middleware):
        for path in ("/no/such/page/", "/members/nobody-here/", "/tribes/no-such-tribe/"):
            response = client.get(path, headers={"accept-language": "en"})
            assert response.status_code == 404
            assert b"We could not find this page" in response.content
            assert b"URLconf" not in response.content
