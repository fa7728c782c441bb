"""Notification e-mails, sent by the task worker rather than in the member's request: a slow or
absent mail server delays the e-mail, never the page (docs/deployment.md)."""

import logging
import smtplib

from django_tasks import task

from core.tasks import retry_later

from . import services

logger = logging.getLogger("carnet.notifications")


def _permanent(exc: OSError) -> bool:
    """A 5xx answer (no such mailbox, relaying refused) will not change by waiting."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return False


@task()
def notification_email_task(notification_id: int, *, attempt: int = 1) -> str:
    """E-mail one notification. A failure is tried again later (core.tasks.RETRY_DELAYS); the
    last attempt, or a refusal, fails the task, which staff see in the admin's failed tasks."""
    try:
        sent = services.notification_email_deliver(notification_id=notification_id)
    except OSError as exc:  # smtplib.SMTPException and socket errors alike
        if _permanent(exc) or not retry_later(
            notification_email_task, attempt=attempt, notification_id=notification_id
        ):
            raise
        logger.warning(
            "E-mail of notification %s failed (attempt %s), tried again later: %s",
            notification_id,
            attempt,
            exc,
        )
        return f"attempt {attempt} failed, retry queued"
    return "sent" if sent else "nothing to send"
