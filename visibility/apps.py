from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisibilityConfig(AppConfig):
    name = "visibility"
    verbose_name = _("Visibility")
