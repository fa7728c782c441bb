"""What the pages of every section share. core imports no app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .markdown import MAX_LENGTH_SHORT, MarkdownValidator


class IndexPage(Page):
    """The one index of a section, under the home page (/projects/, /tribes/, /calls/,
    /showcases/): an introduction, then what `listing_context` gives the template. Each app's
    subclass sets `subpage_types` and `listing_context`."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_SHORT)],
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing_context(user=request.user, params=request.GET))
        return context

    def listing_context(self, *, user, params) -> dict:
        """What the index lists for `user`, given the query parameters."""
        raise NotImplementedError
