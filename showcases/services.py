"""Writing showcases outside the admin (the demo loader, scripts): the same rules as the admin
form, since publishing a revision runs full_clean() on the page and on each item."""

from collections.abc import Iterable

from django.db import transaction

from core.pages import publish_page, unique_child_slug
from projects.models import ProjectPage

from .models import ShowcaseIndexPage, ShowcaseItem, ShowcasePage


@transaction.atomic
def showcase_create(
    *,
    user,
    title: str,
    intro: str = "",
    items: Iterable[tuple[ProjectPage, str]] = (),
    hero_image=None,
) -> ShowcasePage:
    """Create and publish a showcase of `items` (project, curator's note), in that order.

    Raises ValidationError if a project is not public (ShowcaseItem.clean())."""
    index = ShowcaseIndexPage.objects.get()
    page = ShowcasePage(
        title=title.strip(),
        intro=intro.strip(),
        hero_image=hero_image,
        slug=unique_child_slug(index, title, fallback="vitrine"),
    )
    page.items = [
        ShowcaseItem(project=project, note=note.strip(), sort_order=order)
        for order, (project, note) in enumerate(items)
    ]
    for item in page.items.all():
        item.full_clean(exclude=["page"])
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    return publish_page(page, user=user)
