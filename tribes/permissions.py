"""Who may run a tribe. Who may *see* one is decided in tribes/visibility.py."""

from django.db.models import QuerySet

from users.roles import is_active_member, is_staff

from .models import MembershipRole, MembershipState, TribeMembership, TribePage


def _admin_memberships(user):
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
    )


def user_is_tribe_admin(user, tribe: TribePage) -> bool:
    """An active member of the tribe with the admin role."""
    if not is_active_member(user):
        return False
    return _admin_memberships(user).filter(tribe=tribe).exists()


def tribes_administered_by(user) -> QuerySet[TribePage]:
    """The tribes this member is an active admin of."""
    if not is_active_member(user):
        return TribePage.objects.none()
    return TribePage.objects.filter(pk__in=_admin_memberships(user).values("tribe_id"))


def tribes_managed_by(user) -> QuerySet[TribePage]:
    """The tribes whose machines and statistics this user looks after: all for staff, the
    ones they administer for others."""
    return TribePage.objects.all() if is_staff(user) else tribes_administered_by(user)


def user_can_manage_tribe(user, tribe: TribePage) -> bool:
    """Tribe admins, and staff (who moderate every tribe), may edit it and manage its members."""
    return is_staff(user) or user_is_tribe_admin(user, tribe)


def user_is_tribe_member(user, tribe: TribePage) -> bool:
    """An active member, whatever the role."""
    if not is_active_member(user):
        return False
    return TribeMembership.objects.filter(
        tribe=tribe, user=user, state=MembershipState.ACTIVE
    ).exists()
