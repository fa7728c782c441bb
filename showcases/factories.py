"""Factories for showcases. Like the project factories they write rows directly, without
revisions: `ShowcasePageFactory(items=[project_a, (project_b, "note")])` adds items in that
order; tests about the services build their data through `showcases.services`."""

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from .models import ShowcaseIndexPage, ShowcaseItem, ShowcasePage


class ShowcasePageFactory(wagtail_factories.PageFactory):
    """A live showcase under the showcase index created by the data migration."""

    class Meta:
        model = ShowcasePage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(ShowcaseIndexPage.objects.get)
    title = factory.Sequence(lambda n: f"Vitrine {n}")
    slug = factory.LazyAttribute(lambda showcase: slugify(showcase.title))
    intro = "Des projets choisis par l'équipe du lab."
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda showcase: showcase.first_published_at)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        for order, entry in enumerate(extracted):
            project, note = entry if isinstance(entry, tuple) else (entry, "")
            ShowcaseItem.objects.create(page=self, project=project, note=note, sort_order=order)
