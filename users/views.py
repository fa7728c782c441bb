from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from projects.selectors import journal_entry_list_recent, project_list_for_member
from tribes.selectors import tribe_list_for_member

from . import services
from .forms import ProfileForm, SignupForm
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
    if request.method == "POST" and form.is_valid():
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
    return render(request, "users/signup.html", {"form": form, "next": next_url})


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
    member = get_object_or_404(User, username=username, is_active=True)
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
        },
    )
