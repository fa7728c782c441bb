"""The public addresses that show a project or a journal entry, purged from the proxy cache when
they change (core/frontend_cache.py). Query strings (other pages of a listing, filters) are
left to the pages' short shared-cache lifetime."""

from django.dispatch import receiver
from django.urls import reverse
from wagtail.signals import page_published, page_unpublished

from core.frontend_cache import absolute_urls, purge_on_commit

from .models import JournalEntry, ProjectPage


def _is_shown_publicly(project: ProjectPage) -> bool:
    return project.live and project.is_public and not project.hidden


def project_urls(project: ProjectPage, *, with_page: bool = True) -> list[str]:
    """Every public address that shows `project`: its page (`with_page=False` when Wagtail
    purges it itself, after a publish), export and journal feeds, the listings and the home page,
    its tribes' pages and feeds, its people's profiles. Its journal entries' pages too when the
    project is no longer public: they must disappear; otherwise they only repeat its title."""
    slug = project.slug
    paths = [
        "/",
        reverse("projects:export_markdown", kwargs={"slug": slug}),
        reverse("journal_feed", kwargs={"slug": slug}),
        reverse("journal_feed_atom", kwargs={"slug": slug}),
        reverse("project_feed"),
        reverse("project_feed_atom"),
        project.index_url,
    ]
    if with_page:
        paths.append(project.url)
    for tribe in project.tribes.all():
        paths += [
            tribe.url,
            reverse("tribe_feed", kwargs={"slug": tribe.slug}),
            reverse("tribe_feed_atom", kwargs={"slug": tribe.slug}),
        ]
    people = [project.owner, *project.collaborators.all()]
    paths += [person.get_absolute_url() for person in people if person is not None]
    if not _is_shown_publicly(project):
        paths += [
            reverse("projects:journal_entry", kwargs={"slug": slug, "pk": pk})
            for pk in project.journal_entries.values_list("pk", flat=True)
        ]
    return absolute_urls(paths)


def journal_entry_urls(entry: JournalEntry, *, was_shown: bool = False) -> list[str]:
    """The entry's page and what shows its project, when anyone but its people could see it:
    a private project's journal purges nothing. `was_shown`: it was public before the change
    (a moderator hid it)."""
    project = entry.project
    if not _is_shown_publicly(project) or (entry.hidden and not was_shown):
        return []
    entry_path = reverse("projects:journal_entry", kwargs={"slug": project.slug, "pk": entry.pk})
    return [*absolute_urls([entry_path]), *project_urls(project)]


@receiver(page_published, sender=ProjectPage)
@receiver(page_unpublished, sender=ProjectPage)  # also sent when a live page is deleted
def purge_published_project(sender, instance, **kwargs):
    """Every publish (member forms, admin, demo) and unpublish: Wagtail purges the page."""
    purge_on_commit(project_urls, instance, with_page=False)
