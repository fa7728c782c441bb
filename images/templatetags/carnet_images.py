"""`{% image %}` for Carnet's templates: Wagtail's tag, except that a stored photo which cannot
be rendered (missing, truncated, in a format Wagtail cannot write) shows no picture, logged,
instead of failing the page for every visitor. Templates load this library, never
`wagtailimages_tags` (tests/images/test_templatetags.py checks it)."""

import logging
from functools import cached_property

from django import template
from wagtail.images.models import SourceImageIOError
from wagtail.images.templatetags import wagtailimages_tags

logger = logging.getLogger(__name__)
register = template.Library()


class ImageNode(wagtailimages_tags.ImageNode):
    @cached_property
    def filter(self):
        # The tag's specs are fixed: parse them once per template, not once per photo shown.
        return super().get_filter()

    def get_filter(self):
        return self.filter

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        try:
            # CarnetImage turns any failure to render into SourceImageIOError (images.models).
            rendition = image.get_rendition(self.get_filter())
        except SourceImageIOError as exc:
            logger.warning("No picture for image %s: %s", image.pk, exc)
            if self.output_var_name:
                context[self.output_var_name] = None
            return ""
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return rendition.img_tag(attrs)


@register.tag
def image(parser, token):
    """{% image photo fill-320x240 [attr=value …] %} or {% image photo width-1200 as large %}
    (then `large` is None when there is no picture to show)."""
    node = wagtailimages_tags.image(parser, token)
    return ImageNode(
        node.image_expr,
        node.filter_specs,
        output_var_name=node.output_var_name,
        attrs=node.attrs,
    )
