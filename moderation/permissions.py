"""Who may report a thing, and who may decide on reports. Who may *see* a thing is decided in
visibility.policy: nobody may report what they cannot see."""

from users.roles import is_active_member, is_staff
from visibility.policy import can_view

from .selectors import is_target_author


def can_report(user, target) -> bool:
    """Active members who see the thing and did not make it."""
    if not is_active_member(user):
        return False
    return can_view(user, target) and not is_target_author(user, target)


def can_moderate(user) -> bool:
    return is_staff(user)
