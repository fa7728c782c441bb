from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcasesConfig(AppConfig):
    name = "showcases"
    verbose_name = _("Showcases")

    def ready(self):
        from . import (
            cache,  # noqa: F401 - purges the proxy cache when a showcase is published
            visibility,  # noqa: F401 - registers the visibility rules of its types
        )
