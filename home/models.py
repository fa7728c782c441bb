from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.markdown import MAX_LENGTH_SHORT, MarkdownValidator


class HomePage(Page):
    """The site root: every section of Carnet hangs below it."""

    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MarkdownValidator(MAX_LENGTH_SHORT)],
    )
    featured_showcase = models.ForeignKey(
        "showcases.ShowcasePage",
        verbose_name=_("featured showcase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the home page. Empty: the latest published showcase."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("featured_showcase"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "projects.ProjectIndexPage",
        "tribes.TribeIndexPage",
        "calls.CallIndexPage",
        "showcases.ShowcaseIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(user=request.user, home=self))
        # The tagline and introduction are written in the site's language; a page in another
        # language shows Carnet's own, translated, rather than mix two languages.
        context["own_words"] = translation.get_language() == settings.LANGUAGE_CODE
        return context
