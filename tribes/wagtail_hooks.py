"""Staff see tribe memberships and invitations in the admin. Members and tribe admins manage
them from the front end (tribes/views.py), where the rules live; so the admin adds nothing and
never shows a token (only its hash is stored)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.permissions import ReadMostlyPermissionPolicy

from .models import TribeInvitation, TribeMembership

# Registered before the viewsets, so Wagtail does not create its fallback policy first.
register_permission_policy(
    TribeMembership, ReadMostlyPermissionPolicy(TribeMembership, refused={"add"})
)
register_permission_policy(
    TribeInvitation, ReadMostlyPermissionPolicy(TribeInvitation, refused={"add", "change"})
)


class TribeMembershipViewSet(SnippetViewSet):
    """Staff may fix a role or a state; memberships are created from the front end."""

    model = TribeMembership
    icon = "group"
    menu_label = _("Memberships")
    list_display = ["user", "tribe", "role", "state", "created_at"]
    list_filter = ["role", "state"]
    search_fields = ["user__username", "user__display_name", "tribe__title"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False


class TribeInvitationViewSet(SnippetViewSet):
    """Listed and inspected; deleting one cancels it."""

    model = TribeInvitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display = [
        "__str__",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_by",
        "revoked_at",
    ]
    search_fields = ["email", "tribe__title"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "tribe",
        "email",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_by",
        "accepted_at",
        "revoked_at",
    ]
    copy_view_enabled = False


class TribeAdminGroup(SnippetViewSetGroup):
    items = (TribeMembershipViewSet, TribeInvitationViewSet)
    menu_icon = "group"
    menu_label = _("Tribes")
    menu_order = 220


register_snippet(TribeAdminGroup)
