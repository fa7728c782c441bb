"""The filters of the /projects/ listing, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Licence, ProjectStatus


class ProjectFilterForm(forms.Form):
    """The /projects/ filters. Unknown values are ignored, never an error page."""

    tag = forms.SlugField(required=False)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *ProjectStatus.choices], required=False
    )
    machine = forms.SlugField(required=False)
    licence = forms.ChoiceField(choices=[("", _("Any licence")), *Licence.choices], required=False)

    def filters(self) -> dict:
        if self.is_valid():
            return {key: value for key, value in self.cleaned_data.items() if value}
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name)
        }
