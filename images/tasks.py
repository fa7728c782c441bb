"""Renditions made by the task worker once a photo is uploaded, so that the first visitor of a
page does not wait for them (about half a second each for a 12-megapixel photo)."""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def image_renditions_task(image_id: int, specs: list[str]) -> str:
    """Make the renditions `specs` of one image. An image deleted since is skipped; one that
    cannot be rendered is logged (its pages show no picture, images.templatetags)."""
    made = services.image_renditions_make(image_id=image_id, specs=specs)
    return f"{made} renditions made"
