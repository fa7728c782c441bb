from django import template

from projects.completeness import project_completeness as compute_completeness

register = template.Library()


@register.simple_tag
def project_completeness(project):
    """`{% project_completeness page as completeness %}`: see projects/completeness.py."""
    return compute_completeness(project)
