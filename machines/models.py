from datetime import UTC, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from projects.models import JournalEntryOutcome

# Paths under /machines/ that are not machines.
RESERVED_MACHINE_SLUGS = {"new", "me", "jobs", "documentation-rate"}


class Machine(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        LASER_CUTTER = "laser_cutter", _("Laser cutter")
        PRINTER_3D = "3d_printer", _("3D printer")
        CNC_MILL = "cnc_mill", _("CNC mill")
        VINYL_CUTTER = "vinyl_cutter", _("Vinyl cutter")
        EMBROIDERY = "embroidery", _("Embroidery machine")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    tribe = models.ForeignKey(
        "tribes.TribePage",
        verbose_name=_("lab"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="machines",
        help_text=_("The tribe whose admins manage this machine (usually the lab)."),
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    photo = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Secrets: the event token is kept only as a SHA-256 digest (shown once, then rotatable);
    # the kiosk token opens a read-only screen, so it stays readable for the lab's admins.
    token_digest = models.CharField(max_length=64, blank=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=8, blank=True, editable=False)
    kiosk_token = models.CharField(max_length=64, blank=True, editable=False)
    octoprint_url = models.URLField(
        _("OctoPrint address"),
        blank=True,
        help_text=_("For printers run by OctoPrint: Carnet polls its job state and time left."),
    )
    octoprint_api_key = models.CharField(_("OctoPrint API key"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, null=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("tribe"),
        FieldPanel("location"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [FieldPanel("octoprint_url"), FieldPanel("octoprint_api_key")],
            heading=_("OctoPrint"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("machines:detail", kwargs={"slug": self.slug})

    @property
    def kiosk_url(self) -> str:
        return f"{reverse('machines:kiosk', kwargs={'slug': self.slug})}?token={self.kiosk_token}"


class Material(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(
        _("description"), max_length=255, blank=True, help_text=_("Thickness, supplier, tips…")
    )

    panels = [FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name


class JobState(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class JobOutcome(models.TextChoices):
    """What the machine reports at the end; the member's own verdict is `member_outcome`."""

    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted (another job started)")


class MachineJob(models.Model):
    """One run of a machine (a cut, a print, a milling job), built from its events."""

    # A job followed by a journal entry within this delay after its end counts as documented.
    DOCUMENTATION_WINDOW = timedelta(hours=1)
    # Finished jobs keep asking "how did it go?" this long.
    DEBRIEF_WINDOW = timedelta(hours=1)

    machine = models.ForeignKey(
        Machine, verbose_name=_("machine"), on_delete=models.CASCADE, related_name="jobs"
    )
    external_id = models.CharField(_("job id on the machine"), max_length=100)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.RUNNING
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=JobOutcome.choices, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="machine_jobs",
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="machine_jobs",
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    material = models.CharField(_("material"), max_length=120, blank=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    progress = models.FloatField(_("progress (%)"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expected_end_at = models.DateTimeField(_("expected end"), null=True, blank=True)
    # The time of the newest event applied: an older one arriving late changes nothing.
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)
    member_outcome = models.CharField(
        _("how it went"),
        max_length=10,
        choices=JournalEntryOutcome.choices,
        blank=True,
    )
    lesson = models.CharField(_("lesson"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Live screens watch this column to know that something changed.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    panels = [
        FieldPanel("machine"),
        FieldPanel("external_id"),
        FieldPanel("state"),
        FieldPanel("outcome"),
        FieldPanel("member"),
        FieldPanel("project"),
        FieldPanel("file_name"),
        FieldPanel("material"),
        FieldPanel("settings"),
        FieldPanel("progress"),
        FieldPanel("started_at"),
        FieldPanel("finished_at"),
        FieldPanel("member_outcome"),
        FieldPanel("lesson"),
    ]

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("machine job")
        verbose_name_plural = _("machine jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["machine", "external_id"], name="machines_job_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["machine", "state", "-started_at"])]

    def __str__(self):
        return f"{self.machine} · {self.file_name or self.external_id}"

    @property
    def is_running(self) -> bool:
        return self.state == JobState.RUNNING

    @property
    def remaining_seconds(self) -> int | None:
        if not self.is_running or not _plausible(self.expected_end_at):
            return None
        return max(0, int((self.expected_end_at - timezone.now()).total_seconds()))

    @property
    def countdown_to(self) -> str:
        """The expected end for the screens' countdown (ISO 8601, UTC), or "" if none."""
        return _iso_utc(self.expected_end_at) if self.remaining_seconds is not None else ""

    @property
    def elapsed_from(self) -> str:
        """The start for the screens' "since the start" (ISO 8601, UTC), or "" if none."""
        return _iso_utc(self.started_at) if _plausible(self.started_at) else ""


# Events are refused beyond a day ahead or a year back (machines.events). A time outside these
# bounds was kept before that, from a broken clock: screens show no countdown for it. Shown in
# UTC, since converting a date near the calendar's end to local time overflows.
def _plausible(value) -> bool:
    if value is None:
        return False
    now = timezone.now()
    return now - timedelta(days=400) <= value <= now + timedelta(days=10)


def _iso_utc(value) -> str:
    return value.astimezone(UTC).isoformat()


class MachineJobEvent(models.Model):
    """Every event received, once: duplicates (same job, type and time) are dropped."""

    class Kind(models.TextChoices):
        START = "start", _("Start")
        PROGRESS = "progress", _("Progress")
        FINISH = "finish", _("Finish")

    job = models.ForeignKey(
        MachineJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("received through"), max_length=20, blank=True)
    applied = models.BooleanField(_("applied"), default=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("machine job event")
        verbose_name_plural = _("machine job events")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "kind", "occurred_at"], name="machines_event_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.job} · {self.occurred_at:%Y-%m-%d %H:%M:%S}"
