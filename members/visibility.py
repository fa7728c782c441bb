"""Who may see a member's profile (docs/members.md). Registered with visibility.registry from
MembersConfig.ready(); the User model's own app (users) stays below every rule.

Active members' profiles are public; one hidden by the moderators is seen by its member and
staff only; a deactivated account's profile by nobody.
"""

from django.db.models import Q, QuerySet

from users.models import User
from users.roles import is_active_member, is_staff
from visibility.registry import PUBLIC_AUDIENCE, VisibilityRule, register


def profile_is_public(member) -> bool:
    return member.is_active and not member.hidden


def can_view_profile(user, member) -> bool:
    """Active members' profiles are public; a hidden one is seen by its member and staff."""
    if profile_is_public(member) or (member.is_active and is_staff(user)):
        return True
    return member.is_active and is_active_member(user) and user.pk == member.pk


def profiles_visible_to(user) -> QuerySet[User]:
    members = User.objects.filter(is_active=True)
    if is_staff(user):
        return members
    rule = Q(hidden=False)
    if is_active_member(user):
        rule |= Q(pk=user.pk)
    return members.filter(rule)


def profiles_public() -> QuerySet[User]:
    return User.objects.filter(is_active=True, hidden=False)


class ProfileRule(VisibilityRule):
    def can_view(self, user, obj) -> bool:
        return can_view_profile(user, obj)

    def visible_to(self, user) -> QuerySet:
        return profiles_visible_to(user)

    def audiences(self, obj) -> set[str]:
        if profile_is_public(obj):
            return {PUBLIC_AUDIENCE}
        return {f"user:{obj.pk}"} if obj.is_active else set()


register(ProfileRule(User))
