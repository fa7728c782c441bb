"""Naming tribes in templates through the visibility policy: a private tribe's name is shown
only to those who may see the tribe (machines' labs, calls' eligible tribes)."""

from django import template

from tribes.visibility import tribes_shown_to

register = template.Library()


@register.simple_tag(takes_context=True)
def tribes_shown(context, tribes) -> list:
    """`{% tribes_shown call.eligible_tribes.all as tribes %}`: those the reader may see."""
    request = context.get("request")
    return tribes_shown_to(getattr(request, "user", None), tribes or ())


@register.simple_tag(takes_context=True)
def tribe_shown(context, tribe):
    """`{% tribe_shown machine.tribe as lab %}`: the tribe, or None if the reader may not see it."""
    if tribe is None:
        return None
    shown = tribes_shown(context, [tribe])
    return shown[0] if shown else None
