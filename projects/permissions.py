"""Who may change a project or its journal. Who may *see* one is decided in visibility.policy."""

from visibility.policy import can_edit_project

from .models import JournalEntry, ProjectPage


def user_can_edit_project(user, project: ProjectPage) -> bool:
    return can_edit_project(user, project)


def user_can_edit_journal_entry(user, entry: JournalEntry) -> bool:
    return can_edit_project(user, entry.project)
