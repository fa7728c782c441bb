"""Showcases are open pages: anyone sees a live one, and its hero image (docs/showcases.md); the
projects it shows are filtered at read time by the projects' own rules. Registered with
visibility.registry from ShowcasesConfig.ready()."""

from django.db.models import Q
from wagtail.images.models import AbstractImage

from visibility.registry import MediaUse, OpenPageRule, register

from .models import ShowcaseIndexPage, ShowcasePage


def _hero_images() -> Q:
    return Q(pk__in=ShowcasePage.objects.filter(hero_image__isnull=False).values("hero_image_id"))


def _hero_images_visible_to(user) -> Q:
    # Staff see a draft's too, as they see every photo.
    live = ShowcasePage.objects.live().filter(hero_image__isnull=False)
    return Q(pk__in=live.values("hero_image_id"))


class ShowcaseRule(OpenPageRule):
    def media_uses(self) -> list[MediaUse]:
        return [MediaUse(AbstractImage, used=_hero_images, visible_to=_hero_images_visible_to)]


register(ShowcaseRule(ShowcasePage))
register(OpenPageRule(ShowcaseIndexPage))
