"""Who may read the statistics, and of which tribes. Who may *see* content is decided in
visibility.policy; statistics only ever show counts."""

from django.db.models import QuerySet

from tribes.models import TribePage
from tribes.permissions import tribes_managed_by
from visibility.policy import is_staff


def stats_tribes_for(user) -> QuerySet[TribePage]:
    """The tribes whose statistics `user` may read: every tribe for staff, the tribes they are
    an active admin of for others (none for a plain member or a visitor)."""
    return tribes_managed_by(user)


def can_see_stats(user) -> bool:
    return is_staff(user) or stats_tribes_for(user).exists()


def can_see_curation_queue(user) -> bool:
    return is_staff(user)
