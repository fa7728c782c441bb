from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: every section of Carnet hangs below it."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["projects.ProjectIndexPage", "tribes.TribeIndexPage", "calls.CallIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from projects.selectors import journal_entry_list_recent, project_list_latest

        context = super().get_context(request, *args, **kwargs)
        context["latest_projects"] = project_list_latest(user=request.user, limit=6)
        context["latest_entries"] = journal_entry_list_recent(user=request.user, limit=6)
        return context
