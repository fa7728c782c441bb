"""Who may see tribes, and their logos (docs/visibility.md). Registered with visibility.registry
from TribesConfig.ready().

Public tribes: everyone · private tribes: staff and the people with a membership (invited,
asked or active), who alone see its name where a project, call or machine names its tribes
(`tribes_shown_to`).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.images.models import AbstractImage

from users.roles import is_active_member, is_staff
from visibility.registry import (
    PUBLIC_AUDIENCE,
    MediaUse,
    OpenPageRule,
    VisibilityRule,
    register,
)

from .models import MembershipState, TribeIndexPage, TribeMembership, TribePage, TribeVisibility


def tribe_is_public(tribe: TribePage) -> bool:
    return tribe.live and tribe.visibility == TribeVisibility.PUBLIC


def tribes_public() -> QuerySet[TribePage]:
    return tribes_visible_to(AnonymousUser())


def can_view_tribe(user, tribe: TribePage) -> bool:
    if tribe_is_public(tribe) or is_staff(user):
        return True
    if not is_active_member(user):
        return False
    return tribe.memberships.filter(user=user).exists()


def tribes_shown_to(user, tribes) -> list[TribePage]:
    """The tribes of a list (a project's, prefetched) this user may see, in the same order: a
    private tribe's name is never shown to outsiders. No query unless a tribe is private."""
    tribes = list(tribes)
    if is_staff(user):
        return tribes
    hidden = {tribe.pk for tribe in tribes if not tribe_is_public(tribe)}
    if hidden and is_active_member(user):
        hidden -= set(
            TribeMembership.objects.filter(user=user, tribe_id__in=hidden).values_list(
                "tribe_id", flat=True
            )
        )
    return [tribe for tribe in tribes if tribe.pk not in hidden]


def tribes_visible_to(user) -> QuerySet[TribePage]:
    tribes = TribePage.objects.all()
    if is_staff(user):
        return tribes
    rule = Q(live=True, visibility=TribeVisibility.PUBLIC)
    if is_active_member(user):
        rule |= Q(pk__in=TribeMembership.objects.filter(user=user).values("tribe_id"))
    return tribes.filter(rule)


def _logos() -> Q:
    return Q(pk__in=TribePage.objects.filter(logo__isnull=False).values("logo_id"))


def _logos_visible_to(user) -> Q:
    return Q(pk__in=tribes_visible_to(user).filter(logo__isnull=False).values("logo_id"))


class TribeRule(VisibilityRule):
    serves_pages = True

    def can_view(self, user, obj) -> bool:
        return can_view_tribe(user, obj)

    def visible_to(self, user) -> QuerySet:
        return tribes_visible_to(user)

    def audiences(self, obj) -> set[str]:
        return {PUBLIC_AUDIENCE} if tribe_is_public(obj) else {f"tribe-any:{obj.pk}"}

    def reader_audiences(self, user) -> set[str]:
        """`tribe-any:<id>` for any membership (a private tribe's members, invited or asked,
        see it); `tribe:<id>` for an active one (they see its tribe-only projects)."""
        tokens = set()
        for tribe_id, state in TribeMembership.objects.filter(user=user).values_list(
            "tribe_id", "state"
        ):
            tokens.add(f"tribe-any:{tribe_id}")
            if state == MembershipState.ACTIVE:
                tokens.add(f"tribe:{tribe_id}")
        return tokens

    def media_uses(self) -> list[MediaUse]:
        return [MediaUse(AbstractImage, used=_logos, visible_to=_logos_visible_to)]


register(TribeRule(TribePage))
register(OpenPageRule(TribeIndexPage))
