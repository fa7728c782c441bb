from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CarnetImage(AbstractImage):
    """Every photo in Carnet: covers, steps, journal entries, machines, tribe logos.

    A photo that belongs to a project is exactly as visible as that project, file included;
    a photo with no project (a tribe logo, a machine) is public.
    """

    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        # The media view finds a file's owner by its path.
        indexes = [models.Index(fields=["file"])]


class CarnetRendition(AbstractRendition):
    image = models.ForeignKey(CarnetImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        indexes = [models.Index(fields=["file"])]
