"""Staff read the messages sent with the Contact button in the admin, to moderate: they may
delete one, never write or edit one (messages are sent from the front end, members/views.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import ReadMostlyPermissionPolicy

from .models import ContactMessage

# Registered before the viewset, so Wagtail does not create its fallback policy first.
register_permission_policy(
    ContactMessage, ReadMostlyPermissionPolicy(ContactMessage, refused={"add", "change"})
)


class ContactMessageViewSet(SnippetViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["subject", "sender", "recipient", "organisation", "created_at"]
    search_fields = ["subject", "body", "organisation", "sender__username", "recipient__username"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["sender", "recipient", "organisation", "subject", "body", "created_at"]
    copy_view_enabled = False


register_snippet(ContactMessageViewSet)
