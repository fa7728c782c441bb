"""{% load typography %}: times as people say them, in French and in English. (Counts take
{% blocktranslate count %}, never a plural written by hand.)"""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value, now=None):
    """{{ entry.created_at|ago }}: "il y a 3 heures" / "3 hours ago"; "à l'instant" / "just now"
    under a minute."""
    if not value:
        return ""
    now = now or timezone.now()
    if now - value < timedelta(minutes=1):
        return _("just now")
    return _("%(delay)s ago") % {"delay": timesince(value, now, depth=1)}
