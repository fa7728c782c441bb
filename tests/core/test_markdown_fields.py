"""Every Markdown field, in every form and service, refuses text over its limit (or shaped to be
slow) with a message that names the limit, and the member gets back everything they typed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from calls.forms import ApplicationForm, CallForm, OrganisationRequestForm
from core.markdown import (
    MAX_LENGTH_LONG,
    MAX_LENGTH_MEDIUM,
    MAX_QUOTE_DEPTH,
    MarkdownValidator,
)
from projects import services
from projects.blocks import STEP_BODY_MAX_LENGTH
from projects.factories import ProjectPageFactory
from projects.forms import JournalEntryForm, ProjectSectionForm, ProjectStepForm
from tests.helpers import EnglishClient
from tribes.forms import TribeForm
from users.factories import UserFactory
from users.forms import ProfileForm
from users.models import User


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so assertions can quote the source strings."""
    with translation.override("en"):
        yield


def _form_kwargs(form_class):
    if form_class is CallForm:
        from calls.models import Organisation

        return {"organisations": Organisation.objects.none()}
    if form_class is ApplicationForm:
        from projects.models import ProjectPage

        return {"user": UserFactory.build(), "tribes": [], "projects": ProjectPage.objects.none()}
    if form_class is ProfileForm:
        return {"instance": User(username="nora")}
    return {}


MARKDOWN_FORM_FIELDS = [
    (ProjectSectionForm, "text", MAX_LENGTH_LONG),
    (ProjectStepForm, "body", STEP_BODY_MAX_LENGTH),
    (JournalEntryForm, "body", MAX_LENGTH_MEDIUM),
    (OrganisationRequestForm, "description", MAX_LENGTH_MEDIUM),
    (CallForm, "brief", MAX_LENGTH_LONG),
    (CallForm, "deliverables", MAX_LENGTH_MEDIUM),
    (CallForm, "ip_terms", MAX_LENGTH_MEDIUM),
    (ApplicationForm, "pitch", MAX_LENGTH_MEDIUM),
    (TribeForm, "description", MAX_LENGTH_MEDIUM),
    (ProfileForm, "bio", 5_000),
]


def test_every_form_with_a_markdown_preview_is_listed_here():
    listed = {(form, name) for form, name, _limit in MARKDOWN_FORM_FIELDS}
    with_preview = {
        (form, name)
        for form in {form for form, _name, _limit in MARKDOWN_FORM_FIELDS}
        for name, field in form.base_fields.items()
        if "data-markdown-preview" in field.widget.attrs
    }
    assert with_preview == listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    MARKDOWN_FORM_FIELDS,
    ids=[f"{form.__name__}.{name}" for form, name, _limit in MARKDOWN_FORM_FIELDS],
)
def test_every_markdown_form_field_refuses_long_text_and_keeps_it(form_class, name, limit):
    typed = "Un texte qui déborde. " * (limit // 22 + 1)
    form = form_class(data={name: typed}, **_form_kwargs(form_class))
    assert not form.is_valid()
    assert any(f"at most {limit} are allowed" in error for error in form.errors[name])
    assert form[name].value() == typed
    assert typed in str(form[name])  # shown again, whole
    assert "maxlength" not in str(form[name])  # a browser would cut a pasted text short


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    MARKDOWN_FORM_FIELDS,
    ids=[f"{form.__name__}.{name}" for form, name, _limit in MARKDOWN_FORM_FIELDS],
)
def test_every_markdown_form_field_refuses_quotes_nested_too_deep(form_class, name, limit):
    form = form_class(data={name: "> " * (MAX_QUOTE_DEPTH + 1) + "a"}, **_form_kwargs(form_class))
    assert not form.is_valid()
    assert any("nests quotes" in error for error in form.errors[name])


def test_form_field_accepts_text_at_its_limit():
    form = ProjectSectionForm(data={"text": "a" * MAX_LENGTH_LONG})
    assert form.is_valid(), form.errors


def test_form_field_shows_its_limit_in_the_help_text():
    assert f"At most {MAX_LENGTH_LONG} characters." in str(ProjectSectionForm()["text"].help_text)


class TestServicesRefuseLongText(TestCase):
    """Services validate what they save, whoever calls them (views, admin, demo, API)."""

    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory()

    def test_project_section(self):
        with self.assertRaises(ValidationError) as caught:
            services.project_update(
                project=self.project,
                user=self.project.owner,
                methodology="a" * (MAX_LENGTH_LONG + 1),
            )
        self.assertIn("methodology", caught.exception.message_dict)

    def test_journal_entry(self):
        with self.assertRaises(ValidationError) as caught:
            services.journal_entry_create(
                project=self.project,
                author=self.project.owner,
                kind="note",
                body="a" * (MAX_LENGTH_MEDIUM + 1),
            )
        self.assertIn("body", caught.exception.message_dict)

    def test_step_body(self):
        with self.assertRaises(ValidationError):
            services.project_step_add(
                project=self.project,
                user=self.project.owner,
                title="Découper",
                body="a" * (STEP_BODY_MAX_LENGTH + 1),
            )
        with self.assertRaises(ValidationError):
            services.project_step_add(
                project=self.project,
                user=self.project.owner,
                title="Découper",
                body="> " * (MAX_QUOTE_DEPTH + 1),
            )


class TestViewsKeepWhatWasTyped(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory()

    def setUp(self):
        self.client.force_login(self.project.owner)

    def assert_refused_and_kept(self, response, typed, limit):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"at most {limit} are allowed")
        self.assertContains(response, "what you typed is kept")
        self.assertIn(typed, response.content.decode())

    def test_project_section(self):
        typed = "Méthode. " * (MAX_LENGTH_LONG // 9 + 1)
        url = reverse("projects:edit_section", args=[self.project.slug, "methodology"])
        response = self.client.post(url, {"text": typed})
        self.assert_refused_and_kept(response, typed, MAX_LENGTH_LONG)

    def test_step(self):
        typed = "Découper. " * (STEP_BODY_MAX_LENGTH // 10 + 1)
        url = reverse("projects:step_add", args=[self.project.slug])
        response = self.client.post(url, {"title": "Découpe", "body": typed})
        self.assert_refused_and_kept(response, typed, STEP_BODY_MAX_LENGTH)
        self.assertContains(response, 'value="Découpe"')

    def test_journal_entry(self):
        typed = "Essai. " * (MAX_LENGTH_MEDIUM // 7 + 1)
        url = reverse("projects:journal_entry_add", args=[self.project.slug])
        response = self.client.post(url, {"kind": "trial", "title": "Essai 3", "body": typed})
        self.assert_refused_and_kept(response, typed, MAX_LENGTH_MEDIUM)

    def test_profile_bio(self):
        member = UserFactory()
        self.client.force_login(member)
        typed = "Bio. " * 1001
        response = self.client.post(
            reverse("users:profile_edit"), {"display_name": "Nora", "bio": typed}
        )
        self.assert_refused_and_kept(response, typed, 5_000)


def test_validator_is_equal_by_limit_so_migrations_stay_stable():
    assert MarkdownValidator(10) == MarkdownValidator(10)
    assert MarkdownValidator(10) != MarkdownValidator(11)
    assert MarkdownValidator(10).deconstruct()[1] == (10,)
