"""Reports > Failed tasks in the Wagtail admin: background work (e-mails, search indexing) that
failed after its last attempt, with the error, so staff can act (docs/deployment.md)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from users.roles import is_staff

from . import selectors

TASKS_PER_PAGE = 50


class FailedTasksView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "operations/admin/failed_tasks.html"
    page_title = _("Failed tasks")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not is_staff(request.user):
            raise PermissionDenied(_("The failed tasks are for staff."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(selectors.task_results_failed(), TASKS_PER_PAGE)
        context["tasks"] = paginator.get_page(self.request.GET.get("p"))
        return context


@hooks.register("register_admin_urls")
def register_failed_tasks_url():
    return [
        path("reports/failed-tasks/", FailedTasksView.as_view(), name="operations_failed_tasks")
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return StaffMenuItem(
        _("Failed tasks"),
        reverse_lazy("operations_failed_tasks"),
        name="failed-tasks",
        icon_name="warning",
        order=900,
    )
