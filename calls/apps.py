from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls for projects")

    def ready(self):
        from . import (
            cache,  # noqa: F401 - purges the proxy cache when a call is published
            signals,  # noqa: F401 - connects the moderation workflow's outcomes
            visibility,  # noqa: F401 - registers the visibility rules of its types
        )
