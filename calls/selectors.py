"""Reads about organisations, calls and applications, each with the joins it needs. What a
visitor may see is decided by visibility.policy, never here."""

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    When,
    prefetch_related_objects,
)
from django.db.models import Value as V
from django.utils import timezone
from wagtail.models import WorkflowState

from projects.models import ProjectPage
from projects.visibility import projects_visible_to
from tribes import permissions as tribe_permissions
from tribes.models import TribePage
from users.roles import is_staff

from .models import (
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallStatus,
    Organisation,
    OrganisationMembership,
    OrganisationStatus,
)
from .permissions import call_apply_problem
from .visibility import (
    applications_visible_to,
    calls_public,
    calls_visible_to,
    is_organisation_member,
    projects_visible_to_organisation,
)


def _ordered(calls: QuerySet[CallForProjectsPage]) -> QuerySet[CallForProjectsPage]:
    """Open calls first, the nearest deadline first; then closed and awarded ones, the latest
    deadline first. A call past its deadline counts as closed, recorded or not."""
    now = timezone.now()
    return calls.annotate(
        open_rank=Case(
            When(status=CallStatus.OPEN, deadline__gt=now, then=V(0)),
            default=V(1),
            output_field=IntegerField(),
        ),
    ).order_by(
        "open_rank",
        Case(When(open_rank=0, then=F("deadline"))).asc(nulls_last=True),
        "-deadline",
        "pk",
    )


def _with_cards(calls: QuerySet[CallForProjectsPage]) -> QuerySet[CallForProjectsPage]:
    return calls.select_related("organisation", "organisation__logo").prefetch_related(
        Prefetch("eligible_tribes", queryset=TribePage.objects.order_by("title")), "tags"
    )


def call_list_public() -> QuerySet[CallForProjectsPage]:
    """Published calls, open first by deadline, then closed and awarded ones."""
    return _with_cards(_ordered(calls_public()))


def call_list_for_organisation(*, user, organisation: Organisation):
    """The organisation's calls this user may see: published ones, and for its members and
    staff its drafts and calls under review too."""
    return _with_cards(_ordered(calls_visible_to(user).filter(organisation=organisation)))


def call_list_for_member_organisations(user) -> QuerySet[CallForProjectsPage]:
    """Every call of the organisations this member belongs to, drafts included."""
    if not (user and user.is_authenticated):
        return CallForProjectsPage.objects.none()
    organisations = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    return _with_cards(_ordered(CallForProjectsPage.objects.filter(organisation__in=organisations)))


def organisation_list_for_member(user, *, approved_only: bool = False):
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(memberships__user=user)
    if approved_only:
        organisations = organisations.filter(status=OrganisationStatus.APPROVED)
    return organisations.order_by("name")


def organisation_members(organisation: Organisation) -> list[OrganisationMembership]:
    return list(
        organisation.memberships.select_related("user").order_by("role", "user__display_name")
    )


def tribes_administered_by(user) -> QuerySet[TribePage]:
    """The published tribes this member runs: they may apply on their behalf."""
    return tribe_permissions.tribes_administered_by(user).live().order_by("title")


def _with_details(applications: QuerySet[Application], *, user) -> QuerySet[Application]:
    """Applications with their call, applicant and the projects this user may see."""
    return applications.select_related(
        "call", "call__organisation", "applicant_user", "applicant_tribe", "submitted_by"
    ).prefetch_related(
        Prefetch(
            "projects",
            queryset=projects_visible_to(user).live().order_by("title"),
            to_attr="visible_projects",
        )
    )


def application_list_for_call(*, user, call: CallForProjectsPage) -> QuerySet[Application]:
    """The call's applications this user may see, the latest first; withdrawn ones last."""
    return _with_details(applications_visible_to(user).filter(call=call), user=user).order_by(
        Case(When(status="withdrawn", then=V(1)), default=V(0), output_field=IntegerField()),
        "-created_at",
        "-pk",
    )


def application_list_of_applicant(user) -> QuerySet[Application]:
    """The applications this member made, and those of the tribes they run."""
    if not (user and user.is_authenticated):
        return Application.objects.none()
    mine = Q(applicant_user=user) | Q(applicant_tribe__in=tribes_administered_by(user))
    return _with_details(Application.objects.filter(mine), user=user)


def application_list_of_applicant_for_call(*, user, call: CallForProjectsPage) -> list:
    return list(application_list_of_applicant(user).filter(call=call))


def application_details(*, user) -> QuerySet[Application]:
    """Applications with their details, whatever the viewer may see (the view loads one
    through visibility.loaders, which asks the policy)."""
    return _with_details(Application.objects.all(), user=user)


def attachable_projects(*, call: CallForProjectsPage, user, tribe: TribePage | None = None):
    """The projects an applicant may attach: their own (owned or in collaboration) or, for a
    tribe, the tribe's; and only those the organisation may see."""
    visible = projects_visible_to_organisation(call.organisation)
    if tribe is not None:
        return visible.filter(tribes=tribe).distinct()
    return visible.filter(Q(owner=user) | Q(collaborators=user)).distinct()


def attachable_projects_for_member(*, call: CallForProjectsPage, user) -> QuerySet[ProjectPage]:
    """Every project this member could attach: their own, and those of the tribes they run."""
    visible = projects_visible_to_organisation(call.organisation)
    return (
        visible.filter(
            Q(owner=user) | Q(collaborators=user) | Q(tribes__in=tribes_administered_by(user))
        )
        .distinct()
        .order_by("title")
    )


def call_workflow_state(call: CallForProjectsPage) -> WorkflowState | None:
    """The moderation under way (in progress or waiting for changes), if any."""
    return (
        WorkflowState.objects.for_instance(call)
        .filter(status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES])
        .select_related("current_task_state")
        .first()
    )


# The pages served by Wagtail ----------------------------------------------------------------


def call_index_listing(*, user) -> dict:
    """What /calls/ shows `user`: the published calls, and the organisations they belong to."""
    return {
        "calls": call_list_public(),
        "my_organisations": organisation_list_for_member(user),
    }


def call_page_detail(*, call: CallForProjectsPage, user) -> dict:
    """What a call page shows `user` (who may see the call): whether and why not they may
    apply, their applications; to its organisation and staff, all applications and the
    moderation under way."""
    # Eligibility is read for each tribe the visitor runs and by the page: load it once.
    prefetch_related_objects([call], "eligible_tribes")
    is_member = is_organisation_member(user, call.organisation)
    mine = application_list_of_applicant_for_call(user=user, call=call)
    context = {
        "call": call,
        "is_organisation_member": is_member,
        "my_applications": mine,
        "apply_problem": call_apply_problem(
            user, call, applications=mine, tribes=list(tribes_administered_by(user))
        ),
        "statuses": CallStatus,
    }
    if is_member or is_staff(user):
        context["applications"] = application_list_for_call(user=user, call=call)
        context["workflow_state"] = call_workflow_state(call)
        context["has_accepted"] = any(
            a.status == ApplicationStatus.ACCEPTED for a in context["applications"]
        )
    return context
