from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CarnetImage(AbstractImage):
    """Every photo in Carnet: covers, steps, journal entries."""

    admin_form_fields = Image.admin_form_fields


class CarnetRendition(AbstractRendition):
    image = models.ForeignKey(CarnetImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
