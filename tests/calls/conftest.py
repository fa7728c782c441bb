import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Services are called directly here: their messages are compared with the English source."""
    with translation.override("en"):
        yield
