"""The "Report" link and the moderators' banner that the four reportable pages show through
templates/moderation/report_link.html."""

from django import template
from django.urls import reverse

from moderation.permissions import can_report
from moderation.selectors import moderation_message_for, report_kind_for

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_state(context, target) -> dict:
    """What the page shows about moderation: the report URL (signed-in members other than the
    author), or, on hidden content (seen by its authors and staff only), the moderators'
    message."""
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = report_kind_for(target)
    if target is None or kind is None:
        return {}
    if getattr(target, "hidden", False):
        return {"hidden": True, "message": moderation_message_for(target)}
    if user is None or not user.is_authenticated or not can_report(user, target):
        return {}
    return {"report_url": reverse("moderation:report", args=[kind, target.pk])}
