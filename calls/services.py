"""Every change to organisations, calls for projects and applications goes through here: views,
the Wagtail admin, the moderation workflow's signals, `close_expired_calls` and the demo loader
call these functions, and each checks who may do what. Bad input raises a ValidationError with
a message a member can read; an action by the wrong person raises PermissionDenied. Either way
nothing has changed.

Calls are Wagtail pages: their text is saved as revisions, and staff moderate them with the
workflow assigned to the call index (created by calls/migrations/0002). Organisation members
submit from the front end, which starts the workflow; approving publishes, and `call_published`
then opens the call."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import WorkflowState

from core.frontend_cache import purge_on_commit
from core.i18n import interpolate_lazy
from core.pages import unique_child_slug, unique_slug
from images.services import image_create_from_upload
from notifications.services import notification_send
from tribes.models import MembershipRole, MembershipState, TribeMembership, TribePage
from tribes.permissions import user_is_tribe_admin
from users.roles import is_active_member, is_staff

from .cache import call_urls
from .models import (
    PENDING_APPLICATION_STATUSES,
    RESERVED_CALL_SLUGS,
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallIndexPage,
    CallStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
    OrganisationStatus,
    RewardKind,
)
from .permissions import (
    applicant_refusal,
    application_duplicate,
    call_apply_refusal,
    user_can_manage_organisation,
)
from .selectors import attachable_projects, call_workflow_state
from .visibility import call_is_public, is_organisation_member

# What an organisation member may write on a call from the front end.
CALL_EDITABLE_FIELDS = frozenset(
    {
        "title",
        "brief",
        "deliverables",
        "reward_kind",
        "reward_amount",
        "reward_currency",
        "reward_in_kind",
        "deadline",
        "tags",
        "eligible_tribes",
        "ip_terms",
        "licence",
        "contact",
    }
)
# Calls that can still change text: once closed or awarded, a call is history.
EDITABLE_CALL_STATUSES = (CallStatus.DRAFT, CallStatus.SUBMITTED, CallStatus.OPEN)


# Shared checks ------------------------------------------------------------------------------


def _require_member(user) -> None:
    if not is_active_member(user):
        raise PermissionDenied(_("Log in first."))


def _require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("Only staff can do this."))


def _require_organisation_member(user, organisation: Organisation) -> None:
    _require_member(user)
    if not is_organisation_member(user, organisation):
        raise PermissionDenied(
            _("Only the members of %(name)s can do this.") % {"name": organisation}
        )


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _notify(recipients, *, title, body="", url: str = "") -> None:
    for person in {person.pk: person for person in recipients}.values():
        notification_send(recipient=person, title=title, body=body, url=url)


def organisation_people(organisation: Organisation) -> list:
    return [m.user for m in organisation.memberships.select_related("user") if m.user.is_active]


def _as_image(logo, *, title: str, user):
    if isinstance(logo, UploadedFile):
        return image_create_from_upload(file=logo, title=title, uploaded_by=user)
    return logo


# Organisations ------------------------------------------------------------------------------


def _unique_organisation_slug(name: str) -> str:
    return unique_slug(
        name,
        is_taken=lambda slug: Organisation.objects.filter(slug=slug).exists(),
        fallback="organisation",
    )


@transaction.atomic
def organisation_request(
    *,
    user,
    name: str,
    description: str = "",
    website: str = "",
    logo: UploadedFile | Any | None = None,
) -> Organisation:
    """Ask to create an organisation; its requester becomes its owner. It can post calls once
    staff approve it in the Wagtail admin. Staff are told."""
    _require_member(user)
    name = (name or "").strip()
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("An organisation with this name already exists on Carnet.")}
        )
    organisation = Organisation(
        name=name,
        slug=_unique_organisation_slug(name),
        description=description,
        website=(website or "").strip(),
        requested_by=user,
    )
    organisation.full_clean(exclude=["logo"])
    if logo is not None:
        organisation.logo = _as_image(logo, title=name, user=user)
    _save(organisation)
    _save(OrganisationMembership(organisation=organisation, user=user, role=OrganisationRole.OWNER))
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    _notify(
        staff,
        title=interpolate_lazy(
            gettext_lazy("New organisation to approve: %(name)s"), {"name": name}
        ),
        body=interpolate_lazy(
            gettext_lazy("%(person)s asked to create it. Approve or refuse it in the admin."),
            {"person": user.public_name},
        ),
        url="/admin/snippets/calls/organisation/",
    )
    return organisation


def _decide_organisation(*, user, organisation: Organisation, status: str) -> Organisation:
    _require_staff(user)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status == status:
        return organisation
    organisation.status = status
    organisation.decided_at = timezone.now()
    organisation.save(update_fields=["status", "decided_at"])
    return organisation


@transaction.atomic
def organisation_approve(*, user, organisation: Organisation) -> Organisation:
    """Staff let an organisation post calls; its members are told."""
    organisation = _decide_organisation(
        user=user, organisation=organisation, status=OrganisationStatus.APPROVED
    )
    _notify(
        organisation_people(organisation),
        title=interpolate_lazy(gettext_lazy("%(name)s is approved"), {"name": organisation.name}),
        body=gettext_lazy("You can now post calls for projects on Carnet."),
        url=organisation.get_absolute_url(),
    )
    return organisation


@transaction.atomic
def organisation_refuse(*, user, organisation: Organisation, message: str = "") -> Organisation:
    """Staff turn an organisation down; its members are told why."""
    organisation = _decide_organisation(
        user=user, organisation=organisation, status=OrganisationStatus.REFUSED
    )
    _notify(
        organisation_people(organisation),
        title=interpolate_lazy(
            gettext_lazy("%(name)s was not approved"), {"name": organisation.name}
        ),
        body=message,
        url=organisation.get_absolute_url(),
    )
    return organisation


@transaction.atomic
def organisation_member_add(
    *, user, organisation: Organisation, member, role: str = OrganisationRole.MEMBER
) -> OrganisationMembership:
    """An owner (or staff) adds a Carnet member to the organisation."""
    _require_member(user)
    if not user_can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's owners can do this."))
    if role not in OrganisationRole.values:
        raise ValidationError(_("Choose a role from the list."))
    if OrganisationMembership.objects.filter(organisation=organisation, user=member).exists():
        raise ValidationError(
            _("%(name)s is already a member of the organisation.") % {"name": member.public_name}
        )
    membership = _save(OrganisationMembership(organisation=organisation, user=member, role=role))
    notification_send(
        recipient=member,
        title=interpolate_lazy(
            gettext_lazy("You are now a member of %(name)s"), {"name": organisation.name}
        ),
        url=organisation.get_absolute_url(),
    )
    return membership


@transaction.atomic
def organisation_member_remove(*, user, membership: OrganisationMembership) -> None:
    """An owner (or staff) takes someone out; an organisation always keeps one owner."""
    organisation = membership.organisation
    _require_member(user)
    if not user_can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's owners can do this."))
    owners = OrganisationMembership.objects.select_for_update().filter(
        organisation=organisation, role=OrganisationRole.OWNER
    )
    if membership.role == OrganisationRole.OWNER and list(owners.values_list("pk", flat=True)) == [
        membership.pk
    ]:
        raise ValidationError(_("An organisation needs at least one owner."))
    membership.delete()


# Calls: writing and moderation --------------------------------------------------------------


def _check_deadline(deadline: datetime | None) -> None:
    if deadline is None:
        raise ValidationError({"deadline": _("Give the deadline for applications.")})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})


def _apply_call_fields(page: CallForProjectsPage, fields: dict) -> None:
    unknown = set(fields) - CALL_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"calls cannot change {sorted(unknown)}")
    for name, value in fields.items():
        if name in {"tags", "eligible_tribes"}:
            getattr(page, name).set(list(value))
        elif name in {"title", "contact", "reward_in_kind"}:
            setattr(page, name, (value or "").strip())
        else:
            setattr(page, name, value)
    if page.reward_kind == RewardKind.IN_KIND and "reward_amount" not in fields:
        page.reward_amount = None


@transaction.atomic
def call_create(
    *, user, organisation: Organisation, submit: bool = False, **fields
) -> CallForProjectsPage:
    """Write a call as a draft of `organisation` (approved, and `user` one of its members); with
    `submit=True` it goes to moderation at once."""
    _require_organisation_member(user, organisation)
    if not organisation.is_approved:
        raise ValidationError(
            _("%(name)s is waiting for approval by the staff: it cannot post calls yet.")
            % {"name": organisation.name}
        )
    _check_deadline(fields.get("deadline"))
    index = CallIndexPage.objects.get()
    page = CallForProjectsPage(
        organisation=organisation,
        owner=user,
        live=False,
        status=CallStatus.DRAFT,
        slug=unique_child_slug(
            index, fields.get("title", ""), reserved=RESERVED_CALL_SLUGS, fallback="appel"
        ),
    )
    _apply_call_fields(page, fields)
    page.full_clean(exclude=["path", "depth"])
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    if submit:
        return call_submit(user=user, call=page)
    return CallForProjectsPage.objects.get(pk=page.pk)


@transaction.atomic
def call_update(
    *, user, call: CallForProjectsPage, submit: bool = False, **fields
) -> CallForProjectsPage:
    """Save new text for a call as a revision. The published version of an open call stays
    online until staff approve the change; `submit=True` sends it to moderation."""
    _require_organisation_member(user, call.organisation)
    if call.effective_status not in EDITABLE_CALL_STATUSES:
        raise ValidationError(_("A closed or awarded call can no longer be changed."))
    page = call.get_latest_revision_as_object()
    if "deadline" in fields and fields["deadline"] != page.deadline:
        _check_deadline(fields["deadline"])
    _apply_call_fields(page, fields)
    page.save_revision(user=user, log_action=True)
    if submit:
        return call_submit(user=user, call=call)
    return CallForProjectsPage.objects.get(pk=call.pk)


@transaction.atomic
def call_submit(*, user, call: CallForProjectsPage) -> CallForProjectsPage:
    """Send the latest version of a call to the staff's moderation (the Wagtail workflow of the
    call index). A draft becomes 'submitted for review'; an open call stays online as it is
    until staff approve the change."""
    _require_organisation_member(user, call.organisation)
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.effective_status not in EDITABLE_CALL_STATUSES:
        raise ValidationError(_("A closed or awarded call can no longer be changed."))
    latest = call.get_latest_revision_as_object()
    if latest.deadline <= timezone.now():
        raise ValidationError(
            {"deadline": _("The deadline has passed: choose a new one before submitting.")}
        )
    state = call_workflow_state(call)
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("This call is already waiting for the staff's review."))
    if call.latest_revision_id is None:
        call.save_revision(user=user)
    workflow = call.get_workflow()
    if workflow is None:
        raise ValidationError(_("Moderation is not set up; please tell the staff."))
    if state is not None:
        state.resume(user=user)
    else:
        workflow.start(call, user)
    if call.status == CallStatus.DRAFT:
        call.status = CallStatus.SUBMITTED
        call.save(update_fields=["status"])
    return call


def call_preview_url(call: CallForProjectsPage) -> str:
    from django.urls import reverse

    return reverse("calls:preview", kwargs={"slug": call.slug})


@transaction.atomic
def call_published(*, call: CallForProjectsPage) -> CallForProjectsPage:
    """Staff approved (or published) a call: a draft or a call under review opens, and the
    organisation is told. Called by the page_published signal."""
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.status not in (CallStatus.DRAFT, CallStatus.SUBMITTED):
        return call
    call.status = CallStatus.OPEN
    call.save(update_fields=["status"])
    _notify(
        organisation_people(call.organisation),
        title=interpolate_lazy(
            gettext_lazy("Your call “%(title)s” is open"), {"title": call.title}
        ),
        body=interpolate_lazy(
            gettext_lazy("The staff approved it: members can now apply until %(deadline)s."),
            {"deadline": timezone.localtime(call.deadline).strftime("%d/%m/%Y %H:%M")},
        ),
        url=call.url,
    )
    return call


@transaction.atomic
def call_rejected(*, call: CallForProjectsPage, comment: str = "") -> CallForProjectsPage:
    """Staff asked for changes: a call under review goes back to draft, and the organisation is
    told why. Called by the workflow_rejected signal."""
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.SUBMITTED:
        call.status = CallStatus.DRAFT
        call.save(update_fields=["status"])
    body = (
        interpolate_lazy(gettext_lazy("The staff's comment: %(comment)s"), {"comment": comment})
        if comment
        else gettext_lazy("Change it and submit it again.")
    )
    _notify(
        organisation_people(call.organisation),
        title=interpolate_lazy(
            gettext_lazy("Your call “%(title)s” needs changes"), {"title": call.title}
        ),
        body=body,
        url=call_preview_url(call),
    )
    return call


@transaction.atomic
def call_unpublished(*, call: CallForProjectsPage) -> CallForProjectsPage:
    """Staff took a call offline: it is a draft again (an awarded call keeps its state)."""
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.status in (CallStatus.OPEN, CallStatus.CLOSED):
        call.status = CallStatus.DRAFT
        call.save(update_fields=["status"])
    return call


def _close(call: CallForProjectsPage, *, now) -> None:
    call.status = CallStatus.CLOSED
    call.closed_at = now
    call.save(update_fields=["status", "closed_at"])
    purge_on_commit(call_urls, call)


@transaction.atomic
def call_close(*, user, call: CallForProjectsPage) -> CallForProjectsPage:
    """The organisation closes its open call before the deadline."""
    _require_organisation_member(user, call.organisation)
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("Only an open call can be closed."))
    _close(call, now=timezone.now())
    return call


def calls_close_expired(*, now: datetime | None = None) -> list[CallForProjectsPage]:
    """Record the closing of every open call whose deadline has passed, and tell each
    organisation. Safe to run again: a closed call is left alone. For cron."""
    now = now or timezone.now()
    closed = []
    for pk in CallForProjectsPage.objects.filter(
        status=CallStatus.OPEN, deadline__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            call = (
                CallForProjectsPage.objects.select_for_update()
                .select_related("organisation")
                .filter(pk=pk, status=CallStatus.OPEN, deadline__lte=now)
                .first()
            )
            if call is None:
                continue
            _close(call, now=now)
            count = call.applications.exclude(status=ApplicationStatus.WITHDRAWN).count()
            _notify(
                organisation_people(call.organisation),
                title=interpolate_lazy(
                    gettext_lazy("Your call “%(title)s” is closed"), {"title": call.title}
                ),
                body=interpolate_lazy(
                    gettext_lazy(
                        "Its deadline has passed. Applications received: %(count)d. "
                        "Shortlist, accept or decline them from the call's page."
                    ),
                    {"count": count},
                ),
                url=call.url,
            )
            closed.append(call)
    return closed


@transaction.atomic
def call_award(*, user, call: CallForProjectsPage) -> CallForProjectsPage:
    """After accepting at least one application, the organisation marks its call awarded."""
    _require_organisation_member(user, call.organisation)
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if call.effective_status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise ValidationError(_("Only an open or closed call can be awarded."))
    if not call.applications.filter(status=ApplicationStatus.ACCEPTED).exists():
        raise ValidationError(_("Accept at least one application before awarding the call."))
    now = timezone.now()
    call.status = CallStatus.AWARDED
    call.awarded_at = now
    call.closed_at = call.closed_at or now
    call.save(update_fields=["status", "awarded_at", "closed_at"])
    purge_on_commit(call_urls, call)
    return call


# Applications -------------------------------------------------------------------------------


def _tribe_admins(tribe_id: int) -> list:
    return [
        m.user
        for m in TribeMembership.objects.filter(
            tribe_id=tribe_id, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
        ).select_related("user")
    ]


def application_applicants(application: Application) -> list:
    """Who hears about an application: the member, or the applying tribe's admins."""
    if application.applicant_tribe_id:
        return _tribe_admins(application.applicant_tribe_id)
    return [application.applicant_user] if application.applicant_user_id else []


@transaction.atomic
def application_submit(
    *,
    user,
    call: CallForProjectsPage,
    pitch: str,
    projects: Iterable,
    tribe: TribePage | None = None,
) -> Application:
    """Apply to an open call with a pitch and one or more projects, as a member, or for a
    tribe as one of its admins. One application per applicant per call."""
    _require_member(user)
    call = CallForProjectsPage.objects.select_for_update().get(pk=call.pk)
    if not call_is_public(call):
        raise ValidationError(_("This call is not published."))
    refusal = call_apply_refusal(user, call)
    if refusal is not None:
        raise refusal
    if tribe is not None and not user_is_tribe_admin(user, tribe):
        raise PermissionDenied(_("Only the tribe's admins can apply on its behalf."))
    applicant = {"applicant_tribe": tribe} if tribe else {"applicant_user": user}
    has_applied = Application.objects.filter(call=call, **applicant).exists()
    refusal = applicant_refusal(user, call, tribe=tribe, has_applied=has_applied)
    if refusal is not None:
        raise refusal
    if not (pitch or "").strip():
        raise ValidationError({"pitch": _("Write a few words about what you propose.")})
    projects = list(projects)
    if not projects:
        raise ValidationError({"projects": _("Attach at least one of your projects.")})
    allowed = set(
        attachable_projects(call=call, user=user, tribe=tribe).values_list("pk", flat=True)
    )
    refused = [p for p in projects if p.pk not in allowed]
    if refused:
        titles = ", ".join(f"“{p.title}”" for p in refused)
        message = (
            _("You can attach only public projects of the tribe: %(titles)s cannot be attached.")
            if tribe
            else _("You can attach only your own public projects: %(titles)s cannot be attached.")
        )
        raise ValidationError({"projects": message % {"titles": titles}}, code="project_refused")
    application = Application(
        call=call, submitted_by=user, pitch=pitch.strip(), status=ApplicationStatus.SUBMITTED
    )
    for name, value in applicant.items():
        setattr(application, name, value)
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise application_duplicate(tribe) from exc
    application.projects.set(projects)
    _notify(
        organisation_people(call.organisation),
        title=interpolate_lazy(
            gettext_lazy("New application to “%(title)s”"), {"title": call.title}
        ),
        body=interpolate_lazy(
            gettext_lazy("Application from %(applicant)s"),
            {"applicant": application.applicant_name},
        ),
        url=application.get_absolute_url(),
    )
    return application


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call__organisation", "applicant_user", "applicant_tribe")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_withdraw(*, user, application: Application) -> Application:
    """The applicant (or an admin of the applying tribe) withdraws before any decision."""
    _require_member(user)
    application = _locked_application(application)
    if application.applicant_tribe_id:
        allowed = user_is_tribe_admin(user, application.applicant_tribe)
    else:
        allowed = application.applicant_user_id == user.pk
    if not allowed:
        raise PermissionDenied(_("Only the applicant can withdraw this application."))
    if not application.is_pending:
        raise ValidationError(
            _("The organisation has already decided: it is too late to withdraw.")
        )
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _notify(
        organisation_people(application.call.organisation),
        title=interpolate_lazy(
            gettext_lazy("%(applicant)s withdrew from “%(title)s”"),
            {"applicant": application.applicant_name, "title": application.call.title},
        ),
        url=application.get_absolute_url(),
    )
    return application


DECISIONS = {
    ApplicationStatus.SHORTLISTED: (
        (ApplicationStatus.SUBMITTED,),
        gettext_lazy("Your application to “%(title)s” is shortlisted"),
    ),
    ApplicationStatus.ACCEPTED: (
        PENDING_APPLICATION_STATUSES,
        gettext_lazy("Your application to “%(title)s” is accepted"),
    ),
    ApplicationStatus.DECLINED: (
        PENDING_APPLICATION_STATUSES,
        gettext_lazy("Your application to “%(title)s” is declined"),
    ),
}


@transaction.atomic
def application_decide(
    *, user, application: Application, status: str, message: str = ""
) -> Application:
    """A member of the call's organisation shortlists, accepts or declines an application, with
    an optional message; the applicant is told on the site and by e-mail."""
    if status not in DECISIONS:
        raise ValidationError(_("Choose shortlist, accept or decline."))
    application = _locked_application(application)
    _require_organisation_member(user, application.call.organisation)
    if application.call.status == CallStatus.AWARDED:
        raise ValidationError(_("This call has been awarded: its decisions are final."))
    allowed_from, title = DECISIONS[status]
    if application.status not in allowed_from:
        raise ValidationError(
            _("This application is already %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    application.status = status
    application.decision_message = (message or "").strip()
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_message", "decided_at", "updated_at"])
    _notify(
        application_applicants(application),
        title=interpolate_lazy(title, {"title": application.call.title}),
        body=application.decision_message,
        url=application.get_absolute_url(),
    )
    return application


def application_shortlist(*, user, application: Application, message: str = "") -> Application:
    return application_decide(
        user=user, application=application, status=ApplicationStatus.SHORTLISTED, message=message
    )


def application_accept(*, user, application: Application, message: str = "") -> Application:
    return application_decide(
        user=user, application=application, status=ApplicationStatus.ACCEPTED, message=message
    )


def application_decline(*, user, application: Application, message: str = "") -> Application:
    return application_decide(
        user=user, application=application, status=ApplicationStatus.DECLINED, message=message
    )
