from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import (
    KeepsPhotosForm,
    ModelChoiceField,
    ModelMultipleChoiceField,
    PhotosField,
    TagField,
    UploadField,
    markdown_field,
)
from core.markdown import MAX_LENGTH_LONG, MAX_LENGTH_MEDIUM
from tribes.models import TribePage
from tribes.selectors import tribe_choices_for_member

from .blocks import STEP_BODY_MAX_LENGTH
from .models import (
    Difficulty,
    JournalEntryKind,
    JournalEntryOutcome,
    Licence,
    ProjectPage,
    ProjectStatus,
    ProjectVisibility,
)

# Machines and materials belong to the machines app, which builds on this one (a machine's job
# becomes a journal entry): projects reach them through their relations, not by importing it.
Machine = ProjectPage._meta.get_field("machines").related_model
Material = ProjectPage._meta.get_field("materials").related_model


class ProjectCreateForm(KeepsPhotosForm):
    photo_captions = True

    title = forms.CharField(
        label=_("Project name"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("For example: Bedside lamp in birch")}),
    )
    summary = forms.CharField(
        label=_("In one sentence"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is it? Who is it for?"),
    )
    photos = PhotosField(label=_("A photo (optional)"), multiple=False)

    field_order = ["title", "summary", "photos", "kept_photos"]

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 1:
            raise ValidationError(_("Choose one photo; you can add more later."))
        return photos


class ProjectDetailsForm(forms.Form):
    title = forms.CharField(label=_("Project name"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is it? Who is it for?"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Difficulty.choices)
    duration = forms.CharField(
        label=_("Duration"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: two afternoons")}),
    )
    cost = forms.DecimalField(
        label=_("Approximate cost (€)"), max_digits=9, decimal_places=2, min_value=0, required=False
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=Licence.choices,
        help_text=_("What others may do with what you share: copy it, change it, sell it."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=ProjectVisibility.choices, widget=forms.RadioSelect
    )
    tribes = ModelMultipleChoiceField(
        label=_("Tribes"),
        queryset=TribePage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The tribes you are an active member of. Tribe visibility shares it with them."
        ),
    )
    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("Words to find it by, separated by commas: wood, lamp, laser."),
    )
    machines = ModelMultipleChoiceField(
        label=_("Machines used"),
        queryset=Machine.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = ModelMultipleChoiceField(
        label=_("Materials used"),
        queryset=Material.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, project: ProjectPage, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner's tribes, plus those already chosen (kept even if the owner has left one).
        current = [tribe.pk for tribe in project.tribes.all()]
        owner_tribes = tribe_choices_for_member(project.owner).values("pk")
        self.fields["tribes"].queryset = TribePage.objects.filter(
            Q(pk__in=owner_tribes) | Q(pk__in=current)
        ).order_by("title")
        if not self.fields["tribes"].queryset.exists():
            self.fields["tribes"].help_text = _(
                "Join a tribe to share a project with its members only."
            )

    @classmethod
    def initial_for(cls, project: ProjectPage) -> dict:
        return {
            "title": project.title,
            "summary": project.summary,
            "status": project.status,
            "difficulty": project.difficulty,
            "duration": project.duration,
            "cost": project.cost,
            "licence": project.licence,
            "visibility": project.visibility,
            "tribes": list(project.tribes.all()),
            "tags": list(project.tags.all()),
            "machines": list(project.machines.all()),
            "materials": list(project.materials.all()),
        }


class ProjectCoverForm(KeepsPhotosForm):
    photo_captions = True

    photos = PhotosField(label=_("Cover photo"), multiple=False, required=True)

    def clean(self):
        cleaned = super().clean()
        if not self.errors.get("photos") and not self.photo_images():
            self.add_error("photos", _("Choose a photo."))
        return cleaned


# The text sections a member edits in place; the view gives the label and the hint.
class ProjectSectionForm(forms.Form):
    text = markdown_field(_("Text"), max_length=MAX_LENGTH_LONG)


class ProjectStepForm(KeepsPhotosForm):
    photo_captions = True

    title = forms.CharField(
        label=_("Step title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("For example: Cut the sides")}),
    )
    body = markdown_field(
        _("What to do"),
        max_length=STEP_BODY_MAX_LENGTH,
        help_text=_("Tell it so that someone else could do it too."),
    )

    field_order = ["title", "body", "photos", "remove_photos", "kept_photos"]


class BillOfMaterialsRowForm(forms.Form):
    item = forms.CharField(
        label=_("Item"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("For example: Birch plywood 3 mm")}),
    )
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=12, decimal_places=3)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("sheets, m, g…")}),
    )
    supplier = forms.CharField(
        label=_("Supplier"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("A shop, or the lab's stock")}),
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    unit_cost = forms.DecimalField(
        label=_("Unit cost (€)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        return data


# absolute_max: a forged form count builds (and re-renders) at most 200 rows, not Django's 1,200.
BillOfMaterialsFormSet = forms.formset_factory(
    BillOfMaterialsRowForm,
    extra=2,
    can_delete=True,
    max_num=200,
    validate_max=True,
    absolute_max=200,
)


class ProjectFileForm(forms.Form):
    file = UploadField(label=_("File"))
    description = forms.CharField(
        label=_("What is this file?"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: Cutting plan for 3 mm")}),
    )


def parse_parameters(text: str) -> dict:
    """Turn lines of `setting: value` into a dict; raise a readable error on a malformed line."""
    parameters = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, separator, value = line.partition(":")
        if not separator or not name.strip():
            raise ValidationError(
                _('Line %(number)d: write the setting, a colon, then its value: "Power: 60 %%".'),
                params={"number": number},
            )
        parameters[name.strip()[:60]] = value.strip()[:200]
    return parameters


def format_parameters(parameters: dict) -> str:
    return "\n".join(f"{name}: {value}" for name, value in (parameters or {}).items())


class JournalEntryForm(KeepsPhotosForm):
    photo_captions = True

    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=JournalEntryKind.choices,
        initial=JournalEntryKind.TRIAL,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: First cut in plywood")}),
    )
    body = markdown_field(
        _("What happened?"),
        max_length=MAX_LENGTH_MEDIUM,
        help_text=_("What you tried, what you saw, what you would change."),
    )
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        required=False,
        choices=[("", _("Not applicable")), *JournalEntryOutcome.choices],
    )
    machine = ModelChoiceField(
        label=_("Machine"),
        queryset=Machine.objects.all(),
        required=False,
        empty_label=_("No machine"),
    )
    parameters = forms.CharField(
        label=_("Machine settings"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Power: 60 %\nSpeed: 20 mm/s")}),
        help_text=_("One setting per line, then a colon and its value."),
    )

    field_order = [
        "kind",
        "title",
        "body",
        "photos",
        "outcome",
        "machine",
        "parameters",
        "remove_photos",
        "kept_photos",
    ]

    def clean_parameters(self):
        return parse_parameters(self.cleaned_data.get("parameters", ""))

    def clean(self):
        cleaned = super().clean()
        has_photos = bool(cleaned.get("photos")) or bool(self.kept_images())
        if (
            not cleaned.get("body", "").strip()
            and not cleaned.get("title", "").strip()
            and not has_photos
        ):
            raise ValidationError(_("Write a few words or add a photo."))
        return cleaned

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "body": data["body"],
            "outcome": data["outcome"],
            "machine": data["machine"],
            "parameters": data["parameters"],
        }
