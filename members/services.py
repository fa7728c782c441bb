"""Writes about members: messages sent with the Contact button (the ContactMessage model stays
in users), each one notified to its recipient."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.i18n import interpolate_lazy
from notifications.services import absolute_url, notification_send
from users.models import ContactMessage, User

from .selectors import ContactWait, contact_allowed, contact_wait


class ContactRateLimited(ValidationError):
    """The sender is over a rate limit; `wait.until` says when they may write again."""

    def __init__(self, wait: ContactWait, *, recipient: User):
        when = formats.date_format(timezone.localtime(wait.until), "DATETIME_FORMAT")
        if wait.reason == "per_recipient":
            message = ngettext(
                "You may send %(name)s %(limit)d message per 24 hours. "
                "You can write to them again on %(when)s.",
                "You may send %(name)s %(limit)d messages per 24 hours. "
                "You can write to them again on %(when)s.",
                wait.limit,
            ) % {"name": recipient.public_name, "limit": wait.limit, "when": when}
        else:
            message = ngettext(
                "You may send %(limit)d message per 24 hours through Carnet. "
                "You can write again on %(when)s.",
                "You may send %(limit)d messages per 24 hours through Carnet. "
                "You can write again on %(when)s.",
                wait.limit,
            ) % {"limit": wait.limit, "when": when}
        super().__init__(message, code="rate_limited")
        self.wait = wait


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


@transaction.atomic
def contact_message_send(
    *, sender: User, recipient: User, subject: str, body: str, organisation: str = ""
) -> ContactMessage:
    """Store a message from `sender` to `recipient` and notify the recipient (on the site and
    by e-mail) with the sender's public name and profile, never an e-mail address.

    Raises PermissionDenied for a visitor or a deactivated account; ValidationError with code
    `self`, `inactive` (the recipient's account is closed), `closed` (not open to contact, and
    not a reply) or `rate_limited` (ContactRateLimited, which says when to write again)."""
    if not (sender and sender.is_authenticated):
        raise PermissionDenied(_("Log in first."))
    # Locking the sender's row queues their concurrent sends, so two at once cannot both pass
    # the limit; it also reads whether the account is still active.
    sender = User.objects.select_for_update().filter(pk=sender.pk).first()
    if sender is None or not sender.is_active:
        raise PermissionDenied(_("Your account is deactivated: you cannot send messages."))
    if recipient.pk == sender.pk:
        raise ValidationError(_("You cannot write to yourself."), code="self")
    recipient = User.objects.filter(pk=recipient.pk).first()
    if recipient is None or not recipient.is_active:
        raise ValidationError(_("This member's account is closed."), code="inactive")
    if not contact_allowed(sender=sender, recipient=recipient):
        raise ValidationError(_("This member does not accept messages."), code="closed")
    wait = contact_wait(sender=sender, recipient=recipient)
    if wait is not None:
        raise ContactRateLimited(wait, recipient=recipient)
    message = ContactMessage(
        sender=sender,
        recipient=recipient,
        subject=_one_line(subject),
        body=body.strip(),
        organisation=_one_line(organisation),
    )
    message.full_clean()
    message.save()
    _notify_recipient(message)
    return message


def _notify_recipient(message: ContactMessage) -> None:
    """Worded in the recipient's language (notification_send), whatever the sender's."""
    sender = message.sender
    name = _one_line(sender.public_name)
    if message.organisation:
        name = interpolate_lazy(
            gettext_lazy("%(name)s (%(organisation)s)"),
            {"name": name, "organisation": message.organisation},
        )
    title = interpolate_lazy(
        gettext_lazy("Message from %(name)s: %(subject)s"),
        {"name": name, "subject": message.subject},
    )
    signature = interpolate_lazy(
        gettext_lazy(
            "Sent through Carnet by %(name)s: %(profile)s\n"
            "To reply, follow this notification's link to Carnet: neither of you sees the "
            "other's e-mail address."
        ),
        {"name": name, "profile": absolute_url(sender.get_absolute_url())},
    )
    notification_send(
        recipient=message.recipient,
        title=title,
        body=format_lazy("{}\n\n— {}", message.body, signature),
        url=reverse("members:contact", kwargs={"username": sender.username}),
    )
