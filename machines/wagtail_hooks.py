from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Machine, MachineJob, Material


class MachineViewSet(SnippetViewSet):
    model = Machine
    icon = "cogs"
    list_display = ["name", "kind", "location"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MachineJobViewSet(SnippetViewSet):
    """Jobs come from the machines; staff look at them and correct a member or a project."""

    model = MachineJob
    icon = "time"
    menu_label = _("Jobs")
    list_display = ["__str__", "state", "outcome", "member", "project", "started_at"]
    list_filter = ["state", "outcome", "machine"]
    search_fields = ["external_id", "file_name"]
    ordering = ["-started_at"]


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "resubmit"
    list_display = ["name", "description"]
    search_fields = ["name"]


class WorkshopViewSetGroup(SnippetViewSetGroup):
    items = (MachineViewSet, MachineJobViewSet, MaterialViewSet)
    menu_icon = "cogs"
    menu_label = _("Workshop")
    menu_name = "workshop"


register_snippet(WorkshopViewSetGroup)
