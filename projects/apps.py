from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from . import (
            cache,  # noqa: F401 - purges the proxy cache when a project is published
            visibility,  # noqa: F401 - registers the visibility rules of its types
        )
