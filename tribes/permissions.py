"""Who may run a tribe. Who may *see* one is decided in visibility.policy."""

from visibility.policy import is_staff

from .models import MembershipRole, MembershipState, TribeMembership, TribePage


def _is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_is_tribe_admin(user, tribe: TribePage) -> bool:
    """An active member of the tribe with the admin role."""
    if not _is_member(user):
        return False
    return TribeMembership.objects.filter(
        tribe=tribe, user=user, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
    ).exists()


def user_can_manage_tribe(user, tribe: TribePage) -> bool:
    """Tribe admins, and staff (who moderate every tribe), may edit it and manage its members."""
    return is_staff(user) or user_is_tribe_admin(user, tribe)


def user_is_tribe_member(user, tribe: TribePage) -> bool:
    """An active member, whatever the role."""
    if not _is_member(user):
        return False
    return TribeMembership.objects.filter(
        tribe=tribe, user=user, state=MembershipState.ACTIVE
    ).exists()
