from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TribesConfig(AppConfig):
    name = "tribes"
    verbose_name = _("Tribes")
