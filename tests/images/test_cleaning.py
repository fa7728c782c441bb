"""What Carnet stores for an uploaded photo (core.image_files): upright, colour profile kept,
and nothing that says where it was taken or by whom, whatever the format hid it in."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from core.image_files import clean_image_upload, image_is_clean
from tests.images.photos import (
    ICC_PROFILE,
    RED,
    SIZE,
    animated_gif,
    assert_no_metadata,
    is_blue,
    is_red,
    photo_bytes,
    photo_upload,
    plain_bytes,
    truncated_jpeg,
    upload,
)

# Format written → (format stored, file extension stored).
FORMATS = {
    "JPEG": ("JPEG", ".jpg"),
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
    "HEIF": ("JPEG", ".jpg"),  # browsers other than Safari cannot show HEIC
    "AVIF": ("JPEG", ".jpg"),
}


def _open(cleaned) -> Image.Image:
    cleaned.seek(0)
    return Image.open(io.BytesIO(cleaned.read()))


@pytest.mark.parametrize("image_format", FORMATS)
def test_location_and_identifying_metadata_are_removed(image_format):
    source = photo_bytes(image_format)
    with Image.open(io.BytesIO(source)) as original:  # the test file does carry them
        assert original.getexif().get_ifd(0x8825)
    cleaned = clean_image_upload(upload("photo", source))
    assert_no_metadata(cleaned.read())


@pytest.mark.parametrize("image_format", FORMATS)
def test_format_and_name_are_what_browsers_show(image_format):
    stored_format, extension = FORMATS[image_format]
    cleaned = clean_image_upload(upload("IMG_0042.HEIC", photo_bytes(image_format)))
    assert cleaned.name == "IMG_0042" + extension
    with _open(cleaned) as image:
        assert image.format == stored_format


@pytest.mark.parametrize("image_format", FORMATS)
def test_colour_profile_is_kept(image_format):
    with _open(clean_image_upload(upload("p", photo_bytes(image_format)))) as image:
        assert image.info.get("icc_profile") == ICC_PROFILE


# EXIF orientation → where the left (red) half of the photo as taken must end up.
ORIENTATIONS = {1: "left", 3: "right", 6: "top", 8: "bottom"}


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "HEIF", "AVIF"])
@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_orientation_is_applied_before_it_is_dropped(image_format, orientation):
    cleaned = clean_image_upload(upload("p", photo_bytes(image_format, orientation=orientation)))
    with _open(cleaned) as image:
        image = image.convert("RGB")
        width, height = image.size
        assert (width, height) == (SIZE if orientation in (1, 3) else SIZE[::-1])
        red_at = {
            "left": (2, height // 2),
            "right": (width - 3, height // 2),
            "top": (width // 2, 2),
            "bottom": (width // 2, height - 3),
        }[ORIENTATIONS[orientation]]
        blue_at = (width - 1 - red_at[0], height - 1 - red_at[1])
        assert is_red(image.getpixel(red_at)), image.getpixel(red_at)
        assert is_blue(image.getpixel(blue_at)), image.getpixel(blue_at)


def test_transparency_survives_and_a_transparent_heic_becomes_png():
    cleaned = clean_image_upload(upload("logo.png", photo_bytes("PNG", mode="RGBA")))
    with _open(cleaned) as image:
        assert image.mode == "RGBA"
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (*RED, 0)).save(buffer, format="HEIF")
    cleaned = clean_image_upload(upload("logo.heic", buffer.getvalue()))
    assert cleaned.name == "logo.png"
    with _open(cleaned) as image:
        assert image.getpixel((5, 5))[3] == 0


def test_animated_gif_keeps_its_frames_and_timing_but_not_its_comment():
    cleaned = clean_image_upload(upload("spin.gif", animated_gif()))
    data = cleaned.read()
    assert b"comment-secret" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == 3
        durations = []
        for index in range(3):
            image.seek(index)
            durations.append(image.info["duration"])
        assert durations == [100, 200, 300]


def test_multi_picture_jpeg_from_a_phone_is_accepted_as_a_jpeg():
    buffer = io.BytesIO()
    first = Image.new("RGB", (16, 16), RED)
    first.save(buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))])
    with Image.open(io.BytesIO(buffer.getvalue())) as written:
        assert written.format == "MPO"
    with _open(clean_image_upload(upload("p.jpg", buffer.getvalue()))) as image:
        assert image.format == "JPEG"
        assert is_red(image.getpixel((8, 8)))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF", "HEIF", "AVIF"])
def test_a_cleaned_photo_is_clean_and_cleaning_again_changes_nothing_that_matters(image_format):
    source = animated_gif() if image_format == "GIF" else photo_bytes(image_format, orientation=6)
    assert not image_is_clean(upload("p", source))
    cleaned = clean_image_upload(upload("p", source))
    assert image_is_clean(cleaned)
    again = clean_image_upload(cleaned)
    with _open(cleaned) as first, _open(again) as second:
        assert (first.format, first.size, first.mode) == (second.format, second.size, second.mode)


def test_a_plain_photo_without_metadata_is_already_clean():
    assert image_is_clean(upload("p.png", plain_bytes("PNG")))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.tiff", plain_bytes("TIFF")),
        ("cut.jpg", truncated_jpeg()),
        ("notes.jpg", b"not a picture"),
    ],
)
def test_what_cannot_be_shown_is_refused_not_stored(name, data):
    with pytest.raises(ValidationError):
        clean_image_upload(upload(name, data))
    with pytest.raises(ValidationError):
        image_is_clean(upload(name, data))


def test_the_upload_is_left_ready_to_read_again():
    photo = photo_upload()
    clean_image_upload(photo)
    assert photo.tell() == 0
    assert photo.read() == photo_bytes()


@pytest.mark.filterwarnings("ignore:.*:UserWarning")  # Pillow notes the corrupt EXIF it skips
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP", "HEIF"])
def test_corrupted_files_give_a_validation_error_or_a_clean_photo_never_a_crash(image_format):
    """Bytes flipped anywhere after the signature, as a bad disk or a hostile sender would."""
    source = animated_gif() if image_format == "GIF" else photo_bytes(image_format)
    rng = random.Random(image_format)  # noqa: S311 - the same corruptions on every run
    for _ in range(40):
        data = bytearray(source)
        for _ in range(6):
            data[rng.randrange(12, len(data))] = rng.randrange(256)
        try:
            cleaned = clean_image_upload(upload("photo", bytes(data)))
        except ValidationError:
            continue
        with _open(cleaned) as image:
            image.load()
