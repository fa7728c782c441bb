"""The moderation workflow's outcomes, as Wagtail reports them, turned into call states."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, workflow_rejected

from .models import CallForProjectsPage


@receiver(page_published, sender=CallForProjectsPage)
def open_published_call(sender, instance, **kwargs):
    from .services import call_published

    call_published(call=instance)


@receiver(page_unpublished, sender=CallForProjectsPage)
def draft_unpublished_call(sender, instance, **kwargs):
    from .services import call_unpublished

    call_unpublished(call=instance)


@receiver(workflow_rejected)
def tell_organisation_of_rejection(sender, instance, user=None, **kwargs):
    from .services import call_rejected

    call = instance.content_object
    if not isinstance(call, CallForProjectsPage):
        call = getattr(call, "specific", call)
    if isinstance(call, CallForProjectsPage):
        task_state = instance.current_task_state
        comment = task_state.get_comment() if task_state else ""
        call_rejected(call=call, comment=comment or "")
