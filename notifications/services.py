"""Tell a member something, on the site and by e-mail. Every app that notifies calls here.

Titles and bodies may be lazy translations: they are rendered in the site's language
(members have no language preference yet), so the e-mail and the page say the same thing."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification
from .selectors import unread_cache_key

logger = logging.getLogger("carnet.notifications")


def absolute_url(url: str) -> str:
    """The site's address in front of a path, for links that leave the site (e-mails)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def notification_send(*, recipient, title, body="", url: str = "", email: bool = True):
    """Store the notification, then e-mail it once the transaction commits."""
    with translation.override(settings.LANGUAGE_CODE):
        # A line break in a title would break the e-mail's Subject header.
        title, body = " ".join(str(title).split()), str(body)
        notification = Notification(recipient=recipient, title=title[:200], body=body, url=url)
        notification.full_clean()
        notification.save()
        if email and recipient.email:
            footer = _("Read it on Carnet: %(url)s") % {
                "url": absolute_url(url or "/notifications/")
            }
            message = f"{body}\n\n{footer}".strip()
            transaction.on_commit(lambda: _mail(recipient.email, title, message))
    cache.delete(unread_cache_key(recipient.pk))
    return notification


def _mail(address: str, subject: str, message: str) -> None:
    try:
        send_mail(f"[Carnet] {subject}", message, None, [address])
    except OSError:
        # The notification is on the site anyway; a mail server hiccup must not undo the action.
        logger.exception("Could not e-mail a notification to %s", address)


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    changed = unread.update(read_at=timezone.now())
    cache.delete(unread_cache_key(user.pk))
    return changed
