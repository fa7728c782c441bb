from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import KeepsPhotosForm, ModelChoiceField, PhotosField
from projects.forms import format_parameters, parse_parameters
from projects.models import JournalEntryKind, JournalEntryOutcome, ProjectPage
from projects.selectors import project_list_owned_by
from tribes.permissions import tribes_managed_by
from users.roles import is_staff

from .models import RESERVED_MACHINE_SLUGS, Machine
from .selectors import job_project_guess


class MachineForm(KeepsPhotosForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Machine.Kind.choices)
    tribe = ModelChoiceField(label=_("Lab"), queryset=None, required=False, empty_label=_("No lab"))
    location = forms.CharField(
        label=_("Where it stands"),
        max_length=120,
        required=False,
        help_text=_('For example "Atelier laser, ground floor".'),
    )
    photos = PhotosField(label=_("Photo"), multiple=False)
    octoprint_url = forms.URLField(
        label=_("OctoPrint address"),
        required=False,
        assume_scheme="http",
        help_text=_("Only for printers run by OctoPrint, for example http://192.168.1.20/."),
    )
    octoprint_api_key = forms.CharField(
        label=_("OctoPrint API key"),
        max_length=128,
        required=False,
        help_text=_("In OctoPrint: Settings, then Application keys."),
    )

    def __init__(self, *args, machine: Machine | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.machine = machine
        tribes = tribes_managed_by(self.user)
        self.fields["tribe"].queryset = tribes
        if not is_staff(self.user):
            # Tribe admins add machines to their own labs only.
            self.fields["tribe"].required = True
            self.fields["tribe"].empty_label = _("Choose a lab…")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        from django.utils.text import slugify

        if self.machine is None and slugify(name) in RESERVED_MACHINE_SLUGS:
            raise ValidationError(_("This name is reserved; add a word to it."))
        return name

    def machine_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "kind", "tribe", "location")}
        fields |= {"octoprint_url": data["octoprint_url"]}
        fields |= {"octoprint_api_key": data["octoprint_api_key"]}
        return fields


class ProjectChoiceField(ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Choose a project…"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.title


class QuickLogForm(KeepsPhotosForm):
    """One phone screen while the job runs: a photo, a sentence, the kind; the rest is known."""

    photos = PhotosField(label=_("Photo"), multiple=False)
    body = forms.CharField(
        label=_("What are you trying?"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=JournalEntryKind.choices,
        initial=JournalEntryKind.TRIAL,
        widget=forms.RadioSelect,
    )
    project = ProjectChoiceField(label=_("Project"), queryset=ProjectPage.objects.none())
    parameters = forms.CharField(
        label=_("Machine parameters"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Filled in by the machine. One per line, for example: Power: 60 %"),
    )

    field_order = ["photos", "body", "kind", "project", "parameters", "kept_photos"]

    def __init__(self, *args, job=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_list_owned_by(self.user)
        if job is not None and not self.is_bound:
            from .services import job_parameters

            self.initial.setdefault("parameters", format_parameters(job_parameters(job)))
            # The project the member chose, else a guess they change in the same form.
            project = job.project or job_project_guess(job, self.user)
            self.initial.setdefault("project", project.pk if project else None)

    def clean_parameters(self):
        return parse_parameters(self.cleaned_data.get("parameters", ""))

    def clean(self):
        cleaned = super().clean()
        has_photos = bool(cleaned.get("photos")) or bool(self.kept_images())
        if not cleaned.get("body", "").strip() and not has_photos:
            raise ValidationError(_("Take a photo or write a few words."))
        return cleaned


class DebriefForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"), choices=JournalEntryOutcome.choices, widget=forms.RadioSelect
    )
    lesson = forms.CharField(
        label=_("One line to remember (optional)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Next time, I will…")}),
    )
    project = ProjectChoiceField(label=_("Project"), queryset=ProjectPage.objects.none())

    def __init__(self, *args, user=None, job=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_list_owned_by(user)
        if job is not None and not self.is_bound:
            project = job.project or job_project_guess(job, user)
            self.initial.setdefault("project", project.pk if project else None)
