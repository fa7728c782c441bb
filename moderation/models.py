"""Reports members make about content, and the moderators' decisions on them (docs/moderation.md).

The reported thing is held by one nullable foreign key per kind (project, journal entry, call,
member profile) rather than a generic relation: the database then checks that each report
points at exactly one existing thing of its kind, deleting the content deletes its reports, and
the admin list and the selectors join the reported thing without one query per row."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROJECT = "project", _("Project")
    JOURNAL_ENTRY = "journal_entry", _("Journal entry")
    CALL = "call", _("Call for projects")
    PROFILE = "profile", _("Member profile")


# The foreign key that holds the reported thing, for each kind.
TARGET_FIELDS = {
    ReportKind.PROJECT: "project",
    ReportKind.JOURNAL_ENTRY: "journal_entry",
    ReportKind.CALL: "call",
    ReportKind.PROFILE: "member",
}


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, hateful or harassing")
    PERSONAL_DATA = "personal_data", _("Personal data shown without consent")
    COPYRIGHT = "copyright", _("Copyright infringement")
    DANGER = "danger", _("Dangerous: a safety risk")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Dismissed")


def _only_target(kind: str) -> Q:
    rule = Q(kind=kind)
    for other_kind, name in TARGET_FIELDS.items():
        rule &= Q(**{f"{name}__isnull": other_kind != kind})
    return rule


class Report(models.Model):
    DETAILS_MAX_LENGTH = 2000
    MESSAGE_MAX_LENGTH = 2000

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="reports_made",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    journal_entry = models.ForeignKey(
        "projects.JournalEntry",
        verbose_name=_("journal entry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    call = models.ForeignKey(
        "calls.CallForProjectsPage",
        verbose_name=_("call for projects"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member profile"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports_received",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(
        _("details"), blank=True, validators=[MaxLengthValidator(DETAILS_MAX_LENGTH)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    staff_message = models.TextField(
        _("message from the moderators"),
        blank=True,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["reporter", "created_at"]),
            models.Index(fields=["status", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_only_target(ReportKind.PROJECT)
                | _only_target(ReportKind.JOURNAL_ENTRY)
                | _only_target(ReportKind.CALL)
                | _only_target(ReportKind.PROFILE),
                name="report_points_at_one_thing_of_its_kind",
            ),
            *(
                models.UniqueConstraint(
                    fields=["reporter", name],
                    condition=Q(status="open", **{f"{name}__isnull": False}),
                    name=f"report_one_open_per_reporter_and_{name}",
                )
                for name in TARGET_FIELDS.values()
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self):
        """The reported project, journal entry, call or member."""
        return getattr(self, TARGET_FIELDS[self.kind]) if self.kind else None

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN
