from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.markdown import MAX_LENGTH_SHORT, MarkdownValidator
from core.validators import validate_image_upload


class UserSkill(TaggedItemBase):
    content_object = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="+")


class User(AbstractUser):
    """A Carnet account. The member profile lives on the account itself: one row, no extra join."""

    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, help_text=_("How other members see you.")
    )
    bio = models.TextField(
        _("about me"),
        blank=True,
        help_text=_("Markdown is welcome."),
        validators=[MarkdownValidator(MAX_LENGTH_SHORT)],
    )
    avatar = models.ImageField(
        _("avatar"), upload_to="avatars/", blank=True, validators=[validate_image_upload]
    )
    badge_uid = models.CharField(
        _("badge UID"),
        max_length=64,
        blank=True,
        null=True,
        unique=True,
        help_text=_("The identifier of your lab badge, so machines know who starts a job."),
    )
    open_to_contact = models.BooleanField(
        _("open to calls and contact from companies"),
        default=False,
        help_text=_(
            "Companies may then see your portfolio and write to you through Carnet; "
            "your e-mail address is never shown."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of Carnet's pages, e-mails and notifications for you."),
    )
    skills = TaggableManager(
        verbose_name=_("skills"), through=UserSkill, blank=True, related_name="skilled_members"
    )
    # Set by the moderators (moderation.services), never by a form: the profile then answers
    # 404 to everyone but its member and staff (members.visibility.can_view_profile).
    hidden = models.BooleanField(
        _("profile hidden by the moderators"), default=False, editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("member")
        verbose_name_plural = _("members")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"username": self.username})


class ContactMessage(models.Model):
    """A message one member sent another through Carnet's Contact button (docs/members.md).
    Sent by members.services.contact_message_send; the model stays here, with User, so its
    table does not move.

    Kept so the rate limit counts across processes, so the recipient may reply even if the
    sender is not open to contact, and so staff can moderate. Neither address is ever shown."""

    SUBJECT_MAX_LENGTH = 150
    BODY_MAX_LENGTH = 5000
    ORGANISATION_MAX_LENGTH = 120

    sender = models.ForeignKey(
        User,
        verbose_name=_("sender"),
        on_delete=models.CASCADE,
        related_name="contact_messages_sent",
    )
    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="contact_messages_received",
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("message"), validators=[MaxLengthValidator(BODY_MAX_LENGTH)])
    organisation = models.CharField(
        _("organisation"), max_length=ORGANISATION_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [
            models.Index(fields=["sender", "created_at"]),
            models.Index(fields=["sender", "recipient", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")),
                name="contact_message_not_to_oneself",
            )
        ]

    def __str__(self):
        return self.subject
