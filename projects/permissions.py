"""Who may change a project or its journal. Who may *see* one: projects/visibility.py."""

from users.roles import is_active_member, is_staff

from .models import ProjectPage


def can_edit_project(user, project: ProjectPage) -> bool:
    """Owner, collaborators and staff; a tribe admin gains no rights over others' projects.
    A journal entry is edited by whoever may edit its project."""
    if not is_active_member(user):
        return False
    if is_staff(user) or project.owner_id == user.pk:
        return True
    # .all() so a prefetched list (the project page prefetches it) costs no query.
    return any(person.pk == user.pk for person in project.collaborators.all())
