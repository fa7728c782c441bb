import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Models and services are called directly here: messages are compared with the English
    source."""
    with translation.override("en"):
        yield
