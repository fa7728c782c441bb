"""Who may run an organisation and its calls, and who may apply to a call: the rules the call
page explains and application_submit enforces. Who may *see* them: calls/visibility.py."""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from tribes.models import MembershipState, TribeMembership, TribePage
from tribes.visibility import tribes_shown_to
from users.roles import is_active_member, is_staff

from .models import (
    Application,
    CallForProjectsPage,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
)
from .visibility import is_organisation_member


def user_is_organisation_owner(user, organisation: Organisation) -> bool:
    if not is_active_member(user):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, user=user, role=OrganisationRole.OWNER
    ).exists()


def user_can_manage_organisation(user, organisation: Organisation) -> bool:
    """Owners, and staff, add and remove the organisation's members."""
    return is_staff(user) or user_is_organisation_owner(user, organisation)


# Applying -----------------------------------------------------------------------------------


def call_is_eligible(call: CallForProjectsPage, *, user=None, tribe: TribePage | None = None):
    """Whether this member (applying alone) or this tribe may answer the call."""
    eligible = {t.pk for t in call.eligible_tribes.all()}
    if not eligible:
        return True
    if tribe is not None:
        return tribe.pk in eligible
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, tribe_id__in=eligible
    ).exists()


def call_eligible_tribe_names(call: CallForProjectsPage, *, user) -> str:
    """The tribes a call is open to, as words for `user`: a private tribe is named only to
    those who may see it, the others read "private tribes"."""
    tribes = list(call.eligible_tribes.all())
    shown = tribes_shown_to(user, tribes)
    names = [tribe.title for tribe in shown]
    if len(shown) < len(tribes):
        names.append(_("private tribes"))
    return ", ".join(names)


def call_apply_refusal(user, call: CallForProjectsPage) -> ValidationError | None:
    """Why `user` may apply to `call` neither alone nor for a tribe: the call is closed, or it
    is their own organisation's. None when they may try."""
    if not call.is_open:
        return ValidationError(_("This call is closed: the deadline has passed."), code="closed")
    if is_organisation_member(user, call.organisation):
        return ValidationError(
            _("You cannot apply to a call of your own organisation."), code="own_organisation"
        )
    return None


def application_duplicate(tribe: TribePage | None) -> ValidationError:
    if tribe is not None:
        message = _("%(tribe)s has already applied to this call.") % {"tribe": tribe.title}
    else:
        message = _(
            "You have already applied to this call; you can follow your application from it."
        )
    return ValidationError(message, code="duplicate")


def applicant_refusal(
    user, call: CallForProjectsPage, *, tribe: TribePage | None = None, has_applied: bool
) -> ValidationError | None:
    """Why `user` applying alone, or for `tribe` (which they run), may not answer `call`: the
    call is not open to them, or they have applied already. None when they may."""
    if not call_is_eligible(call, user=user, tribe=tribe):
        # The tribes are named only if the message is shown (the call page asks for every
        # tribe the member runs, and shows one message at most).
        names = lazy(call_eligible_tribe_names, str)(call, user=user)
        return ValidationError(
            _("This call is open to members of: %(tribes)s."),
            code="not_eligible",
            params={"tribes": names},
        )
    if has_applied:
        return application_duplicate(tribe)
    return None


def call_apply_problem(
    user, call: CallForProjectsPage, *, applications: list[Application], tribes: list[TribePage]
) -> str:
    """Why this visitor can apply to `call` in no way, alone or for one of `tribes` (those they
    run), in words; empty when they can, or could once logged in. `applications`: theirs to
    this call."""
    refusal = call_apply_refusal(user, call)
    if refusal is not None:
        return refusal.messages[0]
    if not user.is_authenticated:
        return ""
    applied_alone = any(a.applicant_user_id == user.pk for a in applications)
    applied_tribes = {a.applicant_tribe_id for a in applications}
    alone = applicant_refusal(user, call, has_applied=applied_alone)
    if alone is None or any(
        applicant_refusal(user, call, tribe=t, has_applied=t.pk in applied_tribes) is None
        for t in tribes
    ):
        return ""
    if applied_alone:
        return _("You have already applied to this call; you can follow your application below.")
    return alone.messages[0]
