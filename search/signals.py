"""Re-index what changed, after the change is committed: a publish, an edit, a visibility or
tribe change (both are published), an unpublish, a deletion."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from calls.models import CallForProjectsPage
from core.tasks import enqueue_on_commit
from projects.models import JournalEntry, ProjectPage
from tribes.models import TribePage

from .tasks import search_index_task


def enqueue(kind: str, source_id: int) -> None:
    """The request only queues the work: the task worker re-indexes (docs/deployment.md)."""
    enqueue_on_commit(search_index_task, kind, source_id)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete, sender=ProjectPage)
@receiver(post_delete, sender=TribePage)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, ProjectPage):
        enqueue("project", instance.pk)
    elif isinstance(instance, TribePage):
        enqueue("tribe", instance.pk)
    elif isinstance(instance, CallForProjectsPage):
        enqueue("call", instance.pk)


@receiver(post_save, sender=CallForProjectsPage)
@receiver(post_delete, sender=CallForProjectsPage)
def call_changed(sender, instance, raw=False, **kwargs):
    # Its state (open, closed, awarded) changes without a publish.
    if not raw:
        enqueue("call", instance.pk)


@receiver(post_save, sender=JournalEntry)
@receiver(post_delete, sender=JournalEntry)
def journal_entry_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue("journal_entry", instance.pk)


@receiver(post_save, sender=get_user_model())
@receiver(post_delete, sender=get_user_model())
def member_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    # Every login saves `last_login`, which no search document shows.
    if not raw and update_fields != frozenset({"last_login"}):
        enqueue("member", instance.pk)
