"""Who may report a thing, and who may decide on reports. Who may *see* a thing is decided in
visibility.policy: nobody may report what they cannot see."""

from visibility.policy import can_view, is_staff

from .selectors import is_target_author


def can_report(user, target) -> bool:
    """Active members who see the thing and did not make it."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return can_view(user, target) and not is_target_author(user, target)


def can_moderate(user) -> bool:
    return is_staff(user)
