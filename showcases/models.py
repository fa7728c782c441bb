"""Showcases: pages where staff gather public projects around a theme, each with a curator's
note. An item shows only while the visibility policy lets an anonymous visitor see its project
(see showcases.selectors): a project made private, unpublished or hidden drops out by itself."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.markdown import MAX_LENGTH_SHORT, MarkdownValidator
from core.models import IndexPage

from .widgets import PublicProjectChooser


class ShowcaseIndexPage(IndexPage):
    """/showcases/: every live showcase, newest first."""

    subpage_types = ["showcases.ShowcasePage"]

    class Meta:
        verbose_name = _("showcase index")

    def listing_context(self, *, user, params) -> dict:
        from .selectors import showcase_list_live

        return {"showcases": showcase_list_live()}


class ShowcasePage(Page):
    """A curated selection of public projects, in the curator's order."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Markdown. Why these projects belong together."),
        validators=[MarkdownValidator(MAX_LENGTH_SHORT)],
    )
    hero_image = models.ForeignKey(
        "images.CarnetImage",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        InlinePanel("items", heading=_("Projects"), label=_("project")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["showcases.ShowcaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")

    def get_context(self, request, *args, **kwargs):
        from .selectors import showcase_items_public

        context = super().get_context(request, *args, **kwargs)
        context["items"] = showcase_items_public(self)
        return context


class ShowcaseItem(Orderable):
    """One project of a showcase and what the curator says about it."""

    page = ParentalKey(ShowcasePage, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="showcase_items",
    )
    note = models.TextField(
        _("curator's note"),
        blank=True,
        help_text=_("Markdown. What makes this project worth a look."),
        validators=[MarkdownValidator(MAX_LENGTH_SHORT)],
    )

    panels = [
        FieldPanel("project", widget=PublicProjectChooser),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("showcase item")
        verbose_name_plural = _("showcase items")

    def __str__(self):
        return str(self.project) if self.project_id else super().__str__()

    def clean(self):
        super().clean()
        from projects.visibility import project_is_public

        if self.project_id and not project_is_public(self.project):
            raise ValidationError(
                {
                    "project": _(
                        "Only public, published projects can be showcased. Ask the owner to "
                        "make this project public, or choose another one."
                    )
                }
            )
