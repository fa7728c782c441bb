"""Tests that drive real servers (Mosquitto, OctoPrint, Chromium) start them themselves.

When one cannot be found or started, the test is skipped with the reason on a developer's
machine, and fails in CI, where `.ci/run` installs them and sets CARNET_REQUIRE_SERVICES=1:
nothing is skipped silently."""

import os
import socket

import pytest


def services_required() -> bool:
    return os.environ.get("CARNET_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    """Skip (or, in CI, fail) the current test because a real server is missing."""
    if services_required():
        pytest.fail(f"required server unavailable: {reason}")
    pytest.skip(f"skipped: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
