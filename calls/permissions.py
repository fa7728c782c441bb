"""Who may run an organisation and its calls. Who may *see* them is decided in visibility.policy."""

from visibility.policy import is_organisation_member, is_staff

from .models import CallForProjectsPage, Organisation, OrganisationMembership, OrganisationRole


def user_is_organisation_owner(user, organisation: Organisation) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, user=user, role=OrganisationRole.OWNER
    ).exists()


def user_can_manage_organisation(user, organisation: Organisation) -> bool:
    """Owners, and staff, add and remove the organisation's members."""
    return is_staff(user) or user_is_organisation_owner(user, organisation)


def user_can_run_call(user, call: CallForProjectsPage) -> bool:
    """Every member of the call's organisation (owner or not) writes the call, submits it,
    handles its applications, closes and awards it. Staff moderate it in the admin."""
    return is_organisation_member(user, call.organisation)
