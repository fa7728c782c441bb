"""Who may change a project. (Who may *see* one is the visibility policy's job.)"""

from .models import JournalEntry, ProjectPage


def user_can_edit_project(user, project: ProjectPage) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if project.owner_id == user.pk:
        return True
    # .all() so a prefetched list (the project page prefetches it) costs no query.
    return any(person.pk == user.pk for person in project.collaborators.all())


def user_can_edit_journal_entry(user, entry: JournalEntry) -> bool:
    return user_can_edit_project(user, entry.project)
