"""Factories for projects. They write rows directly, without revisions: tests about revisions
and history build their data through `projects.services`, as the views do.

Stream fields take Wagtail's raw form; `step_block`, `bill_of_materials_row` and `file_block`
build it: `ProjectPageFactory(steps=[step_block("Cut", block_id="s1")])`."""

import uuid

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.documents import get_document_model
from wagtail.models import Collection

from users.factories import UserFactory

from .models import JournalEntry, JournalEntryKind, ProjectIndexPage, ProjectPage


def step_block(title: str, body: str = "", photos=(), block_id: str | None = None) -> dict:
    return {
        "type": "step",
        "id": block_id or str(uuid.uuid4()),
        "value": {"title": title, "body": body, "photos": [photo.pk for photo in photos]},
    }


def bill_of_materials_row(
    item: str, quantity="1", unit_cost=None, unit: str = "", supplier: str = "", link: str = ""
) -> dict:
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {
            "item": item,
            "quantity": str(quantity),
            "unit": unit,
            "supplier": supplier,
            "link": link,
            "unit_cost": None if unit_cost is None else str(unit_cost),
        },
    }


def file_block(document, description: str = "", block_id: str | None = None) -> dict:
    return {
        "type": "file",
        "id": block_id or str(uuid.uuid4()),
        "value": {"document": document.pk, "description": description},
    }


class ProjectDocumentFactory(wagtail_factories.DocumentFactory):
    """A project file (design, G-code…) in the root collection."""

    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"plan-{n}.svg")
    file = factory.django.FileField(
        filename="plan.svg", data=b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    )
    collection = factory.LazyFunction(Collection.get_first_root_node)


class ProjectPageFactory(wagtail_factories.PageFactory):
    """A live project under the project index created by the data migrations."""

    class Meta:
        model = ProjectPage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(ProjectIndexPage.objects.get)
    title = factory.Sequence(lambda n: f"Lampe en bois {n}")
    slug = factory.LazyAttribute(lambda project: slugify(project.title))
    summary = factory.LazyAttribute(lambda project: f"Résumé de {project.title}.")
    owner = factory.SubFactory(UserFactory)
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda project: project.first_published_at)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))
            self.save()

    @factory.post_generation
    def collaborators(self, create, extracted, **kwargs):
        if create and extracted:
            self.collaborators.set(list(extracted))
            self.save()

    @factory.post_generation
    def machines(self, create, extracted, **kwargs):
        if create and extracted:
            self.machines.set(list(extracted))
            self.save()

    @factory.post_generation
    def materials(self, create, extracted, **kwargs):
        if create and extracted:
            self.materials.set(list(extracted))
            self.save()


class JournalEntryFactory(DjangoModelFactory):
    class Meta:
        model = JournalEntry
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectPageFactory)
    author = factory.LazyAttribute(lambda entry: entry.project.owner)
    kind = JournalEntryKind.TRIAL
    title = factory.Sequence(lambda n: f"Essai {n}")
    body = "Découpe à 60 % de puissance, 20 mm/s."

    @factory.post_generation
    def photos(self, create, extracted, **kwargs):
        if create and extracted:
            self.photos.set(list(extracted))
