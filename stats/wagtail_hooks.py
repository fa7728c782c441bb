"""The "Curation" menu of the Wagtail admin: the queue of public projects by completeness (the
showcase candidates), and a link to the statistics. Staff only, on top of the admin's own
access control."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors
from .permissions import can_see_curation_queue, can_see_stats

CANDIDATES_PER_PAGE = 25


class CurationQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "stats/admin/curation_queue.html"
    page_title = _("Curation queue")
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_curation_queue(request.user):
            raise PermissionDenied(_("The curation queue is for staff."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(selectors.curation_queue(), CANDIDATES_PER_PAGE)
        context["candidates"] = paginator.get_page(self.request.GET.get("p"))
        return context


@hooks.register("register_admin_urls")
def register_curation_urls():
    return [path("curation/", CurationQueueView.as_view(), name="stats_curation_queue")]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_curation_queue(request.user)


class StatsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_stats(request.user)


@hooks.register("register_admin_menu_item")
def register_curation_menu():
    menu = Menu(
        items=[
            StaffMenuItem(
                _("Curation queue"),
                reverse_lazy("stats_curation_queue"),
                name="curation-queue",
                icon_name="pick",
                order=100,
            ),
            StatsMenuItem(
                _("Statistics"),
                reverse_lazy("stats:index"),
                name="statistics",
                icon_name="table",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("Curation"), menu, name="curation", icon_name="pick", order=240)
