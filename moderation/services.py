"""Every write of moderation: a member reports a thing; staff hide it (its authors are told,
with the moderators' message), dismiss the reports, or show it again. Each open report on the
thing is closed by the decision and its reporter hears the outcome. Decisions are logged in
Wagtail's history of the thing (admin "History") as well as on the reports themselves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from calls.cache import call_urls
from core.frontend_cache import absolute_urls, purge_on_commit
from core.i18n import interpolate_lazy
from notifications.services import notification_send
from projects.cache import journal_entry_urls, project_urls
from projects.models import JournalEntry, ProjectPage
from search.signals import enqueue
from users.models import User

from .models import Report, ReportStatus
from .permissions import can_moderate, can_report
from .selectors import (
    report_kind_for,
    report_refusal,
    reports_open_on,
    target_authors,
    target_filter,
    target_title,
    target_url,
)

# Wagtail log actions (registered in wagtail_hooks.py).
LOG_HIDE = "carnet.moderation.hide"
LOG_SHOW = "carnet.moderation.show"
LOG_DISMISS = "carnet.moderation.dismiss"


@transaction.atomic
def report_create(*, reporter, target, reason: str, details: str = "") -> Report:
    """Record a member's report. Refused (PermissionDenied) for what they may not see or made
    themselves; refused with a message (ValidationError) when one of theirs is still open on the
    same thing or they reached the daily limit."""
    if report_kind_for(target) is None or not can_report(reporter, target):
        raise PermissionDenied(_("You cannot report this."))
    # Locks the reporter's row: two reports sent at once are counted one after the other.
    User.objects.select_for_update().filter(pk=reporter.pk).first()
    refusal = report_refusal(reporter=reporter, target=target)
    if refusal:
        raise ValidationError(refusal)
    report = Report(
        reporter=reporter,
        kind=report_kind_for(target),
        reason=reason,
        details=details.strip(),
        **target_filter(target),
    )
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # the same report sent twice at the same instant
        raise ValidationError(_("You already reported this.")) from exc
    return report


def _require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("Only staff decide on reports."))


def _set_hidden(target, hidden: bool) -> None:
    """Set the thing's flag, have search re-index it (and a project's journal entries) and the
    proxy cache forget the public pages that show it."""
    target.hidden = hidden
    type(target).objects.filter(pk=target.pk).update(hidden=hidden)
    if isinstance(target, ProjectPage):
        enqueue("project", target.pk)
        purge_on_commit(project_urls, target)
    elif isinstance(target, JournalEntry):
        enqueue("journal_entry", target.pk)
        purge_on_commit(journal_entry_urls, target, was_shown=True)
    elif report_kind_for(target) == "call":
        enqueue("call", target.pk)
        purge_on_commit(call_urls, target)
    else:
        enqueue("member", target.pk)
        purge_on_commit(absolute_urls, [target.get_absolute_url()])


def _close_open_reports(*, target, status: str, user, message: str) -> list[Report]:
    now = timezone.now()
    reports = list(reports_open_on(target))
    for report in reports:
        report.status = status
        report.decided_by = user
        report.decided_at = now
        report.staff_message = message
        report.full_clean()
        report.save(update_fields=["status", "decided_by", "decided_at", "staff_message"])
    return reports


def _tell_reporters(reports: list[Report], *, title: str) -> None:
    outcome = {
        ReportStatus.HIDDEN: _(
            "The moderators hid the content you reported. Thank you for looking after Carnet."
        ),
        ReportStatus.DISMISSED: _(
            "The moderators looked at the content you reported and left it in place: they "
            "found it within Carnet's rules. Thank you for telling us."
        ),
    }
    for report in reports:
        notification_send(
            recipient=report.reporter,
            title=interpolate_lazy(_("Your report on “%(title)s”"), {"title": title}),
            body=outcome[report.status],
        )


@transaction.atomic
def report_hide(*, user, report: Report, message: str) -> list[Report]:
    """Hide the reported thing: it vanishes from every surface (visibility.policy) but for staff
    and its authors, who are told with `message`. Closes every open report on it."""
    _require_moderator(user)
    message = message.strip()
    if not message:
        raise ValidationError(_("Write a message to the author: say what to change."))
    target = report.target
    if not report.is_open and target.hidden:
        raise ValidationError(_("This content is already hidden."))
    _set_hidden(target, True)
    closed = _close_open_reports(
        target=target, status=ReportStatus.HIDDEN, user=user, message=message
    )
    if report.pk not in {r.pk for r in closed}:  # hidden again from a closed report
        report.status, report.decided_by, report.decided_at = (
            ReportStatus.HIDDEN,
            user,
            timezone.now(),
        )
        report.staff_message = message
        report.save(update_fields=["status", "decided_by", "decided_at", "staff_message"])
    log(instance=target, action=LOG_HIDE, user=user, data={"report": report.pk, "message": message})
    title = target_title(target)
    for author in target_authors(target):
        notification_send(
            recipient=author,
            title=interpolate_lazy(_("The moderators hid “%(title)s”"), {"title": title}),
            body=interpolate_lazy(
                _(
                    "Only you and the moderators can see it now. Their message:\n\n%(message)s"
                    "\n\nChange what they ask, then answer this notification's e-mail or write "
                    "to the lab's staff so they show it again."
                ),
                {"message": message},
            ),
            url=target_url(target),
        )
    _tell_reporters(closed, title=title)
    return closed


@transaction.atomic
def report_dismiss(*, user, report: Report, message: str = "") -> list[Report]:
    """Leave the thing as it is: close every open report on it; each reporter is told."""
    _require_moderator(user)
    if not report.is_open:
        raise ValidationError(_("This report is already closed."))
    target = report.target
    closed = _close_open_reports(
        target=target, status=ReportStatus.DISMISSED, user=user, message=message.strip()
    )
    log(
        instance=target,
        action=LOG_DISMISS,
        user=user,
        data={"reports": [r.pk for r in closed], "message": message.strip()},
    )
    _tell_reporters(closed, title=target_title(target))
    return closed


@transaction.atomic
def content_show_again(*, user, report: Report, message: str = "") -> None:
    """Un-hide the thing a report led to hiding; its authors are told. Logged."""
    _require_moderator(user)
    target = report.target
    if not target.hidden:
        raise ValidationError(_("This content is not hidden."))
    _set_hidden(target, False)
    log(instance=target, action=LOG_SHOW, user=user, data={"report": report.pk, "message": message})
    title = target_title(target)
    body = _("Everyone who could see it before sees it again.")
    if message.strip():
        body = format_lazy("{}\n\n{}", body, message.strip())
    for author in target_authors(target):
        notification_send(
            recipient=author,
            title=interpolate_lazy(_("“%(title)s” is visible again"), {"title": title}),
            body=body,
            url=target_url(target),
        )
