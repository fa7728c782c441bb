from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Machine, Material


class MachineViewSet(SnippetViewSet):
    model = Machine
    icon = "cogs"
    list_display = ["name", "kind", "location"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "resubmit"
    list_display = ["name", "description"]
    search_fields = ["name"]


class WorkshopViewSetGroup(SnippetViewSetGroup):
    items = (MachineViewSet, MaterialViewSet)
    menu_icon = "cogs"
    menu_label = _("Workshop")
    menu_name = "workshop"


register_snippet(WorkshopViewSetGroup)
