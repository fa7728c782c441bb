"""The "Report" link and the moderators' banner that the four reportable pages show through
templates/moderation/report_link.html."""

from django import template
from django.urls import reverse

from moderation.selectors import is_target_author, moderation_message_for, report_kind_for

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
    # The page showing `target` has already asked the policy whether this reader sees it;
    # asking again (can_report) would cost the page a query for tribe-only projects.
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if is_target_author(user, target):
        return {}
    return {"report_url": reverse("moderation:report", args=[kind, target.pk])}
