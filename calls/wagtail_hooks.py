"""The "Calls" menu of the Wagtail admin: organisations (staff approve or refuse them there, and
the requester is told) and applications (read only: organisations decide from the front end).
Calls themselves are pages, edited in the page tree and moderated with the workflow assigned to
the call index."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.permissions import ReadMostlyPermissionPolicy

from . import services
from .models import Application, Organisation, OrganisationStatus

# Registered before the viewsets, so Wagtail does not create its fallback policy first.
# Applications are written by their applicants and decided by organisations, from the front end.
register_permission_policy(
    Application, ReadMostlyPermissionPolicy(Application, refused={"add", "change"})
)


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the requester (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganisationDecisionView(WagtailAdminTemplateMixin, FormView):
    """Approve or refuse an organisation; the requester is notified by the service."""

    template_name = "calls/admin/organisation_decision.html"
    form_class = DecisionForm
    header_icon = "group"
    approve = True
    index_url_name = ""

    def dispatch(self, request, pk, *args, **kwargs):
        self.organisation = get_object_or_404(Organisation, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Approve %(name)s") if self.approve else _("Refuse %(name)s")

    def get_header_title(self):
        return self.get_page_title() % {"name": self.organisation.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.organisation,
            approve=self.approve,
            page_title=self.get_header_title(),
            cancel_url=reverse(self.index_url_name),
        )
        return context

    def form_valid(self, form):
        try:
            if self.approve:
                services.organisation_approve(
                    user=self.request.user, organisation=self.organisation
                )
                messages.success(self.request, _("Organisation approved; its members are told."))
            else:
                services.organisation_refuse(
                    user=self.request.user,
                    organisation=self.organisation,
                    message=form.cleaned_data["message"],
                )
                messages.success(self.request, _("Organisation refused; its members are told."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(self.request, str(exc))
        return redirect(self.index_url_name)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "status", "requested_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    ordering = ["status", "name"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def decision_view(self, approve: bool):
        return OrganisationDecisionView.as_view(
            approve=approve, index_url_name=self.get_url_name("list")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", self.decision_view(True), name="approve"),
            path("refuse/<int:pk>/", self.decision_view(False), name="refuse"),
        ]


class ApplicationViewSet(SnippetViewSet):
    model = Application
    icon = "doc-full"
    menu_label = _("Applications")
    list_display = ["__str__", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["pitch"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False


class CallsAdminGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, ApplicationViewSet)
    menu_icon = "list-ul"
    menu_label = _("Calls")
    menu_order = 230


register_snippet(CallsAdminGroup)


@hooks.register("register_snippet_listing_buttons")
def organisation_decision_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Organisation) or not user.is_staff:
        return []
    buttons = []
    if snippet.status != OrganisationStatus.APPROVED:
        buttons.append(
            ListingButton(
                _("Approve"),
                reverse("wagtailsnippets_calls_organisation:approve", args=[snippet.pk]),
                priority=5,
            )
        )
    if snippet.status == OrganisationStatus.PENDING:
        buttons.append(
            ListingButton(
                _("Refuse"),
                reverse("wagtailsnippets_calls_organisation:refuse", args=[snippet.pk]),
                priority=6,
            )
        )
    return buttons
