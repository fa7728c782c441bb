"""Reads about tribes, memberships and invitations, each with the joins it needs so query counts
stay flat. What a visitor may see is decided by visibility.policy, never here."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.images import get_image_model

from core.tokens import secret_digest

from .models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeInvitation,
    TribeMembership,
    TribePage,
)
from .permissions import user_can_manage_tribe
from .visibility import tribes_visible_to

LOGO_RENDITION = "fill-160x160"
CARD_LOGO_RENDITION = "fill-96x96"
# A real token is 43 characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 128


def _logos():
    return get_image_model().objects.prefetch_renditions(LOGO_RENDITION, CARD_LOGO_RENDITION)


def tribe_list_visible_to(user) -> QuerySet[TribePage]:
    """Published tribes this user may see, by name, with their member count and, for a
    logged-in member, their own membership state (`viewer_state`, None when not a member)."""
    tribes = (
        tribes_visible_to(user)
        .live()
        .prefetch_related(Prefetch("logo", queryset=_logos()))
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE))
        )
        .order_by("title", "pk")
    )
    if user and user.is_authenticated:
        mine = TribeMembership.objects.filter(tribe=OuterRef("pk"), user=user).values("state")
        tribes = tribes.annotate(viewer_state=Subquery(mine[:1]))
    return tribes


# The apps that build on tribes add what a tribe page shows of their content (projects: a page of
# the tribe's projects and its latest journal entries) through this Wagtail hook, each a function
# of (tribe=, user=, page=) returning context, so this app imports none of them.
TRIBE_PAGE_CONTENT_HOOK = "carnet_tribe_page_content"


def tribe_page_detail(*, tribe: TribePage, user, page: int = 1) -> dict:
    """What a tribe page shows `user` (who may see the tribe): its members, their membership,
    requests for its admins, and the content other apps add (TRIBE_PAGE_CONTENT_HOOK)."""
    can_manage = user_can_manage_tribe(user, tribe)
    context = {
        "members": tribe_members(tribe),
        "membership": tribe_membership_of(user, tribe),
        "can_manage": can_manage,
        "pending_requests": tribe_pending_request_count(tribe) if can_manage else 0,
        "join_policies": JoinPolicy,
        "states": MembershipState,
    }
    for tribe_page_content in hooks.get_hooks(TRIBE_PAGE_CONTENT_HOOK):
        context.update(tribe_page_content(tribe=tribe, user=user, page=page))
    return context


def tribe_membership_of(user, tribe: TribePage) -> TribeMembership | None:
    """This user's membership of the tribe, whatever its state; None for visitors."""
    if not (user and user.is_authenticated):
        return None
    return TribeMembership.objects.filter(tribe=tribe, user=user).first()


def _admins_first(memberships: QuerySet[TribeMembership]) -> QuerySet[TribeMembership]:
    return memberships.annotate(
        role_order=Case(
            When(role=MembershipRole.ADMIN, then=V(0)), default=V(1), output_field=IntegerField()
        )
    ).order_by("role_order", "user__display_name", "user__username")


def tribe_members(tribe: TribePage) -> list[TribeMembership]:
    """Active members, admins first, each with their account."""
    return list(
        _admins_first(
            TribeMembership.objects.filter(tribe=tribe, state=MembershipState.ACTIVE)
        ).select_related("user")
    )


@dataclass
class TribePending:
    """What waits for a tribe admin's answer."""

    requests: list[TribeMembership]
    invited: list[TribeMembership]
    email_invitations: list[TribeInvitation]
    links: list[TribeInvitation]

    @property
    def count(self) -> int:
        return len(self.requests)


def _pending_invitations(tribe: TribePage) -> QuerySet[TribeInvitation]:
    return (
        TribeInvitation.objects.filter(tribe=tribe, revoked_at=None, expires_at__gt=timezone.now())
        .filter(Q(email="") | Q(accepted_at=None))
        .select_related("created_by", "accepted_by")
        .order_by("-created_at", "-pk")
    )


def tribe_pending(tribe: TribePage) -> TribePending:
    """Requests to answer, invited accounts and the invitations still usable. For admins."""
    waiting = (
        TribeMembership.objects.filter(tribe=tribe)
        .exclude(state=MembershipState.ACTIVE)
        .select_related("user", "invited_by")
        .order_by("created_at", "pk")
    )
    invitations = list(_pending_invitations(tribe))
    return TribePending(
        requests=[m for m in waiting if m.state == MembershipState.REQUESTED],
        invited=[m for m in waiting if m.state == MembershipState.INVITED],
        email_invitations=[i for i in invitations if i.email],
        links=[i for i in invitations if not i.email],
    )


def tribe_pending_request_count(tribe: TribePage) -> int:
    return TribeMembership.objects.filter(tribe=tribe, state=MembershipState.REQUESTED).count()


def tribe_choices_for_member(user) -> QuerySet[TribePage]:
    """The published tribes a member may share a project with: those they are active in."""
    if not (user and user.is_authenticated):
        return TribePage.objects.none()
    return (
        TribePage.objects.live()
        .filter(
            pk__in=TribeMembership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
                "tribe_id"
            )
        )
        .order_by("title")
    )


def tribe_memberships_for_member(*, user, member) -> list[TribeMembership]:
    """`member`'s active memberships in the published tribes `user` may see (profiles)."""
    visible = tribes_visible_to(user).live().values("pk")
    return list(
        TribeMembership.objects.filter(user=member, state=MembershipState.ACTIVE, tribe__in=visible)
        .select_related("tribe")
        .order_by("tribe__title")
    )


def tribe_list_for_member(*, user, member) -> QuerySet[TribePage]:
    """The published tribes `member` is active in that `user` may see (profiles)."""
    return (
        tribes_visible_to(user)
        .live()
        .filter(
            pk__in=TribeMembership.objects.filter(user=member, state=MembershipState.ACTIVE).values(
                "tribe_id"
            )
        )
        .order_by("title")
    )


class InvitationRefused(ValidationError):
    """Why an invitation token cannot be used; `invitation` is None for an unknown token."""

    def __init__(self, message, *, code: str, invitation: TribeInvitation | None = None):
        super().__init__(message, code=code)
        self.invitation = invitation


def tribe_invitation_for_token(token: str, *, for_update: bool = False) -> TribeInvitation:
    """The invitation behind `token`, if it can still be used.

    Raises InvitationRefused (a ValidationError) with a message for the visitor and a code:
    `invalid` (no such invitation: mistyped or forged), `revoked`, `used` (an e-mail invitation
    is used once) or `expired`. Shareable links stay usable by many people until they expire or
    are revoked.
    """
    invitation = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        invitations = TribeInvitation.objects.select_related("tribe", "created_by")
        if for_update:
            invitations = invitations.select_for_update(of=("self",))
        invitation = invitations.filter(token_hash=secret_digest(token)).first()
    if invitation is None:
        raise InvitationRefused(
            _("This invitation link is not valid. Check that you copied it whole."),
            code="invalid",
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            _("This invitation was cancelled by the tribe's admins."),
            code="revoked",
            invitation=invitation,
        )
    if not invitation.is_link and invitation.accepted_at is not None:
        raise InvitationRefused(
            _("This invitation has already been used."), code="used", invitation=invitation
        )
    if invitation.is_expired:
        raise InvitationRefused(
            _("This invitation has expired. Ask the tribe's admins for a new one."),
            code="expired",
            invitation=invitation,
        )
    return invitation
