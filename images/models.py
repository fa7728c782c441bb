import logging

from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL.Image import DecompressionBombError
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Filter,
    Image,
    SourceImageIOError,
)

logger = logging.getLogger(__name__)


class CarnetImage(AbstractImage):
    """Every photo in Carnet: covers, steps, journal entries, machines, tribe logos.

    A photo is exactly as visible as what uses it, file and renditions included, and private
    when nothing does (visibility.policy). A project's photos are deleted with it, stored files
    too, so none outlives the project's privacy.
    """

    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    # Where the member placed the photo among those shown with it (a journal entry's photos;
    # a step keeps its own order). The caption is Wagtail's `description`, also the alt text.
    position = models.PositiveIntegerField(_("position"), default=0)

    admin_form_fields = Image.admin_form_fields

    def get_rendition(self, filter: Filter | str) -> AbstractRendition:
        """Wagtail's, except that a rendition found among those prefetched with the image is
        returned as it is: Wagtail writes every rendition it returns back into the cache, a
        pickle per `{% image %}` tag, which pages that prefetch renditions never read."""
        if self._get_prefetched_renditions() is not None:
            spec = Filter(spec=filter) if isinstance(filter, str) else filter
            try:
                return self.find_existing_rendition(self.clean_filter_for_svg(spec))
            except self.get_rendition_model().DoesNotExist:
                pass  # not made yet: Wagtail makes it, and stores it in the cache
        return super().get_rendition(filter)

    def generate_rendition_file(self, filter, *, source=None):
        """A stored file that cannot be rendered (a format Wagtail cannot write, truncated,
        corrupt) raises SourceImageIOError, as a missing file does: Wagtail's tags, its API and
        the admin then show no picture instead of failing the whole page."""
        try:
            return super().generate_rendition_file(filter, source=source)
        except (SourceImageIOError, InvalidFilterSpecError):
            raise  # already what callers expect; a bad filter spec is a template's bug
        except (OSError, ValueError, SyntaxError, LookupError, DecompressionBombError) as exc:
            logger.warning("Image %s (%s) cannot be rendered: %r", self.pk, self.file.name, exc)
            raise SourceImageIOError(str(exc)) from exc

    class Meta(AbstractImage.Meta):
        # Every list of photos comes in the order the member gave, prefetched ones included.
        ordering = ["position", "pk"]
        # The media view finds a file's owner by its path.
        indexes = [models.Index(fields=["file"])]


class CarnetRendition(AbstractRendition):
    image = models.ForeignKey(CarnetImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        indexes = [models.Index(fields=["file"])]
