"""How complete a project's documentation is: eight criteria, each with a weight, 0–100.

Computed on the fly from the project's own fields (no stored score): the project page shows it to
those who may edit the project, the staff's curation queue sorts public projects by it. The one
fact that lives outside the project row, "a failure or a lesson in the journal", comes from
`failure_or_lesson_exists()`, an EXISTS folded into the query that already loads the project.

Criteria, weights and the reasons behind them are described in docs/statistics.md.

The listings (home, /projects/, tribe pages) show published projects past a minimum, so empty
stubs stay out of them: `listed()` and `is_listed()` (docs/projects.md, "Drafts").
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import JournalEntry, JournalEntryKind, Licence, ProjectPage

# The annotation `failure_or_lesson_exists()` is stored under, on a project.
HAS_FAILURE_OR_LESSON = "has_failure_or_lesson"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: Promise
    weight: int


CRITERIA = (
    Criterion("presentation", _("A presentation"), 15),
    Criterion("methodology", _("A methodology"), 10),
    Criterion("technical_architecture", _("How it is built"), 10),
    Criterion("steps", _("Realisation steps, each with a photo"), 20),
    Criterion("bill_of_materials", _("A list of materials and supplies"), 10),
    Criterion("licence", _("An open licence"), 5),
    Criterion("cover", _("A cover photo"), 15),
    Criterion("journal", _("A failure or a lesson in the journal"), 15),
)
assert sum(criterion.weight for criterion in CRITERIA) == 100  # noqa: S101 - a module invariant


@dataclass(frozen=True)
class CompletenessItem:
    criterion: Criterion
    done: bool
    fix_url: str  # where the member goes to fill it in

    @property
    def label(self):
        return self.criterion.label

    @property
    def weight(self) -> int:
        return self.criterion.weight


@dataclass(frozen=True)
class Completeness:
    items: tuple[CompletenessItem, ...]

    @property
    def score(self) -> int:
        return sum(item.weight for item in self.items if item.done)

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.done]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def failure_or_lesson_exists() -> Exists:
    """For `.annotate(has_failure_or_lesson=…)` on projects: one EXISTS, served by the
    (project, kind, created_at) index, instead of one query per project."""
    return Exists(
        JournalEntry.objects.filter(
            project=OuterRef("pk"), kind__in=[JournalEntryKind.FAILURE, JournalEntryKind.LESSON]
        )
    )


def listed() -> Q:
    """For `.filter(listed())` on published projects: those with something told beyond their
    title and summary, a presentation (its criterion above) or a journal entry anyone may read,
    so empty stubs stay out of the listings. Cheap columns only: an empty text is known by its
    length, the journal by its index; no step (a JSON column) is read."""
    public_entry = JournalEntry.objects.filter(project=OuterRef("pk"), hidden=False)
    return ~Q(presentation="") | Q(Exists(public_entry))


def is_listed(project: ProjectPage) -> bool:
    """listed(), for one project already loaded (one query at most, for its journal)."""
    return bool(project.presentation) or project.journal_entries.filter(hidden=False).exists()


def has_failure_or_lesson(project: ProjectPage) -> bool:
    """From the annotation when the project was loaded with it, else one query."""
    known = getattr(project, HAS_FAILURE_OR_LESSON, None)
    if known is not None:
        return bool(known)
    return project.journal_entries.filter(
        kind__in=[JournalEntryKind.FAILURE, JournalEntryKind.LESSON]
    ).exists()


def _has_text(value: str) -> bool:
    return bool((value or "").strip())


def _step_has_photo(raw_step: dict) -> bool:
    # The raw stream data holds the photos' ids: no image is loaded to answer.
    return bool((raw_step.get("value") or {}).get("photos"))


def project_completeness(project: ProjectPage) -> Completeness:
    """Score `project` against CRITERIA. Costs no query when the project was loaded with the
    `has_failure_or_lesson` annotation (projects.selectors.project_get_for_viewer does)."""
    slug = project.slug

    def edit(section: str) -> str:
        return reverse("projects:edit_section", kwargs={"slug": slug, "section": section})

    steps = list(project.steps.raw_data)
    without_photo = [step for step in steps if not _step_has_photo(step)]
    if not steps:
        steps_url = reverse("projects:step_add", kwargs={"slug": slug})
    elif without_photo and without_photo[0].get("id"):
        steps_url = reverse(
            "projects:step_edit", kwargs={"slug": slug, "step_id": without_photo[0]["id"]}
        )
    else:
        steps_url = reverse("projects:detail", kwargs={"slug": slug}) + "#steps"
    journal_url = reverse("projects:journal_entry_add", kwargs={"slug": slug})

    done_and_url = {
        "presentation": (_has_text(project.presentation), edit("presentation")),
        "methodology": (_has_text(project.methodology), edit("methodology")),
        "technical_architecture": (
            _has_text(project.technical_architecture),
            edit("technical_architecture"),
        ),
        "steps": (bool(steps) and not without_photo, steps_url),
        "bill_of_materials": (
            len(project.bill_of_materials.raw_data) > 0,
            reverse("projects:bill_of_materials", kwargs={"slug": slug}),
        ),
        "licence": (
            bool(project.licence) and project.licence != Licence.ALL_RIGHTS_RESERVED,
            edit("details"),
        ),
        "cover": (project.cover_image_id is not None, edit("cover")),
        "journal": (has_failure_or_lesson(project), f"{journal_url}?kind=failure"),
    }
    return Completeness(
        items=tuple(
            CompletenessItem(criterion, *done_and_url[criterion.key]) for criterion in CRITERIA
        )
    )
