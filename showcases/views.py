"""Admin views of showcases: the chooser staff use to pick a project for a showcase item.

It offers only what the visibility policy shows an anonymous visitor (public, published, not
hidden); ShowcaseItem.clean() refuses anything else, should a forged form send it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .widgets import PublicProjectChooser


class PublicProjectFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Project title")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(title__icontains=query)
        return objects


class PublicProjectChooseMixin:
    filter_form_class = PublicProjectFilterForm
    ordering = ["title", "pk"]

    def get_object_list(self):
        from projects.visibility import projects_public

        return projects_public()


class PublicProjectChooseView(PublicProjectChooseMixin, ChooseView):
    pass


class PublicProjectChooseResultsView(PublicProjectChooseMixin, ChooseResultsView):
    pass


class PublicProjectChooserViewSet(ChooserViewSet):
    model = PublicProjectChooser.model
    icon = PublicProjectChooser.icon
    choose_one_text = PublicProjectChooser.choose_one_text
    choose_another_text = PublicProjectChooser.choose_another_text
    base_widget_class = PublicProjectChooser
    choose_view_class = PublicProjectChooseView
    choose_results_view_class = PublicProjectChooseResultsView
    # Only showcase items use it (FieldPanel(widget=PublicProjectChooser)): other project
    # fields keep Wagtail's page chooser.
    register_widget = False
    per_page = 20


public_project_chooser_viewset = PublicProjectChooserViewSet("public_project_chooser")
