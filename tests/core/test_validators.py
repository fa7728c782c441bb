"""Upload checks: size, real image, pixel count and Pillow's decompression-bomb guard."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from core.validators import validate_image_upload, validate_upload_size
from tests.helpers import image_bytes, image_upload, text_upload


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


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(text_upload("photo.jpg", b"not a picture at all"))
    assert _code(excinfo) == "not_an_image"


def test_truncated_image_is_refused():
    data = image_bytes(size=(64, 64))
    with pytest.raises(ValidationError) as excinfo:
        validate_image_upload(text_upload("broken.png", data[: len(data) // 2]))
    assert _code(excinfo) == "not_an_image"


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
