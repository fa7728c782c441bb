"""Turn projects, journal entries, tribes and members into flat search documents."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from calls.models import CallForProjectsPage
from projects.completeness import project_completeness
from projects.models import JournalEntry, ProjectPage
from tribes.models import TribePage
from users.models import User
from visibility.policy import AUDIENCE_TERM, audiences_for

from .models import SearchDocumentKind


@dataclass
class DocumentData:
    kind: str
    source_id: int
    title: str
    body: str
    url: str
    updated_at: datetime
    image_id: int | None = None
    # (facet name, value, label): the label is a name as written (a tag's, a tribe's), or
    # empty where the value is a choice, translated when shown (search.engine.group_facets).
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    summary: str = ""
    completeness: int = 0


def _audience_terms(obj) -> list[tuple[str, str, str]]:
    return [(AUDIENCE_TERM, token, "") for token in sorted(audiences_for(obj))]


def _project_facets(project: ProjectPage) -> list[tuple[str, str, str]]:
    terms = [
        ("status", project.status, ""),
        ("licence", project.licence, ""),
    ]
    terms += [("tag", tag.slug, tag.name) for tag in project.tags.all()]
    terms += [("tribe", str(tribe.pk), tribe.title) for tribe in project.tribes.all()]
    terms += [("machine", machine.slug, machine.name) for machine in project.machines.all()]
    return terms


def _project_body(project: ProjectPage) -> str:
    parts = [project.summary, project.presentation, project.methodology]
    parts.append(project.technical_architecture)
    for step in project.steps:
        parts += [step.value["title"], step.value["body"]]
    parts += [row.value["item"] for row in project.bill_of_materials]
    parts += [machine.name for machine in project.machines.all()]
    parts += [material.name for material in project.materials.all()]
    parts += [tag.name for tag in project.tags.all()]
    return "\n".join(part for part in parts if part)


def project_document(project: ProjectPage) -> DocumentData:
    return DocumentData(
        kind=SearchDocumentKind.PROJECT,
        source_id=project.pk,
        title=project.title,
        summary=project.summary,
        body=_project_body(project),
        # Cheap when the project comes with its failure-or-lesson annotation
        # (search.services loads projects so).
        completeness=project_completeness(project).score,
        url=project.url or "",
        updated_at=project.last_published_at
        or project.latest_revision_created_at
        or timezone.now(),
        image_id=project.cover_image_id,
        terms=[
            ("type", SearchDocumentKind.PROJECT, ""),
            *_project_facets(project),
            *_audience_terms(project),
        ],  # fmt: skip
    )


def journal_entry_document(entry: JournalEntry, project: ProjectPage) -> DocumentData:
    """An entry is found by its own words, and filtered by its kind, its machine and its
    project's tags, tribes, status and licence; it is as visible as its project."""
    terms = [("type", SearchDocumentKind.JOURNAL_ENTRY, ""),
             ("entry_kind", entry.kind, "")]  # fmt: skip
    terms += [term for term in _project_facets(project) if term[0] != "machine"]
    if entry.machine_id:
        terms.append(("machine", entry.machine.slug, entry.machine.name))
    parameters = " ".join(f"{name} {value}" for name, value in (entry.parameters or {}).items())
    return DocumentData(
        kind=SearchDocumentKind.JOURNAL_ENTRY,
        source_id=entry.pk,
        title=entry.title or f"{entry.get_kind_display()} — {project.title}",
        body="\n".join(part for part in (entry.body, parameters) if part),
        url=entry.get_absolute_url(),
        updated_at=entry.updated_at,
        # A hidden entry (moderation/) has its own, narrower audience.
        terms=terms + _audience_terms(entry if entry.hidden else project),
    )


def tribe_document(tribe: TribePage) -> DocumentData:
    return DocumentData(
        kind=SearchDocumentKind.TRIBE,
        source_id=tribe.pk,
        title=tribe.title,
        body="\n".join(part for part in (tribe.description, tribe.place) if part),
        url=tribe.url or "",
        updated_at=tribe.last_published_at or timezone.now(),
        image_id=tribe.logo_id,
        terms=[("type", SearchDocumentKind.TRIBE, ""), *_audience_terms(tribe)],
    )


def member_document(member: User) -> DocumentData:
    skills = [skill.name for skill in member.skills.all()]
    return DocumentData(
        kind=SearchDocumentKind.MEMBER,
        source_id=member.pk,
        title=member.public_name,
        body="\n".join(part for part in (member.bio, " ".join(skills)) if part),
        url=member.get_absolute_url(),
        updated_at=member.date_joined,
        terms=[("type", SearchDocumentKind.MEMBER, ""), *_audience_terms(member)],
    )


def call_document(call: CallForProjectsPage) -> DocumentData:
    """A call is found by its brief, deliverables, terms, organisation and tags; drafts and
    calls under review only by the organisation's members (and staff)."""
    return DocumentData(
        kind=SearchDocumentKind.CALL,
        source_id=call.pk,
        title=call.title,
        body=call.search_text(),
        url=call.url or "",
        updated_at=call.last_published_at or call.latest_revision_created_at or timezone.now(),
        terms=[
            ("type", SearchDocumentKind.CALL, ""),
            *[("tag", tag.slug, tag.name) for tag in call.tags.all()],
            *_audience_terms(call),
        ],
    )
