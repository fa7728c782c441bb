from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from projects.selectors import journal_entry_list_recent, project_list_for_member
from tribes.selectors import tribe_list_for_member
from visibility.loaders import get_visible_or_404
from visibility.policy import can_view_profile

from . import selectors, services, throttling
from .forms import ContactForm, ProfileForm, SignupForm
from .models import User


def _safe_next(request) -> str:
    """Where to go after signing up (an invitation, say): only an address on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def signup(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "/")
    form = SignupForm(request.POST or None)
    over_rate = None
    if request.method == "POST":
        over_rate = throttling.over_rate(
            request, group="signup", rate=settings.CARNET_SIGNUP_RATE_PER_ADDRESS
        )
    if request.method == "POST" and form.is_valid() and not over_rate:
        user = services.user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if next_url:
            messages.success(request, _("Welcome to Carnet!"))
            return redirect(next_url)
        messages.success(request, _("Welcome to Carnet! Start by creating your first project."))
        return redirect("projects:create")
    if over_rate:
        form.add_error(None, over_rate)
    context = {"form": form, "next": next_url}
    return render(request, "users/signup.html", context, status=429 if over_rate else 200)


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset requests, limited per address and per e-mail address: the limit is told
    on the form, which keeps the address typed."""

    def post(self, request, *args, **kwargs):
        self.over_rate = throttling.over_rate(
            request, group="password_reset", rate=settings.CARNET_PASSWORD_RESET_RATE_PER_ADDRESS
        )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.over_rate = self.over_rate or throttling.over_rate(
            self.request,
            group="password_reset_email",
            rate=settings.CARNET_PASSWORD_RESET_RATE_PER_EMAIL,
            value=form.cleaned_data["email"].strip().lower(),
        )
        if self.over_rate:
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        if self.over_rate:
            form.add_error(None, self.over_rate)
        return self.render_to_response(
            self.get_context_data(form=form), status=429 if self.over_rate else 200
        )


@login_required
def profile_edit(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=user,
        initial={"skills": list(user.skills.all())},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills")
        if data.get("avatar") is False:  # "clear" ticked
            data["avatar"] = ""
        elif not data.get("avatar"):
            data.pop("avatar")
        services.user_profile_update(user=user, skills=skills, **data)
        messages.success(request, _("Profile saved."))
        return redirect(user.get_absolute_url())
    return render(request, "users/profile_edit.html", {"form": form})


def profile(request, username):
    member = get_visible_or_404(request.user, User, visible=can_view_profile, username=username)
    projects = project_list_for_member(user=request.user, member=member)[:24]
    tribes = tribe_list_for_member(user=request.user, member=member)
    entries = journal_entry_list_recent(user=request.user, limit=10, author=member)
    return render(
        request,
        "users/profile.html",
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


# Directory and contact (docs/members.md) ----------------------------------------------------

MEMBERS_PER_PAGE = 20
# Beyond any real listing; keeps a forged page number inside the database's integer range.
MAX_PAGE_NUMBER = 10_000
MAX_FILTER_LENGTH = 100


def _page_number(request) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1


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
    page = paginator.get_page(_page_number(request))
    selectors.member_directory_attach_cards(page.object_list)
    return render(
        request,
        "users/member_directory.html",
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
                _("Message sent to %(name)s. Their answer will come in your notifications.")
                % {"name": recipient.public_name},
            )
            return redirect(recipient.get_absolute_url())
    wait = selectors.contact_wait(sender=request.user, recipient=recipient)
    return render(
        request,
        "users/contact.html",
        {
            "form": form,
            "recipient": recipient,
            "is_reply": not recipient.open_to_contact,
            "wait": wait if request.method == "GET" else None,
            "conversation": selectors.contact_messages_between(request.user, recipient),
        },
    )
