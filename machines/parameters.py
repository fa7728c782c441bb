"""Labels for the parameter names machines send (`settings` of an event, docs/machines.md):
"layer_height" is shown "Layer height" / "Hauteur de couche". A name not listed here is shown
as the machine or the member typed it."""

from django.utils.translation import gettext_lazy as _

PARAMETER_LABELS = {
    "power": _("Power"),
    "speed": _("Speed"),
    "passes": _("Passes"),
    "frequency": _("Frequency"),
    "focus": _("Focus"),
    "air_assist": _("Air assist"),
    "layer_height": _("Layer height"),
    "nozzle": _("Nozzle"),
    "nozzle_temperature": _("Nozzle temperature"),
    "bed": _("Bed"),
    "bed_temperature": _("Bed temperature"),
    "temperature": _("Temperature"),
    "infill": _("Infill"),
    "supports": _("Supports"),
    "filament": _("Filament"),
    "tool": _("Tool"),
    "feed": _("Feed rate"),
    "spindle": _("Spindle speed"),
    "depth": _("Depth"),
    "depth_per_pass": _("Depth per pass"),
    "blade": _("Blade"),
    "force": _("Force"),
    "hoop": _("Hoop"),
    "colours": _("Colours"),
    "colors": _("Colours"),
    "stitches": _("Stitches"),
    "material": _("Material"),
    "file": _("File"),
    "duration": _("Duration"),
}


def parameter_label(name) -> str:
    """The translated label of a known parameter name ("Layer-Height" and "layer height" too);
    any other name as it is."""
    key = "_".join(str(name).strip().lower().replace("-", " ").split())
    label = PARAMETER_LABELS.get(key)
    return str(label) if label is not None else str(name)
