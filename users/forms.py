from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from core.forms import PhotoInput, TagField
from core.validators import validate_image_upload

from .badges import normalise_badge_uid
from .models import User
from .throttling import login_locked_message


class LockedOutMessageMixin:
    """Says why a locked account or address is refused (users.throttling), instead of "wrong
    password": the member knows when to try again; the username stays in the form."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(login_locked_message(), code="locked_out")
        return super().get_invalid_login_error()


class LoginForm(LockedOutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockedOutMessageMixin, WagtailLoginForm):
    """The Wagtail admin's login form (WAGTAILADMIN_USER_LOGIN_FORM), throttled the same way."""


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("To reset your password. Never shown."))
    display_name = forms.CharField(label=_("Name shown to others"), max_length=80, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address. Forgot your password?")
            )
        return email


class ProfileForm(forms.ModelForm):
    skills = TagField(label=_("Skills"), required=False, help_text=_("Separated by commas."))
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        widget=PhotoInput(multiple=False),
        validators=[validate_image_upload],
    )

    class Meta:
        model = User
        fields = ("display_name", "bio", "skills", "avatar", "badge_uid", "open_to_contact")
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "data-markdown-preview": ""})}

    def clean_badge_uid(self):
        return normalise_badge_uid(self.cleaned_data.get("badge_uid") or "") or None
