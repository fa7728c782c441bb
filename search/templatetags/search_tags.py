from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FACET_TITLES = {
    "type": _("Type"),
    "entry_kind": _("Journal entry kind"),
    "tag": _("Tag"),
    "tribe": _("Tribe"),
    "machine": _("Machine"),
    "status": _("Status"),
    "licence": _("Licence"),
}


@register.simple_tag
def facet_title(name):
    return FACET_TITLES.get(name, name)


@register.simple_tag(takes_context=True)
def facet_toggle_url(context, name, value):
    """This search with `name=value` added, or removed when it is already selected; page 1."""
    query = context["request"].GET.copy()
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    query.pop("page", None)
    return f"?{query.urlencode()}"


@register.filter
def active_filter_count(filters: dict[str, list[str]]) -> int:
    """How many facet values narrow this search (shown on the folded filters)."""
    return sum(len(values) for values in filters.values())
