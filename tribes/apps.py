from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TribesConfig(AppConfig):
    name = "tribes"
    verbose_name = _("Tribes")

    def ready(self):
        from . import (
            cache,  # noqa: F401 - purges the proxy cache when a tribe is published
            visibility,  # noqa: F401 - registers the visibility rules of its types
        )
