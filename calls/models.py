"""Organisations (companies, associations) post calls for projects; members and tribes answer
them with applications.

A call's life: draft → submitted for review → open → closed → awarded. The page is a Wagtail
page, so its text is kept in revisions and staff moderate it with a Wagtail workflow; its state
(`status`, `closed_at`, `awarded_at`) belongs to the page as a whole, not to a revision, and is
changed only by calls.services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.markdown import MAX_LENGTH_LONG, MAX_LENGTH_MEDIUM, MarkdownValidator
from core.models import IndexPage
from projects.models import Licence

# Paths under /calls/ that belong to Carnet's own views (calls/urls.py), so no call takes them.
RESERVED_CALL_SLUGS = frozenset({"new", "mine", "organisations", "applications"})


# Organisations ------------------------------------------------------------------------------


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Organisation(ClusterableModel):
    """A company, an association or a public body that posts calls for projects. Anyone may ask
    to create one; staff approve it before it can post."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    logo = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("website"),
        InlinePanel("memberships", heading=_("Members"), label=_("member")),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("calls:organisation", kwargs={"slug": self.slug})


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class OrganisationMembership(models.Model):
    organisation = ParentalKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


# Calls for projects -------------------------------------------------------------------------


class CallIndexPage(IndexPage):
    subpage_types = ["calls.CallForProjectsPage"]

    class Meta:
        verbose_name = _("call index")

    def listing_context(self, *, user, params) -> dict:
        from .selectors import call_index_listing

        return call_index_listing(user=user)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")


class RewardKind(models.TextChoices):
    MONEY = "money", _("An amount of money")
    IN_KIND = "in_kind", _("In kind")


class Currency(models.TextChoices):
    EUR = "EUR", "€"
    USD = "USD", "$"
    GBP = "GBP", "£"
    CHF = "CHF", "CHF"


class CallForProjectsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "calls.CallForProjectsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


# Kept from the page itself, never from a revision: the call's state is not part of its text,
# nor is the moderators' decision to hide it (moderation.services).
STATE_FIELDS = ("status", "closed_at", "awarded_at", "hidden")


class CallForProjectsPage(Page):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    brief = models.TextField(
        _("brief"),
        help_text=_("What you are looking for, and why. Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_LONG)],
    )
    deliverables = models.TextField(
        _("deliverables"),
        blank=True,
        help_text=_("What you expect to receive. Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    reward_kind = models.CharField(
        _("reward"), max_length=10, choices=RewardKind.choices, default=RewardKind.MONEY
    )
    reward_amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reward_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    reward_in_kind = models.CharField(
        _("reward in kind"),
        max_length=300,
        blank=True,
        help_text=_("For example: machine time, materials, a residency."),
    )
    deadline = models.DateTimeField(_("deadline"))
    tags = ClusterTaggableManager(
        verbose_name=_("skills and tags"), through=CallForProjectsPageTag, blank=True
    )
    eligible_tribes = ParentalManyToManyField(
        "tribes.TribePage",
        verbose_name=_("eligible tribes"),
        blank=True,
        related_name="calls",
        help_text=_("Leave empty to open the call to every member and tribe."),
    )
    ip_terms = models.TextField(
        _("intellectual property and licence terms"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    licence = models.CharField(
        _("expected licence"), max_length=32, choices=Licence.choices, blank=True
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who answers questions about the call, and how."),
    )
    status = models.CharField(
        _("state"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden by the moderators"), default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("brief"),
        FieldPanel("deliverables"),
        MultiFieldPanel(
            [
                FieldPanel("reward_kind"),
                FieldRowPanel([FieldPanel("reward_amount"), FieldPanel("reward_currency")]),
                FieldPanel("reward_in_kind"),
            ],
            heading=_("Reward"),
        ),
        FieldPanel("deadline"),
        FieldPanel("tags"),
        FieldPanel("eligible_tribes"),
        FieldPanel("ip_terms"),
        FieldPanel("licence"),
        FieldPanel("contact"),
        FieldPanel("status", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("brief"),
        index.SearchField("deliverables"),
        index.SearchField("ip_terms"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("organisation", [index.SearchField("name")]),
        index.FilterField("status"),
        index.FilterField("deadline"),
    ]
    parent_page_types = ["calls.CallIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        indexes = [models.Index(fields=["status", "deadline"])]

    def clean(self):
        super().clean()
        if self.slug in RESERVED_CALL_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; please choose another.")})
        if self.reward_kind == RewardKind.MONEY and self.reward_amount is None:
            raise ValidationError({"reward_amount": _("Give the amount of the reward.")})
        if self.reward_amount is not None and self.reward_amount < 0:
            raise ValidationError({"reward_amount": _("The amount cannot be negative.")})
        if self.reward_kind == RewardKind.IN_KIND and not self.reward_in_kind.strip():
            raise ValidationError({"reward_in_kind": _("Say what the reward in kind is.")})

    def with_content_json(self, content):
        """A revision restores the call's text, never its state (see STATE_FIELDS)."""
        obj = super().with_content_json(content)
        for name in STATE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def get_context(self, request, *args, **kwargs):
        from .selectors import call_page_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(call_page_detail(call=self, user=request.user))
        return context

    @property
    def deadline_passed(self) -> bool:
        return self.deadline <= timezone.now()

    @property
    def effective_status(self) -> str:
        """The state everyone sees: an open call whose deadline passed is closed at once, even
        before `close_expired_calls` records it."""
        if self.status == CallStatus.OPEN and self.deadline_passed:
            return CallStatus.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return CallStatus(self.effective_status).label

    @property
    def is_open(self) -> bool:
        return self.effective_status == CallStatus.OPEN

    @property
    def is_open_to_all(self) -> bool:
        return not self.eligible_tribes.all()

    def search_text(self) -> str:
        """What a search index should hold for this call (search/ integrates it later): its
        title, organisation, brief, deliverables, IP terms, reward in kind and tags. Only
        public calls (calls.visibility.call_is_public) belong in a public index."""
        parts = [
            self.title,
            self.organisation.name,
            self.brief,
            self.deliverables,
            self.ip_terms,
            self.reward_in_kind,
            " ".join(tag.name for tag in self.tags.all()),
        ]
        return "\n".join(part for part in parts if part)


# Applications -------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Still waiting for the organisation's decision: the applicant may withdraw.
PENDING_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)


class Application(models.Model):
    """A member's or a tribe's answer to a call: a pitch and some of their projects."""

    call = models.ForeignKey(
        CallForProjectsPage,
        verbose_name=_("call for projects"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant (member)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="call_applications",
    )
    applicant_tribe = models.ForeignKey(
        "tribes.TribePage",
        verbose_name=_("applicant (tribe)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="call_applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pitch = models.TextField(
        _("pitch"),
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    projects = models.ManyToManyField(
        "projects.ProjectPage", verbose_name=_("projects"), related_name="call_applications"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decision_message = models.TextField(_("message from the organisation"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    panels = [
        FieldPanel("call", read_only=True),
        FieldPanel("applicant_user", read_only=True),
        FieldPanel("applicant_tribe", read_only=True),
        FieldPanel("pitch", read_only=True),
        FieldPanel("status", read_only=True),
        FieldPanel("decision_message", read_only=True),
    ]

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant_user"],
                condition=models.Q(applicant_user__isnull=False),
                name="one_application_per_member_per_call",
            ),
            models.UniqueConstraint(
                fields=["call", "applicant_tribe"],
                condition=models.Q(applicant_tribe__isnull=False),
                name="one_application_per_tribe_per_call",
            ),
            models.CheckConstraint(
                condition=models.Q(applicant_user__isnull=False, applicant_tribe__isnull=True)
                | models.Q(applicant_user__isnull=True, applicant_tribe__isnull=False),
                name="application_has_one_applicant",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return f"{self.applicant_name} → {self.call}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("calls:application", kwargs={"pk": self.pk})

    @property
    def applicant_name(self) -> str:
        if self.applicant_tribe_id:
            return self.applicant_tribe.title
        return self.applicant_user.public_name if self.applicant_user_id else "—"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_APPLICATION_STATUSES
