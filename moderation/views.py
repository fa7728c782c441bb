"""The member's side of moderation: the report form. Staff decide in the admin
(wagtail_hooks.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from visibility.loaders import get_visible_or_404

from . import selectors, services
from .forms import ReportForm
from .models import ReportKind


@login_required
def report_create(request, kind, pk):
    """Report a project, journal entry, call or profile. What the member may not see answers
    404, like what does not exist."""
    if kind not in ReportKind.values:
        raise Http404
    target = get_visible_or_404(request.user, selectors.report_targets(kind=kind), pk=pk)
    back = selectors.target_url(target)
    refusal = selectors.report_refusal(reporter=request.user, target=target)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                target=target,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(
                request,
                _(
                    "Thank you: the moderators will look at your report. You will hear what "
                    "they decide."
                ),
            )
            return redirect(back)
    status = 400 if request.method == "POST" and (refusal or form.errors) else 200
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "target": target,
            "target_title": selectors.target_title(target),
            "kind_label": ReportKind(kind).label,
            "back_url": back,
            "refusal": refusal,
        },
        status=status,
    )
