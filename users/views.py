from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from projects.selectors import journal_entry_list_recent, project_list_for_member
from tribes.models import MembershipState
from visibility.policy import tribes_visible_to

from . import services
from .forms import ProfileForm, SignupForm
from .models import User


def signup(request):
    if request.user.is_authenticated:
        return redirect("/")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Carnet! Start by creating your first project."))
        return redirect("projects:create")
    return render(request, "users/signup.html", {"form": form})


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
    tribes = tribes_visible_to(request.user).filter(
        memberships__user=member, memberships__state=MembershipState.ACTIVE
    )
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
