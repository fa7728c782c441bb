from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MachinesConfig(AppConfig):
    name = "machines"
    verbose_name = _("Machines and materials")

    def ready(self):
        from . import visibility  # noqa: F401 - registers the visibility rules of its types
