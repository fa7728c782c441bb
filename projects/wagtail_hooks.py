from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tribes.selectors import TRIBE_PAGE_CONTENT_HOOK

from .models import JournalEntry
from .selectors import tribe_projects_detail


class JournalEntryViewSet(SnippetViewSet):
    """Staff review and moderate journal entries; members write them from the project page."""

    model = JournalEntry
    icon = "doc-full-inverse"
    menu_label = _("Journal entries")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["__str__", "project", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "body"]
    ordering = ["-created_at"]


register_snippet(JournalEntryViewSet)

hooks.register(TRIBE_PAGE_CONTENT_HOOK, tribe_projects_detail)
