"""Writing the home page outside the admin (the demo loader, scripts)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.pages import publish_page
from showcases.models import ShowcasePage

from .models import HomePage


@transaction.atomic
def home_featured_showcase_set(*, user, showcase: ShowcasePage | None) -> HomePage:
    """Put `showcase` at the top of the home page (None: the latest showcase, automatically)."""
    if showcase is not None and not showcase.live:
        raise ValidationError(
            {"featured_showcase": _("Only a published showcase can be featured.")}
        )
    home = HomePage.objects.get().get_latest_revision_as_object()
    home.featured_showcase = showcase
    return publish_page(home, user=user)
