"""UploadTooLargeMiddleware: a clear 413 before reading a body far over the upload limit."""

import pytest

from users.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/markdown/preview/"


def test_huge_content_length_gets_a_413_page_naming_the_limit(client, settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
    response = client.post(
        URL,
        data=b"text=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(10**12),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 413
    assert "20 MB" in response.content.decode()


def test_real_body_over_five_times_the_limit_gets_a_413(client, settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 1024
    response = client.post(URL, {"text": "x" * 6000})
    assert response.status_code == 413


def test_body_under_the_threshold_reaches_the_view(client, settings):
    settings.CARNET_MAX_UPLOAD_SIZE = 1024
    client.force_login(UserFactory())  # the preview is for members
    response = client.post(URL, {"text": "x" * 4000})
    assert response.status_code == 200


def test_malformed_content_length_is_not_a_server_error(client):
    response = client.get("/markdown/preview/", CONTENT_LENGTH="lots")
    assert response.status_code == 405
