"""Call pages and everything organisations and applicants do from the front end: ask for an
organisation, write and submit calls, apply, withdraw, shortlist, accept, decline, award. Each
view asks the visibility policy, validates its input and calls a service; the services check
the rules again, so a forged request changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribes.permissions import user_is_tribe_admin
from visibility.loaders import everyone, get_visible_or_404, object_view

from . import selectors, services
from .forms import (
    ApplicationForm,
    CallForm,
    DecisionForm,
    OrganisationMemberForm,
    OrganisationRequestForm,
)
from .models import (
    ApplicationStatus,
    CallForProjectsPage,
    CallStatus,
    Organisation,
)
from .permissions import call_apply_problem, user_can_manage_organisation
from .visibility import (
    can_view_application,
    can_view_call,
    can_view_organisation,
    is_organisation_member,
)


def _add_service_error(form, exc: ValidationError) -> None:
    """Attach a service's error to the form field it names, else to the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# Loading objects for the member-facing views (visibility.loaders: 404 for whoever may not see
# the object, then 403 for whoever sees it but may not act on it) ------------------------------

CALLS = CallForProjectsPage.objects.select_related("organisation", "organisation__logo")


def _only_members(call: CallForProjectsPage) -> str:
    return _("Only the members of %(name)s can do this.") % {"name": call.organisation}


def _is_call_member(user, call: CallForProjectsPage) -> bool:
    return is_organisation_member(user, call.organisation)


visible_call = object_view(CALLS, visible=can_view_call)
# As `visible_call`, and refuse anyone outside the call's organisation (403).
organisation_call = object_view(
    CALLS, visible=can_view_call, allowed=_is_call_member, denied=_only_members
)


def _visible_organisation(request, slug: str) -> Organisation:
    return get_visible_or_404(
        request.user,
        Organisation.objects.select_related("logo"),
        visible=can_view_organisation,
        slug=slug,
    )


def _managed_organisation(request, slug: str) -> Organisation:
    return get_visible_or_404(
        request.user,
        Organisation.objects.select_related("logo"),
        visible=can_view_organisation,
        allowed=user_can_manage_organisation,
        denied=_("Only the organisation's owners can do this."),
        slug=slug,
    )


def _call_home(call: CallForProjectsPage) -> str:
    """The call's public page once published, else its preview for the organisation."""
    call.refresh_from_db(fields=["live", "status", "url_path"])
    return call.url if call.live else reverse("calls:preview", kwargs={"slug": call.slug})


# Organisations ------------------------------------------------------------------------------


@login_required
def organisation_request(request):
    form = OrganisationRequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = services.organisation_request(
                    user=request.user, **form.organisation_fields()
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been sent. The staff will approve the organisation; "
                        "you will be notified."
                    ),
                )
                return redirect(organisation.get_absolute_url())
        form.keep_uploaded_photos()
    return render(request, "calls/organisation_form.html", {"form": form})


def organisation_detail(request, slug):
    organisation = _visible_organisation(request, slug)
    can_manage = user_can_manage_organisation(request.user, organisation)
    is_member = is_organisation_member(request.user, organisation)
    return render(
        request,
        "calls/organisation.html",
        {
            "organisation": organisation,
            "calls": selectors.call_list_for_organisation(
                user=request.user, organisation=organisation
            ),
            "is_member": is_member,
            "can_manage": can_manage,
            "members": selectors.organisation_members(organisation)
            if is_member or can_manage
            else [],
            "member_form": OrganisationMemberForm() if can_manage else None,
        },
    )


@require_POST
@login_required
def organisation_member_add(request, slug):
    organisation = _managed_organisation(request, slug)
    form = OrganisationMemberForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_member_add(
                user=request.user,
                organisation=organisation,
                member=form.cleaned_data["member"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(organisation.get_absolute_url())


@require_POST
@login_required
def organisation_member_remove(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    membership = get_visible_or_404(
        request.user, organisation.memberships.all(), visible=everyone, pk=pk
    )
    try:
        services.organisation_member_remove(user=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Member removed."))
    return redirect(organisation.get_absolute_url())


# Writing calls ------------------------------------------------------------------------------


def _submitting(request) -> bool:
    return request.POST.get("action") == "submit"


@login_required
def call_create(request):
    organisations = selectors.organisation_list_for_member(request.user, approved_only=True)
    if not organisations.exists():
        messages.info(
            request,
            _("To post a call, belong to an organisation approved by the staff. Ask for one here."),
        )
        return redirect("calls:organisation_request")
    form = CallForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                submit=_submitting(request),
                **form.call_fields(),
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _submitted_message(request))
            return redirect(_call_home(call))
    return render(request, "calls/call_form.html", {"form": form, "call": None})


def _submitted_message(request) -> str:
    if _submitting(request):
        return _("Your call has been sent to the staff for review. You will be notified.")
    return _("Draft saved. Submit it for review when it is ready.")


@organisation_call
def call_edit(request, call):
    latest = call.get_latest_revision_as_object()
    form = CallForm(
        request.POST or None,
        organisations=None,
        call=latest,
        initial=CallForm.initial_for(latest),
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_update(
                user=request.user, call=call, submit=_submitting(request), **form.call_fields()
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _submitted_message(request))
            return redirect(_call_home(call))
    return render(request, "calls/call_form.html", {"form": form, "call": call})


@visible_call
def call_preview(request, call):
    """The latest version of a call, as its page will show it: drafts and calls under review
    for the organisation (and staff, who use the admin's preview too)."""
    latest = call.get_latest_revision_as_object()
    context = latest.get_context(request)
    context["preview"] = True
    return render(request, latest.get_template(request), context)


def _call_action(action):
    @require_POST
    @organisation_call
    @wraps(action)
    def wrapper(request, call):
        try:
            message = action(request, call)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, message)
        return redirect(_call_home(call))

    return wrapper


@_call_action
def call_submit(request, call):
    services.call_submit(user=request.user, call=call)
    return _("Your call has been sent to the staff for review. You will be notified.")


@_call_action
def call_close(request, call):
    services.call_close(user=request.user, call=call)
    return _("The call is closed: no more applications.")


@_call_action
def call_award(request, call):
    services.call_award(user=request.user, call=call)
    return _("The call is marked as awarded.")


@organisation_call
def call_applications(request, call):
    return render(
        request,
        "calls/applications.html",
        {
            "call": call,
            "applications": selectors.application_list_for_call(user=request.user, call=call),
        },
    )


# Applying -----------------------------------------------------------------------------------


@visible_call
def call_apply(request, call):
    user = request.user
    tribes = list(selectors.tribes_administered_by(user))
    form = ApplicationForm(
        request.POST or None,
        user=user,
        tribes=tribes,
        projects=selectors.attachable_projects_for_member(call=call, user=user),
    )
    mine = selectors.application_list_of_applicant_for_call(user=user, call=call)
    problem = call_apply_problem(user, call, applications=mine, tribes=tribes)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                user=user,
                call=call,
                pitch=form.cleaned_data["pitch"],
                projects=form.cleaned_data["projects"],
                tribe=form.tribe(),
            )
        except PermissionDenied as exc:
            form.add_error("applicant", str(exc) or _("You cannot apply on behalf of this tribe."))
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your application has been sent to %(name)s: you will be notified of "
                    "their answer."
                )
                % {"name": call.organisation.name},
            )
            return redirect(application.get_absolute_url())
    status = 200 if request.method == "GET" or not form.errors else 400
    return render(
        request,
        "calls/apply.html",
        {"call": call, "form": form, "problem": problem},
        status=status,
    )


# One application ----------------------------------------------------------------------------


def _visible_application(request, pk: int):
    return get_visible_or_404(
        request.user,
        selectors.application_details(user=request.user),
        visible=can_view_application,
        pk=pk,
    )


@login_required
def application_detail(request, pk):
    application = _visible_application(request, pk)
    call = application.call
    is_member = is_organisation_member(request.user, call.organisation)
    is_applicant = application.applicant_user_id == request.user.pk or (
        application.applicant_tribe_id
        and user_is_tribe_admin(request.user, application.applicant_tribe)
    )
    return render(
        request,
        "calls/application.html",
        {
            "application": application,
            "call": call,
            "can_decide": is_member
            and call.status != CallStatus.AWARDED
            and application.is_pending,
            "can_withdraw": bool(is_applicant) and application.is_pending,
            "decision_form": DecisionForm(),
            "statuses": ApplicationStatus,
        },
    )


DECISIONS = {
    "shortlist": ApplicationStatus.SHORTLISTED,
    "accept": ApplicationStatus.ACCEPTED,
    "decline": ApplicationStatus.DECLINED,
}


@require_POST
@login_required
def application_decide(request, pk, decision):
    application = _visible_application(request, pk)
    if decision not in DECISIONS:
        raise Http404
    if not _is_call_member(request.user, application.call):
        raise PermissionDenied(_only_members(application.call))
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    status = DECISIONS[decision]
    try:
        services.application_decide(
            user=request.user, application=application, status=status, message=message
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _decision_done(decision))
    return redirect(application.get_absolute_url())


def _decision_done(decision: str) -> str:
    return {
        "shortlist": _("Application shortlisted; the applicant is told."),
        "accept": _("Application accepted; the applicant is told."),
        "decline": _("Application declined; the applicant is told."),
    }[decision]


@require_POST
@login_required
def application_withdraw(request, pk):
    application = _visible_application(request, pk)
    try:
        services.application_withdraw(user=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application.get_absolute_url())


# The member's own page ----------------------------------------------------------------------


@login_required
def my_calls(request):
    user = request.user
    return render(
        request,
        "calls/mine.html",
        {
            "applications": selectors.application_list_of_applicant(user).order_by("-created_at"),
            "organisations": selectors.organisation_list_for_member(user),
            "calls": selectors.call_list_for_member_organisations(user),
        },
    )
