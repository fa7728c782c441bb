from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.i18n import set_language_cookie

from . import services, throttling
from .forms import LoginForm, ProfileForm, SignupForm


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
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=translation.get_language(),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Welcome to Carnet! To log in next time, your username is %(username)s "
                "(you can change it on your profile)."
            )
            % {"username": user.username},
        )
        return redirect(next_url or "projects:create")
    if over_rate:
        form.add_error(None, over_rate)
    context = {"form": form, "next": next_url}
    return render(request, "users/signup.html", context, status=429 if over_rate else 200)


class LoginView(auth_views.LoginView):
    """Carnet's login; the pages then speak the language the member chose on their profile."""

    template_name = "users/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        set_language_cookie(response, form.get_user().language)
        return response


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
        user = services.user_profile_update(user=user, skills=skills, **data)
        with translation.override(user.language):
            messages.success(request, _("Profile saved."))
        response = redirect(user.get_absolute_url())
        set_language_cookie(response, user.language)
        return response
    return render(request, "users/profile_edit.html", {"form": form})
