"""Every change to tribes, memberships and invitations goes through here: views, the demo loader
and commands call these functions, and each checks who may do what, so no entry point can skip
a rule. Bad input raises a ValidationError with a message a member can read; an action that
needs a tribe admin raises PermissionDenied. Either way nothing has changed.

Tribe pages are saved as Wagtail revisions and published, like projects, so their history keeps
every version."""

import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.frontend_cache import purge_on_commit
from core.pages import publish_page, unique_child_slug
from core.tokens import secret_digest
from images.services import image_create_from_upload
from users.roles import is_active_member

from .cache import tribe_urls
from .models import (
    RESERVED_TRIBE_SLUGS,
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeIndexPage,
    TribeInvitation,
    TribeMembership,
    TribePage,
    TribeVisibility,
)
from .permissions import user_can_manage_tribe
from .selectors import tribe_invitation_for_token
from .visibility import can_view_tribe

# Paths under /tribes/ that belong to Carnet's own views (tribes/urls.py), so no tribe may take
# them as slug.
# What a member may change on a tribe from the front end.
TRIBE_EDITABLE_FIELDS = frozenset(
    {"title", "description", "logo", "place", "website", "visibility", "join_policy"}
)
INVITATION_VALID_DAYS = 14
MAX_LINK_VALID_DAYS = 90


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its token: the token is shown (or e-mailed) once, never stored."""

    invitation: TribeInvitation
    token: str
    url: str


# Shared checks ------------------------------------------------------------------------------


def _require_member(user) -> None:
    if not is_active_member(user):
        raise PermissionDenied(_("Log in first."))


def _require_manager(user, tribe: TribePage) -> None:
    _require_member(user)
    if not user_can_manage_tribe(user, tribe):
        raise PermissionDenied(_("Only the tribe's admins can do this."))


def _save(obj):
    obj.full_clean()
    obj.save()
    if isinstance(obj, TribeMembership):  # the tribe page lists its members
        purge_on_commit(tribe_urls, obj.tribe)
    return obj


def _locked_membership(membership: TribeMembership) -> TribeMembership:
    """The membership as it is now in the database, locked until the transaction ends."""
    current = (
        TribeMembership.objects.select_for_update(of=("self",))
        .select_related("user", "tribe")
        .filter(pk=membership.pk)
        .first()
    )
    if current is None:
        raise ValidationError(
            _("This person is no longer in the tribe; someone may have answered already."),
            code="gone",
        )
    return current


def _membership_of(user, tribe: TribePage) -> TribeMembership | None:
    return TribeMembership.objects.select_for_update().filter(tribe=tribe, user=user).first()


def _is_last_admin(membership: TribeMembership) -> bool:
    """Whether `membership` is the tribe's only active admin (the admins are locked)."""
    admins = list(
        TribeMembership.objects.select_for_update()
        .filter(tribe_id=membership.tribe_id, state=MembershipState.ACTIVE)
        .filter(role=MembershipRole.ADMIN)
        .values_list("pk", flat=True)
    )
    return admins == [membership.pk]


def _last_admin_error() -> ValidationError:
    return ValidationError(
        _("A tribe needs at least one admin: make another member admin first."),
        code="last_admin",
    )


def _as_image(logo, *, title: str, user):
    if isinstance(logo, UploadedFile):
        return image_create_from_upload(file=logo, title=title, uploaded_by=user)
    return logo


def _pending_email_invitations(tribe: TribePage, email: str):
    return TribeInvitation.objects.filter(
        tribe=tribe, email__iexact=email, revoked_at=None, accepted_at=None
    ).exclude(email="")


# Tribes -------------------------------------------------------------------------------------


@transaction.atomic
def tribe_create(
    *,
    creator,
    title: str,
    description: str = "",
    logo: UploadedFile | Any | None = None,
    place: str = "",
    website: str = "",
    visibility: str = TribeVisibility.PUBLIC,
    join_policy: str = JoinPolicy.REQUEST,
) -> TribePage:
    """Create and publish a tribe under /tribes/; its creator becomes its first admin.
    `logo` is an upload or a stored image."""
    _require_member(creator)
    index = TribeIndexPage.objects.get()
    page = TribePage(
        title=title.strip(),
        description=description,
        place=place.strip(),
        website=website.strip(),
        visibility=visibility,
        join_policy=join_policy,
        owner=creator,
        slug=unique_child_slug(index, title, reserved=RESERVED_TRIBE_SLUGS, fallback="tribu"),
    )
    page.full_clean(exclude=["path", "depth"])
    if logo is not None:
        page.logo = _as_image(logo, title=page.title, user=creator)
    index.add_child(instance=page)
    page = publish_page(page, user=creator)
    _save(
        TribeMembership(
            tribe=page, user=creator, role=MembershipRole.ADMIN, state=MembershipState.ACTIVE
        )
    )
    return page


@transaction.atomic
def tribe_update(*, tribe: TribePage, user, **fields) -> TribePage:
    """Change the tribe's name, description, logo (an upload, an image or None), place,
    website, visibility or join policy, and publish. Admins and staff only."""
    _require_manager(user, tribe)
    unknown = set(fields) - TRIBE_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"tribe_update cannot change {sorted(unknown)}")
    page = tribe.get_latest_revision_as_object()
    for name, value in fields.items():
        if name == "logo" and value is not None:
            value = _as_image(value, title=fields.get("title") or page.title, user=user)
        elif name in {"title", "place", "website"}:
            value = (value or "").strip()
        setattr(page, name, value)
    return publish_page(page, user=user)


# Joining, requests, leaving -----------------------------------------------------------------


def _accept_invited(membership: TribeMembership, *, user) -> TribeMembership:
    """An invited person says yes: active member, and their e-mail invitation is used up."""
    membership.state = MembershipState.ACTIVE
    _save(membership)
    if user.email:
        _pending_email_invitations(membership.tribe, user.email).update(
            accepted_by=user, accepted_at=timezone.now()
        )
    return membership


@transaction.atomic
def tribe_join(*, user, tribe: TribePage) -> TribeMembership:
    """Join an open tribe, or ask to join one on request. Someone already invited joins at
    once, whatever the policy."""
    _require_member(user)
    membership = _membership_of(user, tribe)
    if membership is not None:
        if membership.state == MembershipState.ACTIVE:
            raise ValidationError(_("You are already a member of this tribe."), code="already")
        if membership.state == MembershipState.REQUESTED:
            raise ValidationError(
                _("You have already asked to join this tribe; its admins will answer."),
                code="already",
            )
        return _accept_invited(membership, user=user)
    if not tribe.live or not can_view_tribe(user, tribe):
        raise ValidationError(
            _("This tribe is private: you can join it only with an invitation."), code="private"
        )
    if tribe.join_policy == JoinPolicy.INVITATION:
        raise ValidationError(
            _("This tribe welcomes new members by invitation only."), code="invitation_only"
        )
    state = (
        MembershipState.ACTIVE
        if tribe.join_policy == JoinPolicy.OPEN
        else MembershipState.REQUESTED
    )
    return _save(TribeMembership(tribe=tribe, user=user, state=state, role=MembershipRole.MEMBER))


def _pending_request(membership: TribeMembership, *, user) -> TribeMembership:
    _require_manager(user, membership.tribe)
    membership = _locked_membership(membership)
    if membership.state != MembershipState.REQUESTED:
        raise ValidationError(_("This request has already been answered."), code="answered")
    return membership


@transaction.atomic
def tribe_request_accept(*, user, membership: TribeMembership) -> TribeMembership:
    """A tribe admin lets in someone who asked to join."""
    membership = _pending_request(membership, user=user)
    membership.state = MembershipState.ACTIVE
    return _save(membership)


@transaction.atomic
def tribe_request_refuse(*, user, membership: TribeMembership) -> None:
    """A tribe admin turns down a request; the person may ask again later."""
    membership = _pending_request(membership, user=user)
    membership.delete()


@transaction.atomic
def tribe_leave(*, user, tribe: TribePage, successor=None) -> None:
    """Leave a tribe, withdraw a request or decline an invitation. The last admin must name
    `successor`, another active member, who becomes admin."""
    _require_member(user)
    membership = _membership_of(user, tribe)
    if membership is None:
        raise ValidationError(_("You are not a member of this tribe."), code="not_member")
    if membership.state == MembershipState.INVITED:
        _decline(membership, user=user)
        return
    if membership.is_admin and _is_last_admin(membership):
        others = TribeMembership.objects.filter(tribe=tribe, state=MembershipState.ACTIVE).exclude(
            user=user
        )
        if not others.exists():
            raise ValidationError(
                _(
                    "You are the tribe's only member, so you cannot leave it yet: invite "
                    "someone who can take over first."
                ),
                code="only_member",
            )
        if successor is None:
            raise ValidationError(
                _("You are the tribe's last admin: name the member who takes over before leaving."),
                code="successor_needed",
            )
        heir = others.select_for_update().filter(user=successor).first()
        if heir is None:
            raise ValidationError(
                _("The person you named is not an active member of this tribe."),
                code="bad_successor",
            )
        heir.role = MembershipRole.ADMIN
        _save(heir)
    membership.delete()
    purge_on_commit(tribe_urls, tribe)


# Admins: members and roles ------------------------------------------------------------------


@transaction.atomic
def tribe_member_role_set(*, user, membership: TribeMembership, role: str) -> TribeMembership:
    """Make an active member admin, or an admin a plain member (never the last admin)."""
    _require_manager(user, membership.tribe)
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose a role from the list."), code="invalid_role")
    membership = _locked_membership(membership)
    if membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("Only active members can be given a role."), code="not_active")
    if membership.role == role:
        return membership
    if membership.role == MembershipRole.ADMIN and _is_last_admin(membership):
        raise _last_admin_error()
    membership.role = role
    return _save(membership)


@transaction.atomic
def tribe_member_remove(*, user, membership: TribeMembership) -> None:
    """Take someone out of the tribe (an active member, or a pending invitation)."""
    _require_manager(user, membership.tribe)
    membership = _locked_membership(membership)
    if membership.is_admin and _is_last_admin(membership):
        raise _last_admin_error()
    if membership.state == MembershipState.INVITED and membership.user.email:
        _pending_email_invitations(membership.tribe, membership.user.email).update(
            revoked_at=timezone.now()
        )
    membership.delete()
    purge_on_commit(tribe_urls, membership.tribe)


# Invitations --------------------------------------------------------------------------------


def invitation_url(token: str, *, base_url: str | None = None) -> str:
    """The absolute address of the invitation page for `token`."""
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + reverse("tribes:invitation", kwargs={"token": token})


def _issue(*, tribe: TribePage, user, email: str, days: int, base_url: str | None):
    token = secrets.token_urlsafe(32)
    invitation = _save(
        TribeInvitation(
            tribe=tribe,
            email=email,
            token_hash=secret_digest(token),
            created_by=user,
            expires_at=timezone.now() + timedelta(days=days),
        )
    )
    return IssuedInvitation(
        invitation=invitation, token=token, url=invitation_url(token, base_url=base_url)
    )


def _normalised_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid_email") from exc
    return email


def _accounts_with_email(email: str):
    return get_user_model().objects.filter(email__iexact=email, is_active=True)


def _send_invitation(issued: IssuedInvitation, *, inviter) -> None:
    context = {
        "tribe": issued.invitation.tribe,
        "inviter": inviter,
        "url": issued.url,
        "expires_at": issued.invitation.expires_at,
    }
    # In the language of the account that uses the address, if any; else in the inviter's.
    account = _accounts_with_email(issued.invitation.email).first()
    with translation.override(account.language if account else translation.get_language()):
        subject = render_to_string("tribes/email/invitation_subject.txt", context)
        body = render_to_string("tribes/email/invitation_body.txt", context)
    subject = " ".join(subject.split())
    try:
        send_mail(subject, body, None, [issued.invitation.email])
    except (smtplib.SMTPException, OSError) as exc:
        # Raised inside the transaction: the invitation is not kept either.
        raise ValidationError(
            _("The invitation e-mail could not be sent; please try again later."),
            code="mail_failed",
        ) from exc


@transaction.atomic
def tribe_member_invite(
    *, tribe: TribePage, user, email: str, base_url: str | None = None, notify: bool = True
) -> IssuedInvitation:
    """Invite someone by e-mail: a link valid 14 days, for one use. A member who already has
    an account with this address also finds the invitation on the tribe page. Inviting the
    same address again replaces the earlier invitation. `notify=False` sends no e-mail (demo
    data, imports)."""
    _require_manager(user, tribe)
    email = _normalised_email(email)
    for account in _accounts_with_email(email):
        membership = _membership_of(account, tribe)
        if membership is None:
            _save(
                TribeMembership(
                    tribe=tribe,
                    user=account,
                    state=MembershipState.INVITED,
                    role=MembershipRole.MEMBER,
                    invited_by=user,
                )
            )
        elif membership.state == MembershipState.ACTIVE:
            raise ValidationError(
                _("%(email)s is already a member of this tribe.") % {"email": email},
                code="already",
            )
        elif membership.state == MembershipState.REQUESTED:
            raise ValidationError(
                _("%(email)s has already asked to join: accept the request instead.")
                % {"email": email},
                code="requested",
            )
    _pending_email_invitations(tribe, email).update(revoked_at=timezone.now())
    issued = _issue(
        tribe=tribe, user=user, email=email, days=INVITATION_VALID_DAYS, base_url=base_url
    )
    if notify:
        _send_invitation(issued, inviter=user)
    return issued


@transaction.atomic
def tribe_invitation_link_create(
    *, tribe: TribePage, user, days: int = INVITATION_VALID_DAYS, base_url: str | None = None
) -> IssuedInvitation:
    """A shareable link anyone may use to join until it expires or is revoked. Its token is
    returned once: only its hash is stored."""
    _require_manager(user, tribe)
    if not isinstance(days, int) or not 1 <= days <= MAX_LINK_VALID_DAYS:
        raise ValidationError(
            _("A link may stay valid from 1 to %(max)d days.") % {"max": MAX_LINK_VALID_DAYS},
            code="invalid_days",
        )
    return _issue(tribe=tribe, user=user, email="", days=days, base_url=base_url)


@transaction.atomic
def tribe_invitation_revoke(*, user, invitation: TribeInvitation) -> TribeInvitation:
    """Stop an invitation from working; an invited account loses its pending membership."""
    _require_manager(user, invitation.tribe)
    invitation = TribeInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has already been revoked."), code="revoked")
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation has already been used or has expired."), code="not_pending"
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    if invitation.email:
        TribeMembership.objects.filter(
            tribe_id=invitation.tribe_id,
            state=MembershipState.INVITED,
            user__email__iexact=invitation.email,
        ).delete()
    return invitation


@transaction.atomic
def tribe_invitation_accept(*, user, token: str) -> TribeMembership:
    """Join a tribe with an invitation token (from an e-mail or a shareable link).

    Raises ValidationError with code `invalid` (no such token), `revoked`, `expired`, `used`
    (an e-mail invitation already accepted), `wrong_account` (the e-mail invitation was sent
    to an address of another account) or `already` (already an active member: nothing
    changes, and the invitation stays unused)."""
    _require_member(user)
    invitation = tribe_invitation_for_token(token, for_update=True)
    if (
        invitation.email
        and (user.email or "").lower() != invitation.email.lower()
        and _accounts_with_email(invitation.email).exists()
    ):
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Log in with the "
                "account that uses it."
            ),
            code="wrong_account",
        )
    tribe = invitation.tribe
    membership = _membership_of(user, tribe)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise ValidationError(_("You are already a member of this tribe."), code="already")
    if membership is None:
        membership = TribeMembership(
            tribe=tribe, user=user, role=MembershipRole.MEMBER, invited_by=invitation.created_by
        )
    membership.state = MembershipState.ACTIVE
    membership.invited_by = membership.invited_by or invitation.created_by
    _save(membership)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership


def _decline(membership: TribeMembership, *, user) -> None:
    membership.delete()
    if user.email:
        _pending_email_invitations(membership.tribe, user.email).update(revoked_at=timezone.now())


@transaction.atomic
def tribe_invitation_decline(*, user, tribe: TribePage) -> None:
    """Say no to a pending invitation: the membership goes, the e-mailed link stops working."""
    _require_member(user)
    membership = _membership_of(user, tribe)
    if membership is None or membership.state != MembershipState.INVITED:
        raise ValidationError(
            _("You have no pending invitation to this tribe."), code="not_invited"
        )
    _decline(membership, user=user)
