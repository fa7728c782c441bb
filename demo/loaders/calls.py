"""The demo organisations, their calls for projects in different states (open, submitted for
review, awarded) and applications with every kind of answer.

Everything goes through the call services, as people would do it: a company member asks for
the organisation and the moderator (staff) approves it; the company writes and submits its
calls and the moderator approves them through the moderation workflow; members and a tribe
apply; the company shortlists, accepts, declines and awards. No e-mail is sent (the on-site
notifications are kept). Everything is looked up before being created, so loading twice creates
nothing twice. Run after the members, projects and tribes."""

from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from calls import services
from calls.models import (
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallStatus,
    Organisation,
)
from calls.selectors import attachable_projects
from tribes.models import TribePage
from users.models import User
from users.services import user_create

from ..photos import demo_avatar
from ..reader import DemoApplication, DemoCall, DemoContent, DemoOrganisation
from .members import MEMBER_PASSWORD


def calls_size(content: DemoContent) -> int:
    """What load_calls() yields, for the progress bar."""
    applications = sum(len(call.applications) for call in content.calls)
    return len(content.organisations) + len(content.calls) + applications


def load_calls(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo organisations, calls and applications; yield (label, created) for each."""
    # On-site notifications only: the demo sends no e-mail, to members or to moderators.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for demo in content.organisations:
            yield demo.name, _organisation(demo, moderator=content.moderator)
        for demo in content.calls:
            call, created = _call(demo, moderator=content.moderator)
            yield demo.title, created
            for application in demo.applications:
                label = f"{demo.title[:20]}… : {application.member or application.tribe}"
                yield label, _application(call, demo, application)
            if demo.state == CallStatus.AWARDED and call.status != CallStatus.AWARDED:
                services.call_award(user=_owner(demo.organisation), call=call)


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise LookupError(f"Demo calls need the member {username}: load the members first.")
    return user


@transaction.atomic
def _organisation(demo: DemoOrganisation, *, moderator: str) -> bool:
    if Organisation.objects.filter(name=demo.name).exists():
        return False
    owner = User.objects.filter(username=demo.owner.username).first() or user_create(
        username=demo.owner.username,
        email=f"{demo.owner.username}@example.org",
        password=MEMBER_PASSWORD,
        display_name=demo.owner.display_name,
    )
    organisation = services.organisation_request(
        user=owner,
        name=demo.name,
        description=demo.description,
        website=demo.website,
        logo=demo_avatar(name=demo.name),
    )
    services.organisation_approve(user=_user(moderator), organisation=organisation)
    return True


def _owner(organisation_name: str) -> User:
    organisation = Organisation.objects.get(name=organisation_name)
    return organisation.memberships.select_related("user").get(role="owner").user


@transaction.atomic
def _call(demo: DemoCall, *, moderator: str) -> tuple[CallForProjectsPage, bool]:
    existing = CallForProjectsPage.objects.filter(title=demo.title).first()
    if existing is not None:
        return existing, False
    organisation = Organisation.objects.get(name=demo.organisation)
    owner = _owner(demo.organisation)
    call = services.call_create(
        user=owner,
        organisation=organisation,
        submit=True,
        title=demo.title,
        brief=demo.brief,
        deliverables=demo.deliverables,
        reward_kind="money" if demo.reward_amount is not None else "in_kind",
        reward_amount=demo.reward_amount,
        reward_in_kind=demo.reward_in_kind,
        deadline=timezone.now() + timedelta(days=demo.deadline_days),
        tags=demo.tags,
        eligible_tribes=list(TribePage.objects.filter(title__in=demo.eligible_tribes)),
        ip_terms=demo.ip_terms,
        licence=demo.licence,
        contact=demo.contact,
    )
    if demo.state != CallStatus.SUBMITTED:
        task_state = services.call_workflow_state(call).current_task_state
        task_state.approve(user=_user(moderator))
    return CallForProjectsPage.objects.get(pk=call.pk), True


@transaction.atomic
def _application(call: CallForProjectsPage, demo: DemoCall, wanted: DemoApplication) -> bool:
    tribe = None
    if wanted.tribe:
        tribe = TribePage.objects.get(title=wanted.tribe)
        user = tribe.memberships.filter(role="admin", state="active").first().user
        existing = Application.objects.filter(call=call, applicant_tribe=tribe)
    else:
        user = _user(wanted.member)
        existing = Application.objects.filter(call=call, applicant_user=user)
    if existing.exists():
        return False
    projects = list(attachable_projects(call=call, user=user, tribe=tribe).order_by("pk")[:2])
    application = services.application_submit(
        user=user, call=call, pitch=wanted.pitch, projects=projects, tribe=tribe
    )
    owner = _owner(demo.organisation)
    if wanted.status == ApplicationStatus.SHORTLISTED:
        services.application_shortlist(user=owner, application=application, message=wanted.message)
    elif wanted.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        services.application_shortlist(user=owner, application=application)
        services.application_decide(
            user=owner, application=application, status=wanted.status, message=wanted.message
        )
    return True
