"""Tell a member something, on the site and by e-mail. Every app that notifies calls here.

Titles and bodies are worded in the recipient's language (User.language), whoever's action sent
them: pass lazy translations, and core.i18n.interpolate_lazy for a sentence with parameters. They
are stored worded, so the page and the e-mail say the same thing."""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.tasks import enqueue_on_commit

from .models import Notification
from .selectors import unread_cache_key


def absolute_url(url: str) -> str:
    """The site's address in front of a path, for links that leave the site (e-mails)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def recipient_language(recipient) -> str:
    return recipient.language or settings.LANGUAGE_CODE


def notification_send(*, recipient, title, body="", url: str = "", email: bool = True):
    """Store the notification; once the transaction commits, queue its e-mail for the worker."""
    with translation.override(recipient_language(recipient)):
        # A line break in a title would break the e-mail's Subject header.
        title, body = " ".join(str(title).split()), str(body)
        notification = Notification(recipient=recipient, title=title[:200], body=body, url=url)
        notification.full_clean()
        notification.save()
    if email and recipient.email:
        from .tasks import notification_email_task  # tasks.py imports this module

        enqueue_on_commit(notification_email_task, notification.pk)
    cache.delete(unread_cache_key(recipient.pk))
    return notification


def notification_email_deliver(*, notification_id: int) -> bool:
    """E-mail a stored notification to its recipient's current address; False when there is
    nothing to send (deleted since, no address). Mail errors are raised: the task retries."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return False
    with translation.override(recipient_language(notification.recipient)):
        footer = _("Read it on Carnet: %(url)s") % {
            "url": absolute_url(notification.url or "/notifications/")
        }
        message = f"{notification.body}\n\n{footer}".strip()
    send_mail(f"[Carnet] {notification.title}", message, None, [notification.recipient.email])
    return True


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    changed = unread.update(read_at=timezone.now())
    cache.delete(unread_cache_key(user.pk))
    return changed
