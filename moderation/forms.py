from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Report, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for your report.")},
    )
    details = forms.CharField(
        label=_("Tell the moderators more (optional)"),
        required=False,
        max_length=Report.DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where is the problem? Only the moderators read this."),
    )


class HideForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the author"),
        max_length=Report.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author and shown on the hidden content: say what to change."),
        error_messages={"required": _("Write a message to the author: say what to change.")},
    )


class DismissForm(forms.Form):
    message = forms.CharField(
        label=_("Note (optional, kept with the reports)"),
        required=False,
        max_length=Report.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ShowAgainForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the author (optional)"),
        required=False,
        max_length=Report.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
