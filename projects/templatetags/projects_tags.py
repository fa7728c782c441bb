from django import template

from projects.blocks import bill_of_materials_row_total

register = template.Library()


@register.simple_tag
def bom_row_total(value):
    return bill_of_materials_row_total(value)
