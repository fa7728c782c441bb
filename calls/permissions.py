"""Who may run an organisation and its calls. Who may *see* them is decided in visibility.policy."""

from visibility.policy import is_staff

from .models import Organisation, OrganisationMembership, OrganisationRole


def user_is_organisation_owner(user, organisation: Organisation) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, user=user, role=OrganisationRole.OWNER
    ).exists()


def user_can_manage_organisation(user, organisation: Organisation) -> bool:
    """Owners, and staff, add and remove the organisation's members."""
    return is_staff(user) or user_is_organisation_owner(user, organisation)
