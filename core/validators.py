"""Checks on what members upload, with messages a member understands."""

import contextlib
import warnings
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

# Phones send HEIC; Pillow reads it only through pillow_heif's opener.
register_heif_opener()

# What a photo may be, as Pillow names the formats. Everything else (TIFF, BMP, PSD, ICO…) is
# refused before its pixels are decoded: a browser could not show it, nor Wagtail resize it.
# MPO: the multi-picture JPEG some phones write.
ACCEPTED_IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "GIF", "WEBP", "HEIF", "AVIF"})

# Formats whose animations are stored (core.image_files); of the others (a HEIC burst, the
# second picture of an MPO), only the first picture is decoded and kept.
ANIMATED_FORMATS = frozenset({"GIF", "PNG", "WEBP"})


def validate_upload_size(file) -> None:
    limit = settings.CARNET_MAX_UPLOAD_SIZE
    if file.size > limit:
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def _too_large() -> ValidationError:
    return ValidationError(
        _("This image is too large to process. Please send a smaller version."),
        code="image_too_many_pixels",
    )


def _check_pixels(image: Image.Image) -> None:
    max_pixels = settings.CARNET_MAX_IMAGE_PIXELS
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
    # Every frame of an animation is decoded: their pixels count together.
    if width * height * _frame_count(image) > max_pixels:
        raise _too_large()


def _frame_count(image: Image.Image) -> int:
    return getattr(image, "n_frames", 1) if image.format in ANIMATED_FORMATS else 1


def _check_format(image: Image.Image) -> None:
    if image.format not in ACCEPTED_IMAGE_FORMATS:
        raise ValidationError(
            _(
                "This image is a %(format)s file, which web pages cannot show. "
                "Please send a JPEG, PNG, GIF, WebP, HEIC or AVIF."
            )
            % {"format": image.format},
            code="image_format_not_accepted",
        )


@contextlib.contextmanager
def opened_image_upload(file) -> Iterator[Image.Image]:
    """Yield the uploaded image with every frame decoded, once it passed every check.

    Decoding everything (not only Pillow's `verify()`) is what catches a truncated or corrupt
    file here, as a form error, rather than later as a broken page. The file is rewound after.
    """
    validate_upload_size(file)
    position = file.tell() if hasattr(file, "tell") else 0
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                image = Image.open(file)
            except UnidentifiedImageError as exc:
                raise ValidationError(
                    _(
                        "This file is not an image we can read. "
                        "Please send a JPEG, PNG, WebP or HEIC."
                    ),
                    code="not_an_image",
                ) from exc
            with image:
                _check_format(image)
                _check_pixels(image)
                for index in range(_frame_count(image)):
                    image.seek(index)
                    image.load()
                image.seek(0)
                yield image
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large() from exc
    except Exception as exc:
        # A malformed file can make Pillow's decoders raise almost anything (OSError,
        # SyntaxError, struct.error, IndexError…): whatever it is, the file cannot be stored.
        raise ValidationError(
            _(
                "This image is damaged or incomplete (perhaps cut short while sending). "
                "Please send it again, or another copy of it."
            ),
            code="not_an_image",
        ) from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(position)


def validate_image_upload(file) -> None:
    """Refuse oversized files, non-images, formats pages cannot show, broken images and
    decompression bombs. A file already stored (a model's full_clean() sees the avatar a member
    keeps) was checked when it came in: an old unreadable one must not block other changes."""
    if getattr(file, "_committed", False):
        return
    with opened_image_upload(file):
        pass
