"""The public addresses that show a showcase besides its own page, purged from the proxy cache
when it is published or unpublished (core/frontend_cache.py): the home page, which features the
latest showcase, and the list of showcases. Wagtail purges the page itself."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from core.frontend_cache import absolute_urls, purge_on_commit

from .models import ShowcasePage


def showcase_urls(showcase: ShowcasePage) -> list[str]:
    page_url = showcase.url
    return absolute_urls(["/", page_url[: -len(showcase.slug) - 1] if page_url else ""])


@receiver(page_published, sender=ShowcasePage)
@receiver(page_unpublished, sender=ShowcasePage)  # also sent when a live page is deleted
def purge_published_showcase(sender, instance, **kwargs):
    purge_on_commit(showcase_urls, instance)
