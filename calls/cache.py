"""The public addresses that show a call for projects, purged from the proxy cache when it
changes (core/frontend_cache.py): its page, the list of calls and the home page's open calls."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from core.frontend_cache import absolute_urls, purge_on_commit

from .models import CallForProjectsPage


def call_urls(call: CallForProjectsPage, *, with_page: bool = True) -> list[str]:
    """`with_page=False` after a publish, when Wagtail purges the page itself."""
    page_url = call.url
    index_url = page_url[: -len(call.slug) - 1] if page_url else ""
    return absolute_urls(["/", index_url, page_url if with_page else ""])


@receiver(page_published, sender=CallForProjectsPage)
@receiver(page_unpublished, sender=CallForProjectsPage)  # also sent when a live page is deleted
def purge_published_call(sender, instance, **kwargs):
    purge_on_commit(call_urls, instance, with_page=False)
