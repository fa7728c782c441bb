from datetime import date

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def stats_cell(value):
    """A table cell as people read it: a month by name, a missing value as a dash."""
    if isinstance(value, date):
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if value is None:
        return "—"
    return value


@register.filter
def stats_is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
