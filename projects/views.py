"""Member-facing project editing: short forms, in place, each save a revision (published at once
once the project is), and the draft's preview and publish step."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import render_cache
from visibility.loaders import everyone, get_visible_or_404, object_view

from . import selectors, services
from .forms import (
    BillOfMaterialsFormSet,
    JournalEntryForm,
    ProjectCoverForm,
    ProjectCreateForm,
    ProjectDetailsForm,
    ProjectFileForm,
    ProjectSectionForm,
    ProjectStepForm,
    format_parameters,
)
from .models import MARKDOWN_SECTIONS, JournalEntry, JournalEntryKind, ProjectPage
from .permissions import can_edit_project
from .visibility import can_view_project, journal_entries_of_project_visible_to


def project_detail(request, slug):
    """Serve a project page straight from its slug: one query instead of walking the page tree.
    Whoever may not see the project gets the same 404 as for a project that does not exist.
    Visitors all see the same page: it is kept whole (core.render_cache) until it changes."""
    kept = render_cache.for_visitor(request, parameters=selectors.PROJECT_PAGE_PARAMETERS)
    if kept is not None and kept.html is not None:
        return HttpResponse(kept.html)
    response = _project_for_viewer(request, slug).serve(request)
    if kept is not None:
        response.render()
        if response.status_code == 200 and not response.cookies:
            kept.keep(response.content.decode())
    return response


def _project_for_viewer(request, slug) -> ProjectPage:
    project = get_visible_or_404(
        request.user,
        selectors.project_detail_queryset(request.user),
        visible=can_view_project,
        slug=slug,
    )
    return selectors.project_as_shown(project)


def journal_entry_detail(request, slug, pk):
    """One journal entry on a page of its own, to share a failure or a lesson by link."""
    project = _project_for_viewer(request, slug)
    # The entries of this (visible) project the visitor may see: not those hidden by the
    # moderators, unless they may edit the project.
    entries = journal_entries_of_project_visible_to(request.user, project)
    entry = get_visible_or_404(
        request.user,
        entries.select_related("author", "machine").prefetch_related("photos"),
        visible=everyone,
        pk=pk,
    )
    entry.project = project
    selectors.project_page_prefetch_renditions(project, [entry])
    context = {
        "page": project,
        "entry": entry,
        "can_edit": can_edit_project(request.user, project),
    }
    return render(request, "projects/journal_entry_detail.html", context)


def project_export_markdown(request, slug):
    """The whole project, journal included, as one Markdown file the member can take anywhere."""
    project = _project_for_viewer(request, slug)
    text = render(
        request,
        "projects/project_export.md",
        {"page": project, "entries": selectors.journal_entry_export(project, user=request.user)},
    ).content
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}.md"'
    return response


# The project named by `slug`: 404 for whoever may not see it, 403 for whoever sees it but may
# not change it.
editable_project = object_view(
    ProjectPage.objects.select_related("owner"),
    visible=can_view_project,
    allowed=can_edit_project,
    denied=gettext_lazy("Only the project's owner and collaborators can change it."),
)


@login_required
def project_create(request):
    form = ProjectCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            photos = form.placed_photos()
            project = services.project_create(
                owner=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                photo=photos[0] if photos else None,
            )
            messages.success(
                request,
                _(
                    "Your project is saved as a draft: only you can see it. Tell its story, "
                    "one section at a time, then publish it."
                ),
            )
            return redirect(project.url)
        form.keep_uploaded_photos()
    return render(request, "projects/project_create.html", {"form": form})


@editable_project
def project_preview(request, project):
    """The project as others will see it once published: no editing buttons, no checklist."""
    project = _project_for_viewer(request, project.slug)
    request.is_preview = True  # a draft's revision or an editor's view: never kept
    context = project.get_context(request) | {"can_edit": False, "previewing": True}
    return TemplateResponse(request, project.get_template(request), context)


@require_POST
@editable_project
def project_publish(request, project):
    services.project_publish(project=project, user=request.user)
    messages.success(request, _("Your project is published."))
    return redirect(project.url)


@require_POST
@editable_project
def project_unpublish(request, project):
    services.project_unpublish(project=project, user=request.user)
    messages.success(
        request, _("Your project is a draft again: only you, your collaborators and staff see it.")
    )
    return redirect(project.url)


@editable_project
def project_edit_section(request, project, section):
    if section == "details":
        return _edit_details(request, project)
    if section == "cover":
        return _edit_cover(request, project)
    if section not in MARKDOWN_SECTIONS:
        raise Http404
    label = ProjectPage._meta.get_field(section).verbose_name
    current = getattr(project.get_latest_revision_as_object(), section)
    form = ProjectSectionForm(request.POST or None, initial={"text": current})
    form.fields["text"].label = capfirst(label)
    form.fields["text"].help_text = MARKDOWN_SECTIONS[section]
    if request.method == "POST" and form.is_valid():
        services.project_update(
            project=project, user=request.user, **{section: form.cleaned_data["text"]}
        )
        messages.success(request, _("Saved."))
        return redirect(f"{project.url}#{section}")
    return render(
        request,
        "projects/project_edit.html",
        {"project": project, "form": form, "heading": capfirst(label), "anchor": section},
    )


def _edit_details(request, project):
    latest = project.get_latest_revision_as_object()
    form = ProjectDetailsForm(
        request.POST or None, initial=ProjectDetailsForm.initial_for(latest), project=latest
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(project.url)
    return render(
        request,
        "projects/project_edit.html",
        {"project": project, "form": form, "heading": _("About the project"), "anchor": "top"},
    )


def _edit_cover(request, project):
    form = ProjectCoverForm(
        request.POST or None, request.FILES or None, user=request.user, project=project
    )
    if request.method == "POST":
        if form.is_valid():
            services.project_cover_set(
                project=project, user=request.user, photo=form.placed_photos()[0]
            )
            messages.success(request, _("New cover photo saved."))
            return redirect(project.url)
        form.keep_uploaded_photos()
    return render(
        request,
        "projects/project_edit.html",
        {
            "project": project,
            "form": form,
            "heading": _("Cover photo"),
            "anchor": "top",
            "multipart": True,
        },
    )


def _step(project, step_id):
    for block in project.get_latest_revision_as_object().steps:
        if block.id == step_id:
            return block
    raise Http404


@editable_project
def step_edit(request, project, step_id=None):
    step = _step(project, step_id) if step_id else None
    existing = step.value["photos"] if step else []
    initial = {"title": step.value["title"], "body": step.value["body"]} if step else {}
    form = ProjectStepForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        project=project,
        initial=initial,
        existing_photos=existing,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if step:
                services.project_step_update(
                    project=project,
                    user=request.user,
                    step_id=step.id,
                    title=data["title"],
                    body=data["body"],
                    photos=form.placed_photos(),
                )
            else:
                services.project_step_add(
                    project=project,
                    user=request.user,
                    title=data["title"],
                    body=data["body"],
                    photos=form.placed_photos(),
                )
            messages.success(request, _("Step saved."))
            return redirect(f"{project.url}#steps")
        form.keep_uploaded_photos()
    heading = _("Edit the step") if step else _("Add a step")
    return render(
        request,
        "projects/project_edit.html",
        {
            "project": project,
            "form": form,
            "heading": heading,
            "anchor": "steps",
            "multipart": True,
        },
    )


@require_POST
@editable_project
def step_delete(request, project, step_id):
    try:
        services.project_step_delete(project=project, user=request.user, step_id=step_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Step deleted. It remains in the project's history."))
    return redirect(f"{project.url}#steps")


@require_POST
@editable_project
def step_move(request, project, step_id):
    """Up or down one place (the ↑/↓ buttons' `direction`), or to a place counted from 1
    (`position`, the form's list of places)."""
    direction = request.POST.get("direction")
    position = request.POST.get("position", "")
    if direction in ("up", "down"):
        move = {"offset": -1 if direction == "up" else 1}
    elif position.isdecimal() and len(position) < 6:
        move = {"position": int(position) - 1}
    else:
        return redirect(f"{project.url}#steps")
    try:
        services.project_step_move(project=project, user=request.user, step_id=step_id, **move)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"{project.url}#steps")


@editable_project
def bill_of_materials_edit(request, project):
    rows = [
        dict(block.value) for block in project.get_latest_revision_as_object().bill_of_materials
    ]
    formset = BillOfMaterialsFormSet(request.POST or None, initial=rows, prefix="bom")
    if request.method == "POST" and formset.is_valid():
        kept = [
            form.row()
            for form in formset
            if form.has_changed() or form.initial
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        services.project_bill_of_materials_set(project=project, user=request.user, rows=kept)
        messages.success(request, _("Materials and supplies saved."))
        return redirect(f"{project.url}#bill-of-materials")
    return render(
        request, "projects/bill_of_materials_edit.html", {"project": project, "formset": formset}
    )


@editable_project
def file_add(request, project):
    form = ProjectFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_file_add(
                project=project,
                user=request.user,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            # The document model names its own field ("file"), so Django routes the message there.
            form.add_error(None, exc)
        else:
            messages.success(request, _("File added."))
            return redirect(f"{project.url}#files")
    return render(
        request,
        "projects/project_edit.html",
        {
            "project": project,
            "form": form,
            "heading": _("Add a file"),
            "anchor": "files",
            "multipart": True,
        },
    )


@require_POST
@editable_project
def file_remove(request, project, block_id):
    try:
        services.project_file_remove(project=project, user=request.user, block_id=block_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(f"{project.url}#files")


def _project_entry(request, project, pk) -> JournalEntry:
    """An entry of a project the user may edit: they see them all, hidden ones included."""
    return get_visible_or_404(request.user, project.journal_entries.all(), visible=everyone, pk=pk)


def _submission_key(request) -> uuid.UUID | None:
    """The key the browser gives an entry it may send twice (static/js/offline.js)."""
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None


@editable_project
def journal_entry_edit(request, project, pk=None):
    entry = _project_entry(request, project, pk) if pk else None
    initial = {"kind": request.GET.get("kind", JournalEntryKind.TRIAL)}
    if entry:
        initial = {
            "kind": entry.kind,
            "title": entry.title,
            "body": entry.body,
            "outcome": entry.outcome,
            "machine": entry.machine,
            "parameters": format_parameters(entry.parameters),
        }
    form = JournalEntryForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        project=project,
        initial=initial,
        existing_photos=entry.photos.all() if entry else (),
    )
    if request.method == "POST":
        if form.is_valid():
            if entry:
                services.journal_entry_update(
                    entry=entry,
                    user=request.user,
                    photos=form.placed_photos(),
                    **form.entry_fields(),
                )
            else:
                entry = services.journal_entry_create(
                    project=project,
                    author=request.user,
                    photos=form.placed_photos(),
                    submission_key=_submission_key(request),
                    **form.entry_fields(),
                )
            messages.success(request, _("Journal entry saved."))
            return redirect(f"{project.url}#journal-{entry.pk}")
        form.keep_uploaded_photos()
    heading = _("Edit the journal entry") if entry else _("New journal entry")
    return render(
        request,
        "projects/project_edit.html",
        {
            "project": project,
            "form": form,
            "heading": heading,
            "anchor": "journal",
            "multipart": True,
        },
    )


@require_POST
@editable_project
def journal_entry_delete(request, project, pk):
    entry = _project_entry(request, project, pk)
    services.journal_entry_delete(entry=entry, user=request.user)
    messages.success(request, _("Journal entry deleted."))
    return redirect(f"{project.url}#journal")


@editable_project
def project_history(request, project):
    revisions = selectors.project_revisions(project)
    ids = [revision.pk for revision in revisions]
    diff = None
    older, newer = request.GET.get("from"), request.GET.get("to")
    if older and newer:
        try:
            diff = selectors.project_revision_diff(project, int(older), int(newer))
        except (ValueError, OverflowError, LookupError):
            messages.error(request, _("These two versions cannot be compared."))
    elif len(ids) >= 2:
        older, newer = ids[1], ids[0]
    return render(
        request,
        "projects/project_history.html",
        {
            "project": project,
            "revisions": revisions,
            "diff": diff,
            "compare_from": str(older or ""),
            "compare_to": str(newer or ""),
            "journal_revisions": selectors.journal_revisions(project),
        },
    )
