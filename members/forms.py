from django import forms
from django.utils.translation import gettext_lazy as _

from users.models import ContactMessage


class ContactForm(forms.Form):
    """A message to a member, sent through Carnet (members.services.contact_message_send)."""

    subject = forms.CharField(
        label=_("Subject"), max_length=ContactMessage.SUBJECT_MAX_LENGTH, strip=True
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=ContactMessage.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Say who you are and why you write. Your e-mail address is not shared: the member "
            "answers you on Carnet."
        ),
    )
    organisation = forms.CharField(
        label=_("Your organisation (optional)"),
        max_length=ContactMessage.ORGANISATION_MAX_LENGTH,
        required=False,
        help_text=_("The company, lab or association you write for, if any."),
    )

    def clean_subject(self):
        # One line: it becomes the title of a notification and of an e-mail.
        return " ".join(self.cleaned_data["subject"].split())
