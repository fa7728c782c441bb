"""Checks on what members upload, with messages a member understands."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def validate_upload_size(file) -> None:
    limit = settings.CARNET_MAX_UPLOAD_SIZE
    if file.size > limit:
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def validate_image_upload(file) -> None:
    """Refuse oversized files, non-images, broken images and decompression bombs."""
    validate_upload_size(file)
    max_pixels = settings.CARNET_MAX_IMAGE_PIXELS
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _(
                            "This image is %(width)s×%(height)s pixels, too large to process. "
                            "Please send a smaller version (at most %(mpx)s megapixels)."
                        )
                        % {"width": width, "height": height, "mpx": max_pixels // 1_000_000},
                        code="image_too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("This image is too large to process. Please send a smaller version."),
            code="image_too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Please send a JPEG, PNG, WebP or HEIC."),
            code="not_an_image",
        ) from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(position)
