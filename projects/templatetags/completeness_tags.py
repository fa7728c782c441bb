from django import template

from projects.completeness import is_listed
from projects.completeness import project_completeness as compute_completeness

register = template.Library()


@register.simple_tag
def project_completeness(project):
    """`{% project_completeness page as completeness %}`: see projects/completeness.py."""
    return compute_completeness(project)


@register.simple_tag
def project_is_listed(project) -> bool:
    """`{% project_is_listed page as listed %}`: whether the listings would show it once
    published (projects.completeness.listed)."""
    return is_listed(project)
