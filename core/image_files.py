"""Turn an uploaded photo into the bytes Carnet stores: the pixels, turned the right way up, with
their colour profile, and nothing else.

Photos from phones carry where they were taken (GPS), the camera's serial number, the owner's
name, XMP/IPTC, maker notes and comments; members include children, and many photos are public.
Re-encoding from the decoded pixels keeps none of it, whatever the format hid it in. HEIC (most
browsers cannot show it) and AVIF (seconds to re-encode) become JPEG, or PNG when transparent.
Lives in core, not in images/, because avatars (users/, below images/) go through it too.
"""

import enum
import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageSequence, JpegImagePlugin

from core.validators import ANIMATED_FORMATS, opened_image_upload

JPEG_QUALITY = 90
WEBP_QUALITY = 90
# Formats kept as they are (re-encoded); the others are converted.
_KEPT_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# Pillow reads multi-picture JPEGs from phones (a second picture for depth, say) as MPO.
_JPEG_FORMATS = {"JPEG", "MPO"}
# What Pillow reads from a file Carnet wrote: how to draw it, nothing about who or where.
_HARMLESS_INFO = {
    *("jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe", "adobe_transform"),
    *("progressive", "progression", "icc_profile", "transparency", "gamma", "srgb"),
    *("chromaticity", "aspect", "version", "background", "loop", "duration", "extension"),
    *("timestamp", "interlace"),
}
_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
_ORIENTATION = 0x0112
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}
# EXIF orientation → the turn that shows the photo upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info


def _output_format(image: Image.Image) -> str:
    if image.format in _KEPT_FORMATS:
        return image.format
    if image.format in _JPEG_FORMATS:
        return "JPEG"
    return "PNG" if _has_alpha(image) else "JPEG"


def _bare_copy(frame: Image.Image, *, orientation: int) -> Image.Image:
    """The frame's pixels, turned as its EXIF orientation says, with no metadata left."""
    transparency = frame.info.get("transparency")
    method = _TRANSPOSE.get(orientation)
    copy = frame.transpose(method) if method is not None else frame.copy()
    copy.info = {} if transparency is None else {"transparency": transparency}
    return copy


def _jpeg_options(source: Image.Image) -> dict:
    if source.format not in _JPEG_FORMATS:
        return {"quality": JPEG_QUALITY}
    # The original's own quantisation tables: as close to the original as re-encoding gets.
    options = {"qtables": source.quantization}
    sampling = JpegImagePlugin.get_sampling(source)
    if sampling != -1:
        options["subsampling"] = sampling
    return options


def _encode(source: Image.Image, output_format: str) -> bytes:
    orientation = source.getexif().get(_ORIENTATION, 1)
    options: dict = {}
    if icc_profile := source.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    if source.format in ANIMATED_FORMATS and getattr(source, "n_frames", 1) > 1:
        if "loop" in source.info:  # absent: the animation plays once
            options["loop"] = source.info["loop"]
        frames, durations = [], []
        for frame in ImageSequence.Iterator(source):
            durations.append(frame.info.get("duration", 0))
            frames.append(_bare_copy(frame, orientation=orientation))
        options.update(save_all=True, append_images=frames[1:], duration=durations)
        first = frames[0]
    else:
        first = _bare_copy(source, orientation=orientation)
    if output_format == "JPEG":
        options.update(_jpeg_options(source))
        if first.mode not in {"L", "RGB", "CMYK"}:
            first = first.convert("RGB")
    elif output_format == "WEBP":
        options["quality"] = WEBP_QUALITY
        if first.mode not in {"RGB", "RGBA"}:
            first = first.convert("RGBA" if _has_alpha(first) else "RGB")
    elif output_format == "PNG" and first.mode not in _PNG_MODES:
        first = first.convert("RGBA" if _has_alpha(first) else "RGB")
    buffer = io.BytesIO()
    first.save(buffer, format=output_format, **options)
    return buffer.getvalue()


def clean_image_upload(file, *, name: str = "") -> ContentFile:
    """The photo to store for `file`: checked like every upload (core.validators, whose
    ValidationError it raises), fully decoded, metadata removed, orientation applied.

    Idempotent: cleaning a cleaned photo gives the same picture."""
    with opened_image_upload(file) as image:
        output_format = _output_format(image)
        data = _encode(image, output_format)
    stem = PurePath(name or getattr(file, "name", "") or "photo").stem or "photo"
    return ContentFile(data, name=stem + _EXTENSIONS[output_format])


def image_is_clean(file) -> bool:
    """Whether `file` is already as Carnet stores it: a kept format, no metadata, upright.

    Raises core.validators' ValidationError when the file is not an image Carnet accepts."""
    with opened_image_upload(file) as image:
        return (
            image.format in _KEPT_FORMATS
            and not image.getexif()
            and set(image.info) <= _HARMLESS_INFO
        )


class StoredImageOutcome(enum.StrEnum):
    CLEANED = "cleaned"
    ALREADY_CLEAN = "already clean"
    UNREADABLE = "unreadable"
    MISSING = "missing"


def stored_file_clean(field_file) -> tuple[StoredImageOutcome, str]:
    """Rewrite a stored photo (an image's original, an avatar) as core.image_files would store
    it; the new file replaces the old one, whose name is returned for deletion after saving."""
    name = field_file.name
    try:
        with field_file.storage.open(name, "rb") as stored:
            data = ContentFile(stored.read(), name=PurePath(name).name)
    except OSError:
        return StoredImageOutcome.MISSING, ""
    try:
        if image_is_clean(data):
            return StoredImageOutcome.ALREADY_CLEAN, ""
        cleaned = clean_image_upload(data)
    except ValidationError:
        return StoredImageOutcome.UNREADABLE, ""
    field_file.save(cleaned.name, cleaned, save=False)
    return StoredImageOutcome.CLEANED, name
