from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from core.markdown import MAX_LENGTH_MEDIUM, MarkdownValidator
from core.models import IndexPage
from core.pagination import page_number

# Paths under /tribes/ that belong to Carnet's own views, so no tribe may take them as slug.
RESERVED_TRIBE_SLUGS = frozenset({"new", "invitations"})


class TribeIndexPage(IndexPage):
    subpage_types = ["tribes.TribePage"]

    class Meta:
        verbose_name = _("tribe index")

    def listing_context(self, *, user, params) -> dict:
        from .selectors import tribe_list_visible_to

        return {"tribes": tribe_list_visible_to(user)}


class TribeVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can see the tribe and its members")
    PRIVATE = "private", _("Private: only its members see it")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone can join")
    REQUEST = "request", _("On request: an admin accepts each member")
    INVITATION = "invitation", _("Invitation only")


class TribePage(Page):
    """A group of members: a lab (La Machinerie) or an interest (textile, robotics…)."""

    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_MEDIUM)],
    )
    logo = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=TribeVisibility.choices,
        default=TribeVisibility.PUBLIC,
    )
    join_policy = models.CharField(
        _("who can join"), max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("place"),
        FieldPanel("website"),
        FieldPanel("visibility"),
        FieldPanel("join_policy"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("place"),
        index.FilterField("visibility"),
    ]
    api_fields = [
        APIField("description"),
        APIField("place"),
        APIField("website"),
        APIField("join_policy"),
        APIField("logo"),
        APIField("logo_thumbnail", serializer=ImageRenditionField("fill-160x160", source="logo")),
    ]
    parent_page_types = ["tribes.TribeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("tribe")
        verbose_name_plural = _("tribes")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_TRIBE_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; please choose another.")})

    @property
    def is_public(self) -> bool:
        return self.visibility == TribeVisibility.PUBLIC

    def get_context(self, request, *args, **kwargs):
        from .selectors import tribe_page_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(
            tribe_page_detail(tribe=self, user=request.user, page=page_number(request.GET))
        )
        return context


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class MembershipState(models.TextChoices):
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")


class TribeMembership(models.Model):
    tribe = models.ForeignKey(
        TribePage, verbose_name=_("tribe"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="tribe_memberships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    state = models.CharField(
        _("state"), max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("state")]

    class Meta:
        verbose_name = _("tribe membership")
        verbose_name_plural = _("tribe memberships")
        constraints = [
            models.UniqueConstraint(fields=["tribe", "user"], name="one_membership_per_tribe")
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.user} — {self.tribe} ({self.get_role_display()}, {self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == MembershipRole.ADMIN


class TribeInvitation(models.Model):
    """An invitation to join a tribe: sent to one e-mail address (used once), or a shareable link
    (used by anyone until it expires or is revoked). Only the token's hash is stored."""

    tribe = models.ForeignKey(
        TribePage, verbose_name=_("tribe"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Empty for a shareable link."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("tribe invitation")
        verbose_name_plural = _("tribe invitations")
        ordering = ["-created_at"]

    def __str__(self):
        target = self.email or _("shareable link")
        return f"{self.tribe} → {target}"

    @property
    def is_link(self) -> bool:
        return not self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        used = self.accepted_at is not None and not self.is_link
        return not used and self.revoked_at is None and not self.is_expired
