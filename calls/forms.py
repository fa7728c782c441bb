from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    KeepsPhotosForm,
    ModelChoiceField,
    ModelMultipleChoiceField,
    PhotosField,
    TagField,
    markdown_field,
)
from core.markdown import MAX_LENGTH_LONG
from projects.models import Licence
from tribes.models import TribePage
from tribes.visibility import tribes_public

from .models import CallForProjectsPage, Currency, OrganisationRole, RewardKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class OrganisationRequestForm(KeepsPhotosForm):
    """Ask to create an organisation. The logo travels in the shared `photos` field, so an
    upload survives an error elsewhere in the form."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = markdown_field(_("Description"), help_text=_("Who you are and what you do."))
    photos = PhotosField(label=_("Logo (optional)"), multiple=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    field_order = ["name", "description", "photos", "website", "kept_photos"]

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 1:
            raise forms.ValidationError(_("Choose one image for the logo."))
        return photos

    def organisation_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "description", "website")}
        images = self.photo_images()
        if images:
            fields["logo"] = images[0]
        return fields


class OrganisationMemberForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the member to add"),
        max_length=150,
        help_text=_("They need a Carnet account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=OrganisationRole.choices, initial=OrganisationRole.MEMBER
    )

    def clean_username(self):
        from users.models import User

        username = self.cleaned_data["username"].strip().lstrip("@")
        member = User.objects.filter(username__iexact=username, is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("No member has this username."))
        self.cleaned_data["member"] = member
        return username


class CallForm(forms.Form):
    """Write or edit a call from the front end."""

    organisation = ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title of the call"), max_length=255)
    brief = markdown_field(
        _("Brief"),
        max_length=MAX_LENGTH_LONG,
        required=True,
        help_text=_("What you are looking for, and why."),
    )
    deliverables = markdown_field(
        _("Deliverables"), help_text=_("What you expect to receive: prototype, files, report…")
    )
    reward_kind = forms.ChoiceField(
        label=_("Reward"),
        choices=RewardKind.choices,
        initial=RewardKind.MONEY,
        widget=forms.RadioSelect,
    )
    reward_amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    reward_currency = forms.ChoiceField(
        label=_("Currency"), choices=Currency.choices, initial=Currency.EUR
    )
    reward_in_kind = forms.CharField(
        label=_("Reward in kind"),
        max_length=300,
        required=False,
        help_text=_("For example: machine time, materials, a residency."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for applications"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    tags = TagField(label=_("Skills and tags"), required=False, help_text=_("Separated by commas."))
    eligible_tribes = ModelMultipleChoiceField(
        label=_("Eligible tribes"),
        queryset=TribePage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to open the call to every member and tribe."),
    )
    ip_terms = markdown_field(
        _("Intellectual property and licence terms"),
        help_text=_("Who owns what is made, under which licence it is shared."),
    )
    licence = forms.ChoiceField(
        label=_("Expected licence"),
        choices=[("", _("No requirement")), *Licence.choices],
        required=False,
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("Who answers questions about the call, and how."),
    )

    def __init__(self, *args, organisations, call: CallForProjectsPage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if call is not None:
            # A call stays with its organisation.
            del self.fields["organisation"]
        current = [t.pk for t in call.eligible_tribes.all()] if call is not None else []
        self.fields["eligible_tribes"].queryset = (
            tribes_public().live() | TribePage.objects.filter(pk__in=current)
        ).order_by("title")

    @staticmethod
    def initial_for(call: CallForProjectsPage) -> dict:
        return {
            "title": call.title,
            "brief": call.brief,
            "deliverables": call.deliverables,
            "reward_kind": call.reward_kind,
            "reward_amount": call.reward_amount,
            "reward_currency": call.reward_currency,
            "reward_in_kind": call.reward_in_kind,
            "deadline": timezone.localtime(call.deadline),
            "tags": list(call.tags.all()),
            "eligible_tribes": list(call.eligible_tribes.all()),
            "ip_terms": call.ip_terms,
            "licence": call.licence,
            "contact": call.contact,
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("reward_kind")
        if kind == RewardKind.MONEY and cleaned.get("reward_amount") is None:
            self.add_error("reward_amount", _("Give the amount of the reward."))
        if kind == RewardKind.IN_KIND and not cleaned.get("reward_in_kind", "").strip():
            self.add_error("reward_in_kind", _("Say what the reward in kind is."))
        return cleaned

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now() and self.initial.get("deadline") != deadline:
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def call_fields(self) -> dict:
        data = self.cleaned_data
        names = [name for name in self.fields if name != "organisation"]
        fields = {name: data[name] for name in names}
        if data.get("reward_kind") == RewardKind.IN_KIND:
            fields["reward_amount"] = None
        return fields


class ApplicationForm(forms.Form):
    """Apply to a call: as oneself or for a tribe one runs, with a pitch and projects."""

    applicant = forms.ChoiceField(label=_("Who applies?"), widget=forms.RadioSelect)
    pitch = markdown_field(
        _("Your pitch"),
        required=True,
        help_text=_("What you propose, how, and why you."),
    )
    projects = ModelMultipleChoiceField(
        label=_("Projects to show"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your public projects (or your tribe's). Private or tribe-only projects cannot be "
            "attached: the organisation could not see them."
        ),
    )

    def __init__(self, *args, user, tribes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.tribes = {str(tribe.pk): tribe for tribe in tribes}
        self.fields["applicant"].choices = [
            ("me", _("Me (%(name)s)") % {"name": user.public_name}),
            *(
                (key, _("The tribe %(tribe)s") % {"tribe": tribe.title})
                for key, tribe in self.tribes.items()
            ),
        ]
        self.fields["applicant"].initial = "me"
        if not self.tribes:
            self.fields["applicant"].widget = forms.HiddenInput()
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda project: project.title

    def tribe(self) -> TribePage | None:
        return self.tribes.get(self.cleaned_data["applicant"])


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
