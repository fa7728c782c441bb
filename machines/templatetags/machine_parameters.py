from django import template

from machines.parameters import parameter_label

register = template.Library()

# {{ name|parameter_label }}: "layer_height" shown "Hauteur de couche" on a French page.
register.filter("parameter_label", parameter_label)
