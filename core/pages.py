"""Writing Wagtail pages from Carnet's own forms: shared by every app whose content is pages."""

from collections.abc import Callable

from django.utils.text import slugify
from wagtail.models import Page


def unique_slug(
    text: str,
    *,
    is_taken: Callable[[str], bool],
    reserved=frozenset(),
    fallback: str,
    max_length: int = 60,
) -> str:
    """A slug from `text`, numbered ("-2", "-3"…) until it is neither taken nor `reserved`."""
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, counter = base, 2
    while slug in reserved or is_taken(slug):
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def unique_child_slug(parent: Page, title: str, *, reserved=frozenset(), fallback: str) -> str:
    """A slug from `title` that no child of `parent` uses and that is not `reserved`."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    return unique_slug(title, is_taken=taken.__contains__, reserved=reserved, fallback=fallback)


def publish_page(page: Page, *, user) -> Page:
    """Save `page` as a revision by `user` and publish it, so the history keeps every version.

    save_revision() runs full_clean() first, so every change is validated. Carnet's own
    permission layer has already decided who may do this; members hold no Wagtail admin
    permissions, so Wagtail's page-permission check is skipped.
    """
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page
