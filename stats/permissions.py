"""Who may read the statistics, and of which tribes. Who may *see* content is decided in
each app's visibility.py; statistics only ever show counts."""

from tribes.permissions import tribes_managed_by
from users.roles import is_staff


def can_see_stats(user) -> bool:
    """Staff, and the tribes' admins: they read the statistics of `tribes_managed_by(user)`
    (every tribe for staff, the tribes they are an active admin of for others)."""
    return is_staff(user) or tribes_managed_by(user).exists()


def can_see_curation_queue(user) -> bool:
    return is_staff(user)
