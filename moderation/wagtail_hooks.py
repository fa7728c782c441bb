"""The "Moderation" menu of the Wagtail admin: reports, open ones first, filtered by status,
kind and reason; each opens a review page showing the reported content (a link), the reason and
the earlier reports on the same thing, with the decisions: hide the content (with a message to
its author), dismiss, show again. Reports are written by members, never added or edited here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import ReadMostlyPermissionPolicy

from . import selectors, services
from .forms import DismissForm, HideForm, ShowAgainForm
from .models import Report, ReportStatus
from .permissions import can_moderate


class ReportPermissionPolicy(ReadMostlyPermissionPolicy):
    """Staff only, and never adding or changing a report by hand: decisions go through the
    review page and moderation.services."""

    def user_has_permission(self, user, action):
        return can_moderate(user) and super().user_has_permission(user, action)


# Registered before the viewset, so Wagtail does not create its fallback policy first.
register_permission_policy(
    Report, ReportPermissionPolicy(Report, refused={"add", "change", "delete"})
)

DECISIONS = {
    "hide": HideForm,
    "dismiss": DismissForm,
    "show": ShowAgainForm,
}


class ReportReviewView(WagtailAdminTemplateMixin, TemplateView):
    """One report: the reported content, the reason, earlier reports, and the decisions."""

    template_name = "moderation/admin/report_review.html"
    header_icon = "warning"
    index_url_name = ""
    review_url_name = ""

    def dispatch(self, request, pk, *args, **kwargs):
        if not (can_moderate(request.user) and request.user.has_perm("moderation.view_report")):
            raise PermissionDenied
        self.report = selectors.report_get_for_review(pk)
        if self.report is None:
            messages.error(request, _("This report no longer exists (its content was deleted)."))
            return redirect(self.index_url_name)
        self.forms = {name: form_class(prefix=name) for name, form_class in DECISIONS.items()}
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Report")

    def get_page_subtitle(self):
        return selectors.target_title(self.report.target)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.report.target
        context.update(
            report=self.report,
            target=target,
            target_title=selectors.target_title(target),
            target_url=selectors.target_url(target),
            target_hidden=target.hidden,
            authors=selectors.target_authors(target),
            history=[r for r in selectors.report_history_of(target) if r.pk != self.report.pk],
            forms=self.forms,
            index_url=reverse(self.index_url_name),
        )
        return context

    def post(self, request, *args, **kwargs):
        decision = request.POST.get("decision")
        if decision not in DECISIONS:
            messages.error(request, _("Choose a decision."))
            return self.get(request, *args, **kwargs)
        form = DECISIONS[decision](request.POST, prefix=decision)
        self.forms[decision] = form
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        action = {
            "hide": services.report_hide,
            "dismiss": services.report_dismiss,
            "show": services.content_show_again,
        }[decision]
        try:
            action(user=request.user, report=self.report, message=form.cleaned_data["message"])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return self.render_to_response(self.get_context_data(), status=400)
        done = {
            "hide": _("Content hidden; its author and the reporters are told."),
            "dismiss": _("Reports dismissed; the reporters are told."),
            "show": _("Content shown again; its author is told."),
        }[decision]
        messages.success(request, done)
        if decision == "show":
            return redirect(self.review_url_name, self.report.pk)
        return redirect(self.index_url_name)


class ReportViewSet(SnippetViewSet):
    model = Report
    icon = "warning"
    menu_label = _("Moderation")
    menu_name = "moderation"
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["__str__", "reason", "status", "reporter", "created_at", "decided_at"]
    list_filter = ["status", "kind", "reason"]
    search_fields = ["details", "staff_message"]
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return selectors.report_list_for_admin()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "review/<int:pk>/",
                ReportReviewView.as_view(
                    index_url_name=self.get_url_name("list"),
                    review_url_name=self.get_url_name("review"),
                ),
                name="review",
            ),
        ]


register_snippet(ReportViewSet)


@hooks.register("register_snippet_listing_buttons")
def report_review_button(snippet, user, next_url=None):
    if not isinstance(snippet, Report) or not can_moderate(user):
        return []
    label = _("Review") if snippet.status == ReportStatus.OPEN else _("See the decision")
    return [
        ListingButton(
            label,
            reverse("wagtailsnippets_moderation_report:review", args=[snippet.pk]),
            priority=5,
        )
    ]


@hooks.register("register_log_actions")
def moderation_log_actions(actions):
    actions.register_action(services.LOG_HIDE, _("Hide (moderation)"), _("Hidden by moderators"))
    actions.register_action(
        services.LOG_SHOW, _("Show again (moderation)"), _("Shown again by moderators")
    )
    actions.register_action(
        services.LOG_DISMISS, _("Dismiss reports (moderation)"), _("Reports dismissed")
    )
