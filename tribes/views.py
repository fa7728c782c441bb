"""Tribe pages and everything members and tribe admins do from the front end: create and edit a
tribe, join, ask, leave, invite, answer requests, change roles. Each view validates its input and
calls a service; the services check the rules again, so a forged request changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from visibility.loaders import object_view

from . import selectors, services
from .forms import TribeForm, TribeInviteForm, TribeLeaveForm, TribeLinkForm, TribeRoleForm
from .models import MembershipRole, MembershipState, TribeIndexPage, TribePage
from .permissions import user_can_manage_tribe, user_is_tribe_member
from .visibility import can_view_tribe

# The invitation page's answer when a token cannot be used: 404 for a token that never
# existed, 403 for someone else's invitation, 410 (gone) for a revoked, used or expired one.
INVITATION_ERROR_STATUS = {"invalid": 404, "wrong_account": 403}


def _add_service_error(form, exc: ValidationError) -> None:
    """Attach a service's error to the form field it names, else to the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _index_url() -> str:
    index = TribeIndexPage.objects.live().first()
    return index.url if index else "/"


def _after_leaving_url(user, tribe: TribePage) -> str:
    """Back to the tribe when it is still visible to this person, else to the tribe list."""
    return tribe.url if can_view_tribe(user, tribe) else _index_url()


# Loading a tribe for the member-facing views ------------------------------------------------

TRIBES = TribePage.objects.live().select_related("logo")

# A logged-in member, and the tribe named by `slug` if they may see it (else 404).
visible_tribe = object_view(TRIBES, visible=can_view_tribe)
# As `visible_tribe`, and refuse anyone who is not one of the tribe's admins (403).
managed_tribe = object_view(
    TRIBES,
    visible=can_view_tribe,
    allowed=user_can_manage_tribe,
    denied=gettext_lazy("Only the tribe's admins can do this."),
)


# Creating and editing -----------------------------------------------------------------------


@login_required
def tribe_create(request):
    form = TribeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                tribe = services.tribe_create(creator=request.user, **form.tribe_fields())
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(
                    request, _("Your tribe is online. Invite the first members from its page.")
                )
                return redirect(tribe.url)
        form.keep_uploaded_photos()
    return render(
        request, "tribes/tribe_form.html", {"form": form, "heading": _("New tribe"), "tribe": None}
    )


@managed_tribe
def tribe_edit(request, tribe):
    latest = tribe.get_latest_revision_as_object()
    form = TribeForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        tribe=latest,
        initial=TribeForm.initial_for(latest),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                tribe = services.tribe_update(tribe=tribe, user=request.user, **form.tribe_fields())
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(tribe.url)
        form.keep_uploaded_photos()
    return render(
        request,
        "tribes/tribe_form.html",
        {"form": form, "heading": _("Edit the tribe"), "tribe": tribe},
    )


# Members: join, ask, leave, decline ---------------------------------------------------------


@require_POST
@visible_tribe
def tribe_join(request, tribe):
    try:
        membership = services.tribe_join(user=request.user, tribe=tribe)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if membership.is_active:
            messages.success(request, _("Welcome to %(tribe)s!") % {"tribe": tribe.title})
        else:
            messages.success(
                request, _("Your request has been sent. The tribe's admins will answer it.")
            )
    return redirect(tribe.url)


@visible_tribe
def tribe_leave(request, tribe):
    membership = selectors.tribe_membership_of(request.user, tribe)
    if membership is None:
        messages.error(request, _("You are not a member of this tribe."))
        return redirect(tribe.url)
    admins = [m for m in selectors.tribe_members(tribe) if m.role == MembershipRole.ADMIN]
    successor_needed = membership.is_admin and len(admins) == 1
    form = TribeLeaveForm(
        # An empty POST (no successor to name) is still a submission.
        request.POST if request.method == "POST" else None,
        tribe=tribe,
        user=request.user,
        successor_needed=successor_needed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tribe_leave(
                user=request.user, tribe=tribe, successor=form.cleaned_data.get("successor")
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            if membership.state == MembershipState.REQUESTED:
                messages.success(request, _("Your request has been withdrawn."))
            elif membership.state == MembershipState.INVITED:
                messages.success(request, _("Invitation declined."))
            else:
                messages.success(request, _("You have left %(tribe)s.") % {"tribe": tribe.title})
            return redirect(_after_leaving_url(request.user, tribe))
    return render(
        request,
        "tribes/tribe_leave.html",
        {
            "tribe": tribe,
            "membership": membership,
            "form": form,
            "successor_needed": successor_needed,
            "no_successor": successor_needed and not form.fields["successor"].queryset.exists(),
        },
    )


@require_POST
@visible_tribe
def tribe_invitation_decline(request, tribe):
    try:
        services.tribe_invitation_decline(user=request.user, tribe=tribe)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(tribe.url)
    messages.success(request, _("Invitation declined."))
    return redirect(_after_leaving_url(request.user, tribe))


# Admins: the "Manage members" page and its actions ------------------------------------------


def _manage_url(tribe: TribePage) -> str:
    return reverse("tribes:members", kwargs={"slug": tribe.slug})


def _render_manage(request, tribe, *, invite_form=None, link_form=None, new_link=None):
    members = selectors.tribe_members(tribe)
    response = render(
        request,
        "tribes/tribe_members.html",
        {
            "tribe": tribe,
            "members": members,
            "admin_count": sum(1 for m in members if m.role == MembershipRole.ADMIN),
            "pending": selectors.tribe_pending(tribe),
            "invite_form": invite_form or TribeInviteForm(),
            "link_form": link_form or TribeLinkForm(),
            "new_link": new_link,
            "roles": MembershipRole.choices,
        },
    )
    # The page may show a shareable link's token, once: keep it out of every cache.
    add_never_cache_headers(response)
    return response


def _back_from_manage(request, tribe):
    """Back to the members page, or to the tribe if the admin just stepped down."""
    if user_can_manage_tribe(request.user, tribe):
        return redirect(_manage_url(tribe))
    return redirect(_after_leaving_url(request.user, tribe))


@managed_tribe
def tribe_members_manage(request, tribe):
    return _render_manage(request, tribe)


@require_POST
@managed_tribe
def tribe_member_invite(request, tribe):
    form = TribeInviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.tribe_member_invite(
                tribe=tribe,
                user=request.user,
                email=email,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
            return redirect(_manage_url(tribe))
    return _render_manage(request, tribe, invite_form=form)


@require_POST
@managed_tribe
def tribe_invitation_link_create(request, tribe):
    form = TribeLinkForm(request.POST)
    new_link = None
    if form.is_valid():
        try:
            new_link = services.tribe_invitation_link_create(
                tribe=tribe,
                user=request.user,
                days=form.cleaned_data["days"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error("days", exc.messages)
        else:
            form = None
    # Rendered, not redirected: the token exists only in this response.
    return _render_manage(request, tribe, link_form=form, new_link=new_link)


@require_POST
@managed_tribe
def tribe_invitation_revoke(request, tribe, pk):
    invitation = tribe.invitations.filter(pk=pk).first()
    if invitation is None:
        messages.error(request, _("This invitation no longer exists."))
        return redirect(_manage_url(tribe))
    try:
        services.tribe_invitation_revoke(user=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Invitation revoked: its link no longer works."))
    return redirect(_manage_url(tribe))


def _membership_action(action):
    """A POST on one membership of the tribe (`pk`): missing memberships and refused actions
    give a message and change nothing."""

    @require_POST
    @managed_tribe
    @wraps(action)
    def wrapper(request, tribe, pk):
        membership = tribe.memberships.select_related("user").filter(pk=pk).first()
        if membership is None:
            messages.error(
                request,
                _("This person is no longer in the tribe; someone may have answered already."),
            )
            return redirect(_manage_url(tribe))
        try:
            message = action(request, tribe, membership)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, message)
        return _back_from_manage(request, tribe)

    return wrapper


@_membership_action
def tribe_request_accept(request, tribe, membership):
    services.tribe_request_accept(user=request.user, membership=membership)
    return _("%(name)s is now a member.") % {"name": membership.user.public_name}


@_membership_action
def tribe_request_refuse(request, tribe, membership):
    services.tribe_request_refuse(user=request.user, membership=membership)
    return _("Request from %(name)s refused.") % {"name": membership.user.public_name}


@_membership_action
def tribe_member_role_set(request, tribe, membership):
    form = TribeRoleForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a role from the list."))
    services.tribe_member_role_set(
        user=request.user, membership=membership, role=form.cleaned_data["role"]
    )
    return _("%(name)s is now %(role)s.") % {
        "name": membership.user.public_name,
        "role": MembershipRole(form.cleaned_data["role"]).label.lower(),
    }


@_membership_action
def tribe_member_remove(request, tribe, membership):
    services.tribe_member_remove(user=request.user, membership=membership)
    return _("%(name)s is no longer in the tribe.") % {"name": membership.user.public_name}


# The invitation page ------------------------------------------------------------------------


def _invitation_problem(request, exc: ValidationError, *, tribe=None):
    status = INVITATION_ERROR_STATUS.get(exc.code, 410)
    return render(
        request,
        "tribes/invitation.html",
        {"problem": exc.messages[0], "problem_code": exc.code, "tribe": tribe},
        status=status,
    )


@never_cache
def invitation(request, token):
    """`/tribes/invitations/<token>/`: shows the tribe and an Accept button. Visitors log in
    (or sign up) first and come back here. A token that cannot be used gets a page saying why."""
    try:
        found = selectors.tribe_invitation_for_token(token)
    except selectors.InvitationRefused as exc:
        # Opening a used or expired link again once in the tribe is no error worth a page.
        if exc.invitation and user_is_tribe_member(request.user, exc.invitation.tribe):
            messages.info(request, _("You are already a member of this tribe."))
            return redirect(exc.invitation.tribe.url)
        return _invitation_problem(request, exc)
    tribe = found.tribe
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.tribe_invitation_accept(user=request.user, token=token)
        except ValidationError as exc:
            if exc.code == "already":
                messages.info(request, exc.messages[0])
                return redirect(tribe.url)
            return _invitation_problem(request, exc, tribe=tribe)
        messages.success(request, _("Welcome to %(tribe)s!") % {"tribe": tribe.title})
        return redirect(tribe.url)
    return render(
        request,
        "tribes/invitation.html",
        {
            "invitation": found,
            "tribe": tribe,
            "membership": selectors.tribe_membership_of(request.user, tribe),
        },
    )
