"""Members' pages (docs/members.md): the public profile, the directory of members open to
contact, and the Contact button's form. A member edits their own profile in users.views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.pagination import page_number
from projects.selectors import journal_entry_list_recent, project_list_for_member
from tribes.selectors import tribe_list_for_member
from users.models import User
from visibility.loaders import get_visible_or_404

from . import selectors, services
from .forms import ContactForm
from .visibility import can_view_profile


def profile(request, username):
    member = get_visible_or_404(request.user, User, visible=can_view_profile, username=username)
    projects = project_list_for_member(user=request.user, member=member)[:24]
    tribes = tribe_list_for_member(user=request.user, member=member)
    entries = journal_entry_list_recent(user=request.user, limit=10, author=member)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "projects": projects,
            "entries": entries,
            "skills": member.skills.all(),
            "tribes": tribes,
            "can_contact": request.user.is_authenticated
            and selectors.contact_allowed(sender=request.user, recipient=member),
        },
    )


MEMBERS_PER_PAGE = 20
MAX_FILTER_LENGTH = 100


def _filter_value(request, name: str) -> str:
    return (request.GET.get(name) or "").strip()[:MAX_FILTER_LENGTH]


def member_directory(request):
    """Members open to calls and contact, with their skills and public projects."""
    filters = {
        "skill": _filter_value(request, "skill"),
        "tribe": _filter_value(request, "tribe"),
        "q": _filter_value(request, "q"),
    }
    paginator = Paginator(
        selectors.member_directory(
            skill=filters["skill"], tribe=filters["tribe"], query=filters["q"]
        ),
        MEMBERS_PER_PAGE,
    )
    page = paginator.get_page(page_number(request.GET))
    selectors.member_directory_attach_cards(page.object_list)
    return render(
        request,
        "members/directory.html",
        {
            "members": page,
            "filters": filters,
            "active_filters": {name: value for name, value in filters.items() if value},
            "filter_choices": selectors.member_directory_filter_choices(skill=filters["skill"]),
        },
    )


@login_required
def contact(request, username):
    """Write to a member through Carnet. Members who are not open to contact answer 404, like
    unknown ones, unless they wrote to this member first (a reply)."""
    recipient = get_visible_or_404(request.user, User, visible=can_view_profile, username=username)
    if recipient.pk == request.user.pk:
        messages.info(request, _("This is your own profile: you cannot write to yourself."))
        return redirect(recipient.get_absolute_url())
    if not selectors.contact_allowed(sender=request.user, recipient=recipient):
        raise Http404
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_message_send(
                sender=request.user,
                recipient=recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Message sent to %(name)s: their answer will come in your notifications.")
                % {"name": recipient.public_name},
            )
            return redirect(recipient.get_absolute_url())
    wait = selectors.contact_wait(sender=request.user, recipient=recipient)
    return render(
        request,
        "members/contact.html",
        {
            "form": form,
            "recipient": recipient,
            "is_reply": not recipient.open_to_contact,
            "wait": wait if request.method == "GET" else None,
            "conversation": selectors.contact_messages_between(request.user, recipient),
        },
    )
