"""Upload checks: size, real image, a format pages can show, decoded whole, pixel count and
Pillow's decompression-bomb guard."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from core.validators import validate_image_upload, validate_upload_size
from tests.helpers import image_bytes, image_upload, text_upload
from tests.images.photos import animated_gif, photo_bytes, plain_bytes, truncated_jpeg, upload


def _code(excinfo) -> str:
    return excinfo.value.error_list[0].code


def test_file_over_the_limit_is_refused_with_both_sizes_in_the_message(settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 2048
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_upload_size(text_upload(content=b"x" * 3072))
    assert _code(excinfo) == "file_too_large"
    message = excinfo.value.messages[0]
    assert "3.0\xa0KB" in message  # the file's size and the limit, as filesizeformat writes them
    assert "2.0\xa0KB" in message


def test_file_at_the_limit_is_accepted(settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 1024
    validate_upload_size(text_upload(content=b"x" * 1024))


def test_small_png_is_accepted_and_left_ready_to_read():
    upload = image_upload()
    validate_image_upload(upload)
    assert upload.tell() == 0
    assert upload.read() == image_bytes()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP", "GIF"])
def test_common_photo_formats_are_accepted(image_format):
    validate_image_upload(image_upload(f"photo.{image_format.lower()}", image_format=image_format))


@pytest.mark.parametrize("image_format", ["HEIF", "AVIF"])
def test_phone_formats_are_accepted(image_format):
    validate_image_upload(upload("IMG_0001.HEIC", photo_bytes(image_format)))


@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        ("TIFF", {}),
        ("BMP", {}),
        ("ICO", {}),
        ("PPM", {}),
        ("TGA", {}),
        ("PCX", {}),
        ("JPEG2000", {}),
        ("TIFF", {"compression": "tiff_deflate"}),
    ],
)
def test_image_formats_pages_cannot_show_are_refused_by_name(image_format, options):
    data = plain_bytes(image_format, **options)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_image_upload(upload("photo.jpg", data))  # the name does not matter
    assert _code(excinfo) == "image_format_not_accepted"
    message = excinfo.value.messages[0]
    assert "JPEG, PNG, GIF, WebP, HEIC or AVIF" in message
    assert Image.open(upload("x", data)).format in message


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(text_upload("photo.jpg", b"not a picture at all"))
    assert _code(excinfo) == "not_an_image"


def test_truncated_image_is_refused():
    data = image_bytes(size=(64, 64))
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(text_upload("broken.png", data[: len(data) // 2]))
    assert _code(excinfo) == "not_an_image"


def _damaged(image_format: str, cut) -> bytes:
    if image_format == "HEIF":  # written by pillow_heif
        return cut(photo_bytes(image_format))
    return cut(image_bytes(size=(128, 96), image_format=image_format))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF", "HEIF"])
@pytest.mark.parametrize(
    "cut",
    [
        lambda data: data[: len(data) * 2 // 3],  # cut short while sending
        lambda data: data[:40] + bytes(len(data) - 80) + data[-40:],  # header whole, body gone
    ],
    ids=["truncated", "zeroed"],
)
def test_damaged_images_whose_header_is_whole_are_refused(image_format, cut):
    data = _damaged(image_format, cut)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_image_upload(upload(f"broken.{image_format.lower()}", data))
    assert _code(excinfo) == "not_an_image"


def test_truncated_jpeg_that_pillow_verify_accepts_is_refused_with_a_clear_message():
    data = truncated_jpeg()
    Image.open(upload("cut.jpg", data)).verify()  # what the old check did: it passes
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_image_upload(upload("cut.jpg", data))
    assert "damaged or incomplete" in excinfo.value.messages[0]


def test_every_frame_of_an_animation_is_decoded_and_counted(settings):
    validate_image_upload(upload("spin.gif", animated_gif()))
    settings.CARNET_MAX_IMAGE_PIXELS = 12 * 12 * 2  # one frame fits, three do not
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(upload("spin.gif", animated_gif()))
    assert _code(excinfo) == "image_too_many_pixels"


def test_oversized_image_is_refused_before_reading_it(settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(image_upload(size=(64, 64)))
    assert _code(excinfo) == "file_too_large"


def test_image_over_carnet_pixel_limit_is_refused(settings):
    settings.CARNET_MAX_IMAGE_PIXELS = 100
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(image_upload(size=(20, 20)))
    assert _code(excinfo) == "image_too_many_pixels"
    assert "20×20" in excinfo.value.messages[0]


def test_pillow_decompression_bomb_error_is_refused(monkeypatch):
    # Over twice Pillow's limit, Image.open raises DecompressionBombError.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(image_upload(size=(20, 20)))
    assert _code(excinfo) == "image_too_many_pixels"


def test_pillow_decompression_bomb_warning_is_refused(monkeypatch):
    # Between the limit and twice the limit, Pillow only warns: the warning must refuse too.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50)
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(image_upload(size=(10, 8)))
    assert _code(excinfo) == "image_too_many_pixels"


def test_refusals_speak_french_first():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as excinfo:
            validate_image_upload(upload("scan.tif", plain_bytes("TIFF")))
        assert "fichier TIFF" in excinfo.value.messages[0]
        with pytest.raises(ValidationError) as excinfo:
            validate_image_upload(upload("cut.jpg", truncated_jpeg()))
        assert "abîmée ou incomplète" in excinfo.value.messages[0]


def test_only_the_kept_picture_of_a_phone_multi_picture_file_counts(settings):
    # An MPO (main photo + a second picture) keeps only its main photo: only that one counts.
    buffer = io.BytesIO()
    main = Image.new("RGB", (40, 30), "teal")
    main.save(buffer, format="MPO", save_all=True, append_images=[Image.new("RGB", (40, 30))])
    settings.CARNET_MAX_IMAGE_PIXELS = 40 * 30
    validate_image_upload(upload("IMG.jpg", buffer.getvalue()))
