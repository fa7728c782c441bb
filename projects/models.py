from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, RevisionMixin
from wagtail.search import index

from core.markdown import MAX_LENGTH_LONG, MAX_LENGTH_MEDIUM, MarkdownValidator
from core.models import IndexPage
from core.pagination import page_number

from .blocks import (
    BillOfMaterialsItemBlock,
    ProjectFileBlock,
    StepBlock,
    bill_of_materials_row_total,
)

# Paths under /projects/ that belong to Carnet's own views, so no project may take them as slug.
RESERVED_PROJECT_SLUGS = {"new", "feed"}
# The project's Markdown sections, in the order its page shows them, each with the hint shown
# where it is empty and under the field that edits it.
MARKDOWN_SECTIONS = {
    "presentation": _("What is the project, why did you start it, what does it do?"),
    "methodology": _("How did you go about it: research, tools, choices."),
    "technical_architecture": _("The parts, electronics, code and materials, and how they fit."),
}


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CERN_OHL_S = "CERN-OHL-S-2.0", "CERN OHL-S 2.0"
    CERN_OHL_W = "CERN-OHL-W-2.0", "CERN OHL-W 2.0"
    MIT = "MIT", "MIT"
    GPL3 = "GPL-3.0-or-later", _("GPL 3.0 or later")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    IN_PROGRESS = "in_progress", _("In progress")
    PROTOTYPE_WORKS = "prototype_works", _("Prototype works")
    FINISHED = "finished", _("Finished")
    ABANDONED = "abandoned", _("Abandoned")


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    EXPERT = "expert", _("Expert")


class ProjectVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: everyone")
    TRIBE = "tribe", _("Tribe: the members of its tribes")
    PRIVATE = "private", _("Private: only me and my collaborators")


class ProjectIndexPage(IndexPage):
    subpage_types = ["projects.ProjectPage"]

    class Meta:
        verbose_name = _("project index")

    def listing_context(self, *, user, params) -> dict:
        from .selectors import project_index_listing

        return project_index_listing(user=user, params=params)


class ProjectPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProjectPage(Page):
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: what is it, who is it for?"),
    )
    cover_image = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("cover photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ProjectPageTag, blank=True)
    licence = models.CharField(
        _("licence"), max_length=32, choices=Licence.choices, default=Licence.CC_BY_SA
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IN_PROGRESS
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    duration = models.CharField(
        _("duration"), max_length=80, blank=True, help_text=_("For example: two evenings.")
    )
    cost = models.DecimalField(
        _("approximate cost (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    collaborators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collaborators"),
        blank=True,
        related_name="collaborations",
    )
    machines = ParentalManyToManyField(
        "machines.Machine", verbose_name=_("machines used"), blank=True, related_name="projects"
    )
    materials = ParentalManyToManyField(
        "machines.Material", verbose_name=_("materials used"), blank=True, related_name="projects"
    )
    visibility = models.CharField(
        _("who can see it"),
        max_length=10,
        choices=ProjectVisibility.choices,
        default=ProjectVisibility.PUBLIC,
    )
    tribes = ParentalManyToManyField(
        "tribes.TribePage", verbose_name=_("tribes"), blank=True, related_name="projects"
    )
    remixed_from = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("remixed from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remixes",
    )
    # Set by the moderators (moderation.services), never by a form nor by a revision.
    hidden = models.BooleanField(_("hidden by the moderators"), default=False, editable=False)

    presentation = models.TextField(
        _("presentation"), blank=True, validators=[MarkdownValidator(MAX_LENGTH_LONG)]
    )
    methodology = models.TextField(
        _("methodology"), blank=True, validators=[MarkdownValidator(MAX_LENGTH_LONG)]
    )
    technical_architecture = models.TextField(
        _("how it is built"), blank=True, validators=[MarkdownValidator(MAX_LENGTH_LONG)]
    )
    steps = StreamField(
        [("step", StepBlock())], verbose_name=_("realisation steps"), blank=True, default=list
    )
    bill_of_materials = StreamField(
        [("item", BillOfMaterialsItemBlock())],
        verbose_name=_("materials and supplies"),
        blank=True,
        default=list,
    )
    files = StreamField(
        [("file", ProjectFileBlock())], verbose_name=_("files"), blank=True, default=list
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("presentation"),
        FieldPanel("methodology"),
        FieldPanel("technical_architecture"),
        FieldPanel("steps"),
        FieldPanel("bill_of_materials"),
        FieldPanel("files"),
    ]
    details_panels = [
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("difficulty"),
                FieldPanel("duration"),
                FieldPanel("cost"),
                FieldPanel("licence"),
            ],
            heading=_("About the project"),
        ),
        FieldPanel("visibility"),
        FieldPanel("tribes"),
        FieldPanel("tags"),
        FieldPanel("machines"),
        FieldPanel("materials"),
        FieldPanel("owner"),
        FieldPanel("collaborators"),
        FieldPanel("remixed_from"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(details_panels, heading=_("Details")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("presentation"),
        index.SearchField("methodology"),
        index.SearchField("technical_architecture"),
        index.SearchField("steps"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("licence"),
        index.FilterField("visibility"),
    ]

    # Public content only reaches the API (docs_platform/api.py); no e-mail address, no tribe
    # or remix link that could name private content.
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("difficulty"),
        APIField("duration"),
        APIField("cost"),
        APIField("licence"),
        APIField("tags"),
        APIField(
            "owner_name",
            serializer=serializers.CharField(
                source="owner.public_name", read_only=True, allow_null=True
            ),
        ),
        APIField(
            "collaborator_names",
            serializer=serializers.StringRelatedField(source="collaborators", many=True),
        ),
        APIField("machines", serializer=serializers.StringRelatedField(many=True)),
        APIField("materials", serializer=serializers.StringRelatedField(many=True)),
        APIField("cover_image"),
        APIField(
            "cover_thumbnail", serializer=ImageRenditionField("fill-480x320", source="cover_image")
        ),
        APIField("presentation"),
        APIField("methodology"),
        APIField("technical_architecture"),
        APIField("steps"),
        APIField("bill_of_materials"),
        APIField("files"),
    ]

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_PROJECT_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; please choose another.")})
        if self.visibility == ProjectVisibility.TRIBE and not self.tribes.all():
            raise ValidationError(
                {
                    "visibility": _(
                        "Choose at least one tribe to share the project with its members."
                    )
                }
            )
        if self.remixed_from_id and self.remixed_from_id == self.pk:
            raise ValidationError({"remixed_from": _("A project cannot be a remix of itself.")})

    def with_content_json(self, content):
        """A revision restores the project's text, never the moderators' decision."""
        obj = super().with_content_json(content)
        obj.hidden = self.hidden
        return obj

    def get_context(self, request, *args, **kwargs):
        from .selectors import project_page_body_cache, project_page_detail

        context = super().get_context(request, *args, **kwargs)
        # A preview shows a revision not yet published: never kept.
        body_cache = (
            None
            if getattr(request, "is_preview", False)
            else project_page_body_cache(
                project=self, user=request.user, path=request.path, params=request.GET
            )
        )
        context["body_cache"] = body_cache
        if body_cache is None or body_cache.html is None:
            context.update(
                project_page_detail(
                    project=self,
                    user=request.user,
                    journal_kind=request.GET.get("kind", ""),
                    journal_page=page_number(request.GET, "journal"),
                )
            )
        return context

    @property
    def bill_of_materials_total(self) -> Decimal:
        totals = (bill_of_materials_row_total(row.value) for row in self.bill_of_materials)
        return sum((t for t in totals if t is not None), Decimal("0.00"))

    @property
    def is_public(self) -> bool:
        return self.visibility == ProjectVisibility.PUBLIC

    @property
    def index_url(self) -> str:
        # The project index is the parent; its URL is this one less the slug (no query needed).
        return self.url[: -len(self.slug) - 1]


class JournalEntryKind(models.TextChoices):
    RESEARCH = "research", _("Research")
    CHOICE = "choice", _("Choice")
    TRIAL = "trial", _("Trial")
    FAILURE = "failure", _("Failure")
    SUCCESS = "success", _("Success")
    LESSON = "lesson", _("Lesson")
    NOTE = "note", _("Note")


class JournalEntryOutcome(models.TextChoices):
    WORKED = "worked", _("It worked")
    PARTLY = "partly", _("Partly")
    FAILED = "failed", _("It failed")


class JournalEntry(RevisionMixin, index.Indexed, models.Model):
    """One dated note in a project's journal of trials and errors."""

    HIGHLIGHTED_KINDS = {JournalEntryKind.FAILURE, JournalEntryKind.LESSON}

    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="journal_entries",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=JournalEntryKind.choices, default=JournalEntryKind.TRIAL
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(
        _("what happened"),
        blank=True,
        help_text=_("Markdown is welcome."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    photos = models.ManyToManyField(
        "images.CarnetImage", verbose_name=_("photos"), blank=True, related_name="journal_entries"
    )
    machine = models.ForeignKey(
        "machines.Machine",
        verbose_name=_("machine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    parameters = models.JSONField(
        _("machine parameters"),
        default=dict,
        blank=True,
        help_text=_("Material, power, speed, layer height…"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=JournalEntryOutcome.choices, blank=True
    )
    job = models.ForeignKey(
        "machines.MachineJob",
        verbose_name=_("machine job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by the moderators (moderation.services), never by a form.
    hidden = models.BooleanField(_("hidden by the moderators"), default=False, editable=False)
    # Chosen by the member's browser for an entry it may send more than once (queued while
    # offline, sent again after a lost answer): one key, one entry (services).
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("project"),
        FieldPanel("author"),
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("machine"),
        FieldPanel("parameters"),
        FieldPanel("outcome"),
        FieldPanel("photos"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("project"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["project", "kind", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"], name="journal_entry_submitted_once"
            )
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("projects:journal_entry", kwargs={"slug": self.project.slug, "pk": self.pk})

    @property
    def is_highlighted(self) -> bool:
        return self.kind in self.HIGHLIGHTED_KINDS
