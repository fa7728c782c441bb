"""Reads about showcases, each in a fixed number of queries however many items they hold.

Which items show is decided at read time by visibility.policy: an item appears only while an
anonymous visitor may see its project, so a project made private, unpublished or hidden by
moderation leaves every showcase without anyone editing them."""

from django.db.models import Count, Prefetch, Q, QuerySet
from wagtail.images import get_image_model

from projects.selectors import project_cards
from projects.visibility import projects_public

from .models import ShowcasePage

HERO_RENDITION = "fill-1200x500"
CARD_RENDITION = "fill-480x320"


def _public_project_ids():
    return projects_public().values("pk")


def showcase_list_live() -> QuerySet[ShowcasePage]:
    """Live showcases, newest first, each with `project_count`: its items still public."""
    return (
        ShowcasePage.objects.live()
        .prefetch_related(
            Prefetch(
                "hero_image",
                queryset=get_image_model().objects.prefetch_renditions(
                    HERO_RENDITION, CARD_RENDITION
                ),
            )
        )
        .annotate(project_count=Count("items", filter=Q(items__project__in=_public_project_ids())))
        .order_by("-first_published_at", "-pk")
    )


def showcase_latest() -> ShowcasePage | None:
    return showcase_list_live().first()


def showcase_featured(home) -> ShowcasePage | None:
    """The showcase staff chose for the home page if it is live, else the latest live one."""
    if home.featured_showcase_id:
        chosen = showcase_list_live().filter(pk=home.featured_showcase_id).first()
        if chosen is not None:
            return chosen
    return showcase_latest()


def showcase_items_public(showcase: ShowcasePage, *, limit: int | None = None) -> list:
    """The showcase's items whose project anyone may see, in the curator's order, each with
    its project ready for a project card (`item.project`).

    Works on a live page and on a preview alike: the items come from the page (the database,
    or the unsaved form in a preview), the projects from the policy.
    """
    items = list(showcase.items.all())
    if not items:
        return []
    projects = {
        project.pk: project
        for project in project_cards(
            projects_public().filter(pk__in=[item.project_id for item in items])
        )
    }
    visible = []
    for item in sorted(items, key=lambda item: (item.sort_order is None, item.sort_order or 0)):
        project = projects.get(item.project_id)
        if project is None:
            continue
        item.project = project
        visible.append(item)
        if limit is not None and len(visible) >= limit:
            break
    return visible
