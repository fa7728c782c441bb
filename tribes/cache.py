"""The public addresses that show a tribe, purged from the proxy cache when it changes
(core/frontend_cache.py): its page and feeds, and the list of tribes. The projects shared with
it list it themselves (projects/cache.py)."""

from django.dispatch import receiver
from django.urls import reverse
from wagtail.signals import page_published, page_unpublished

from core.frontend_cache import absolute_urls, purge_on_commit

from .models import TribePage


def tribe_urls(tribe: TribePage, *, with_page: bool = True) -> list[str]:
    """`with_page=False` after a publish, when Wagtail purges the page itself."""
    page_url = tribe.url
    return absolute_urls(
        [
            page_url[: -len(tribe.slug) - 1] if page_url else "",
            page_url if with_page else "",
            reverse("tribe_feed", kwargs={"slug": tribe.slug}),
            reverse("tribe_feed_atom", kwargs={"slug": tribe.slug}),
        ]
    )


@receiver(page_published, sender=TribePage)
@receiver(page_unpublished, sender=TribePage)  # also sent when a live page is deleted
def purge_published_tribe(sender, instance, **kwargs):
    purge_on_commit(tribe_urls, instance, with_page=False)
