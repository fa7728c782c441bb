from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import KeepsPhotosForm, ModelChoiceField, PhotosField, markdown_field

from .models import JoinPolicy, MembershipRole, MembershipState, TribePage, TribeVisibility
from .services import INVITATION_VALID_DAYS, MAX_LINK_VALID_DAYS


class TribeForm(KeepsPhotosForm):
    """Create or edit a tribe. The logo travels in the shared `photos` field, so an upload
    survives an error elsewhere in the form."""

    title = forms.CharField(label=_("Name"), max_length=120)
    description = markdown_field(
        _("Description"), help_text=_("Who you are, what you make, when you meet.")
    )
    photos = PhotosField(label=_("Logo (optional)"), multiple=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A town, a lab, an address: where the tribe meets."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(
        label=_("Who can see the tribe"),
        choices=TribeVisibility.choices,
        initial=TribeVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    join_policy = forms.ChoiceField(
        label=_("Who can join"),
        choices=JoinPolicy.choices,
        initial=JoinPolicy.REQUEST,
        widget=forms.RadioSelect,
    )

    field_order = [
        "title",
        "description",
        "photos",
        "remove_logo",
        "place",
        "website",
        "visibility",
        "join_policy",
        "kept_photos",
    ]

    def __init__(self, *args, tribe: TribePage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if tribe is None or not tribe.logo_id:
            del self.fields["remove_logo"]

    @staticmethod
    def initial_for(tribe: TribePage) -> dict:
        return {
            "title": tribe.title,
            "description": tribe.description,
            "place": tribe.place,
            "website": tribe.website,
            "visibility": tribe.visibility,
            "join_policy": tribe.join_policy,
        }

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 1:
            raise forms.ValidationError(_("Choose one image for the logo."))
        return photos

    def tribe_fields(self) -> dict:
        """The fields the tribe services take; the logo only when it changes."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("title", "description", "place", "website", "visibility", "join_policy")
        }
        images = self.photo_images()
        if images:
            fields["logo"] = images[0]
        elif data.get("remove_logo"):
            fields["logo"] = None
        return fields


class TribeInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = gettext(
            "We e-mail them a link, valid %(days)d days, to join the tribe."
        ) % {"days": INVITATION_VALID_DAYS}


class TribeLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_LINK_VALID_DAYS,
        initial=INVITATION_VALID_DAYS,
    )


class TribeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class TribeLeaveForm(forms.Form):
    """Leaving; the last admin names who takes over."""

    successor = ModelChoiceField(
        label=_("Who takes over as admin?"),
        queryset=None,
        required=False,
        empty_label=_("Choose a member"),
    )

    def __init__(self, *args, tribe: TribePage, user, successor_needed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from users.models import User

        self.fields["successor"].queryset = (
            User.objects.filter(
                tribe_memberships__tribe=tribe, tribe_memberships__state=MembershipState.ACTIVE
            )
            .exclude(pk=user.pk)
            .order_by("display_name", "username")
        )
        self.fields["successor"].label_from_instance = lambda person: person.public_name
        if successor_needed:
            self.fields["successor"].required = True
        else:
            del self.fields["successor"]
