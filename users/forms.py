from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import translation
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from core.forms import PhotoInput, TagField
from core.validators import validate_image_upload

from .badges import normalise_badge_uid
from .models import User
from .throttling import login_locked_message

# Django's password validators stay in force; their rules are not listed up front but said in
# these words when one fails.
PLAIN_PASSWORD_ERRORS = {
    "password_too_short": _("Too short: use at least %(min_length)d characters."),
    "password_too_common": _(
        "Too easy to guess: many people use this password. A few words in a row work well."
    ),
    "password_entirely_numeric": _("Only digits: add a few letters."),
    "password_too_similar": _("Too close to your name or e-mail address: choose another."),
}


def minimum_password_length() -> int:
    lengths = [
        getattr(validator, "min_length", 0)
        for validator in password_validation.get_default_password_validators()
    ]
    return max(lengths, default=0)


def password_rule() -> str:
    """The one rule shown under a new password field (none without a minimum length)."""
    length = minimum_password_length()
    if not length:
        return ""
    return ngettext("At least %(count)d character.", "At least %(count)d characters.", length) % {
        "count": length
    }


def password_input(autocomplete: str) -> forms.PasswordInput:
    # What was typed comes back after an error elsewhere in the form: nothing is retyped.
    return forms.PasswordInput(render_value=True, attrs={"autocomplete": autocomplete})


def plain_password_errors(password: str, user) -> list[str]:
    """The validators' complaints about `password`, one plain sentence each."""
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError as error:
        messages = []
        for item in error.error_list:
            plain = PLAIN_PASSWORD_ERRORS.get(item.code)
            if plain is None:
                messages.extend(item.messages)
            else:
                messages.append(str(plain) % (item.params or {}))
        return messages
    return []


class LockedOutMessageMixin:
    """Says why a locked account or address is refused (users.throttling), instead of "wrong
    password": the member knows when to try again; the username stays in the form."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(login_locked_message(), code="locked_out")
        return super().get_invalid_login_error()


class KeepsTypedPasswordMixin:
    """A refused login shows the password as typed: a typo in the username costs one fix."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.render_value = True


class LoginForm(KeepsTypedPasswordMixin, LockedOutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(KeepsTypedPasswordMixin, LockedOutMessageMixin, WagtailLoginForm):
    """The Wagtail admin's login form (WAGTAILADMIN_USER_LOGIN_FORM), throttled the same way."""


class NewPasswordMixin:
    """Two new-password fields with one plain rule; the second only asks for the same again."""

    def new_password_fields(self, *, label: str):
        self.fields["password1"] = forms.CharField(
            label=label,
            strip=False,
            widget=password_input("new-password"),
            help_text=password_rule(),
        )
        self.fields["password2"] = forms.CharField(
            label=_("The same password again"),
            strip=False,
            widget=password_input("new-password"),
        )

    def check_new_password(self, user) -> None:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if not password1:
            return
        for message in plain_password_errors(password1, user):
            self.add_error("password1", message)
        if password2 and password1 != password2:
            self.add_error(
                "password2", _("The two passwords are not the same: type the same one twice.")
            )


class SignupForm(NewPasswordMixin, forms.Form):
    """A name in free text, an optional e-mail address and a password. The username is made
    from the name (users.services.username_from_name) and can be changed on the profile."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("As other members will see it, for example Léa Martin or Club Jules-Verne."),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("Only to reset your password if you forget it. Never shown to anyone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.CARNET_SIGNUP_EMAIL_REQUIRED:
            self.fields["email"].required = True
            self.fields["email"].label = _("E-mail address")
        self.new_password_fields(label=_("Choose a password"))
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Write your name, or a nickname."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address. Forgot your password?")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        # The validators compare the password with the name and address given here.
        self.check_new_password(
            User(
                username=cleaned.get("display_name", ""),
                email=cleaned.get("email", ""),
                display_name=cleaned.get("display_name", ""),
            )
        )
        return cleaned


class NewPasswordForm(NewPasswordMixin, forms.Form):
    """The password reset's last step: a new password, with the same rule as at sign-up."""

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.new_password_fields(label=_("New password"))

    def clean(self):
        cleaned = super().clean()
        self.check_new_password(self.user)
        return cleaned

    def save(self, commit=True):
        self.user.set_password(self.cleaned_data["password1"])
        if commit:
            self.user.save()
        return self.user


class MemberLanguagePasswordResetForm(PasswordResetForm):
    """Writes the reset e-mail in the language the account chose."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself ("Français", "English"), whatever the page's language."""
    return [
        (code, get_language_info(code)["name_local"].capitalize())
        for code, _name in settings.LANGUAGES
    ]


class ProfileForm(forms.ModelForm):
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "To log in, and in the address of your profile. Letters, digits and - . _ only, "
            "no spaces."
        ),
    )
    skills = TagField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas, for example: sewing, 3D printing, woodwork."),
    )
    avatar = forms.ImageField(
        label=_("Photo or picture of you"),
        required=False,
        widget=PhotoInput(multiple=False),
        validators=[validate_image_upload],
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)

    class Meta:
        model = User
        fields = (
            "display_name",
            "username",
            "bio",
            "skills",
            "avatar",
            "language",
            "badge_uid",
            "open_to_contact",
        )
        labels = {"display_name": _("Your name"), "badge_uid": _("Lab badge number")}
        help_texts = {
            "bio": _("A few words about you: what you make, what you would like to learn."),
            "badge_uid": _(
                "Printed on your lab badge or shown by the reader when you tap it, for example "
                "04:A1:B2:C3. Machines then know it is you who starts a job. Leave empty if you "
                "have no badge."
            ),
        }
        error_messages = {
            "badge_uid": {"unique": _("Another member already has this badge number.")}
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "data-markdown-preview": ""})}

    def clean_username(self):
        # Left empty, the username stays what it was.
        username = self.cleaned_data["username"].strip() or self.instance.username
        taken = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another member already uses this username."))
        return username

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean_badge_uid(self):
        return normalise_badge_uid(self.cleaned_data.get("badge_uid") or "") or None
