"""Who may see organisations, calls for projects and applications, and organisations' logos
(docs/calls.md). Registered with visibility.registry from CallsConfig.ready().

Organisations
    approved: everyone · waiting for approval or refused: their members and staff.
Calls for projects
    published calls (open, closed, awarded): everyone · drafts and calls under review: the
    members of the organisation and staff. A call hidden by the moderators: its organisation
    and staff.
Applications
    the applicant (the member, or the active admins of the applying tribe), the members of the
    call's organisation, staff. An organisation sees only the public projects of an application.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.images.models import AbstractImage

from projects.models import ProjectPage
from projects.visibility import projects_public
from tribes.models import MembershipRole, MembershipState, TribeMembership
from users.roles import is_active_member, is_staff
from visibility.registry import (
    PUBLIC_AUDIENCE,
    MediaUse,
    OpenPageRule,
    VisibilityRule,
    register,
)

from .models import (
    Application,
    CallForProjectsPage,
    CallIndexPage,
    CallStatus,
    Organisation,
    OrganisationMembership,
    OrganisationStatus,
)

PUBLIC_CALL_STATUSES = (CallStatus.OPEN, CallStatus.CLOSED, CallStatus.AWARDED)


# Organisations ------------------------------------------------------------------------------


def is_organisation_member(user, organisation: Organisation) -> bool:
    """Any member of the organisation, owner or not."""
    if not is_active_member(user):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, user=user
    ).exists()


def _organisation_ids(user) -> QuerySet:
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def can_view_organisation(user, organisation: Organisation) -> bool:
    if organisation.status == OrganisationStatus.APPROVED or is_staff(user):
        return True
    return is_organisation_member(user, organisation)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if is_staff(user):
        return organisations
    rule = Q(status=OrganisationStatus.APPROVED)
    if is_active_member(user):
        rule |= Q(pk__in=_organisation_ids(user))
    return organisations.filter(rule)


def _logos() -> Q:
    return Q(pk__in=Organisation.objects.filter(logo__isnull=False).values("logo_id"))


def _logos_visible_to(user) -> Q:
    return Q(pk__in=organisations_visible_to(user).filter(logo__isnull=False).values("logo_id"))


# Calls for projects -------------------------------------------------------------------------


def call_is_public(call: CallForProjectsPage) -> bool:
    return call.live and call.status in PUBLIC_CALL_STATUSES and not call.hidden


def can_view_call(user, call: CallForProjectsPage) -> bool:
    if call_is_public(call) or is_staff(user):
        return True
    return is_organisation_member(user, call.organisation)


def calls_visible_to(user) -> QuerySet[CallForProjectsPage]:
    calls = CallForProjectsPage.objects.all()
    if is_staff(user):
        return calls
    rule = Q(live=True, status__in=PUBLIC_CALL_STATUSES, hidden=False)
    if is_active_member(user):
        rule |= Q(organisation_id__in=_organisation_ids(user))
    return calls.filter(rule)


def calls_public() -> QuerySet[CallForProjectsPage]:
    return calls_visible_to(AnonymousUser())


# Applications -------------------------------------------------------------------------------


def _admin_tribe_ids(user) -> QuerySet:
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
    ).values("tribe_id")


def can_view_application(user, application: Application) -> bool:
    if is_staff(user):
        return True
    if not is_active_member(user):
        return False
    if application.applicant_user_id == user.pk:
        return True
    if (
        application.applicant_tribe_id
        and _admin_tribe_ids(user).filter(tribe_id=application.applicant_tribe_id).exists()
    ):
        return True
    return OrganisationMembership.objects.filter(
        organisation_id=application.call.organisation_id, user=user
    ).exists()


def applications_visible_to(user) -> QuerySet[Application]:
    applications = Application.objects.all()
    if is_staff(user):
        return applications
    if not is_active_member(user):
        return applications.none()
    return applications.filter(
        Q(applicant_user=user)
        | Q(applicant_tribe_id__in=_admin_tribe_ids(user))
        | Q(call__organisation_id__in=_organisation_ids(user))
    )


def projects_visible_to_organisation(organisation: Organisation) -> QuerySet[ProjectPage]:
    """What every member of an organisation may see, whatever tribes they belong to: the
    public projects. Only these may be attached to an application."""
    return projects_public()


# Rules --------------------------------------------------------------------------------------


class OrganisationRule(VisibilityRule):
    def can_view(self, user, obj) -> bool:
        return can_view_organisation(user, obj)

    def visible_to(self, user) -> QuerySet:
        return organisations_visible_to(user)

    def media_uses(self) -> list[MediaUse]:
        return [MediaUse(AbstractImage, used=_logos, visible_to=_logos_visible_to)]


class CallRule(VisibilityRule):
    serves_pages = True

    def can_view(self, user, obj) -> bool:
        return can_view_call(user, obj)

    def visible_to(self, user) -> QuerySet:
        return calls_visible_to(user)

    def audiences(self, obj) -> set[str]:
        return {PUBLIC_AUDIENCE} if call_is_public(obj) else {f"organisation:{obj.organisation_id}"}

    def reader_audiences(self, user) -> set[str]:
        """`organisation:<id>` for each organisation the reader belongs to."""
        ids = _organisation_ids(user).values_list("organisation_id", flat=True)
        return {f"organisation:{pk}" for pk in ids}


class ApplicationRule(VisibilityRule):
    def can_view(self, user, obj) -> bool:
        return can_view_application(user, obj)

    def visible_to(self, user) -> QuerySet:
        return applications_visible_to(user)


register(OrganisationRule(Organisation))
register(CallRule(CallForProjectsPage))
register(ApplicationRule(Application))
register(OpenPageRule(CallIndexPage))
