"""Tests that drive real servers (Mosquitto, OctoPrint, Chromium) start them themselves.

When one cannot be found or started, the test is skipped with the reason on a developer's
machine, and fails in CI, where `.ci/run` installs them and sets CARNET_REQUIRE_SERVICES=1:
nothing is skipped silently."""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def uvicorn_serving(application) -> Iterator[str]:
    """Serve `application` with uvicorn (ASGI, as documented for production) in a thread of the
    test process, on a free port of 127.0.0.1; yields its base URL, stops it on leaving."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            application,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


NGINX_SITE_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "carnet.conf"


def nginx_site_config(
    *, carnet: str, port: int, purge_port: int, cache_dir: Path, static_dir: Path, media_dir: Path
) -> str:
    """deploy/nginx/carnet.conf with a local run's Carnet address (host:port), ports and folders,
    each replaced exactly where the file has it: a change there fails the test and the bench
    instead of measuring something else. TLS is left out (loopback)."""
    text = NGINX_SITE_CONFIG.read_text()
    replacements = {
        "/var/cache/nginx/carnet": str(cache_dir),
        "server 127.0.0.1:8000;": f"server {carnet};",
        "listen 443 ssl;": f"listen 127.0.0.1:{port};",
        "    ssl_certificate /etc/letsencrypt/live/carnet.example.org/fullchain.pem;\n": "",
        "    ssl_certificate_key /etc/letsencrypt/live/carnet.example.org/privkey.pem;\n": "",
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{purge_port};",
        "/srv/carnet/app/staticfiles/": f"{static_dir}/",
        "/srv/carnet/media/": f"{media_dir}/",
    }
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise ValueError(f"{NGINX_SITE_CONFIG.name} no longer holds {old!r} once")
        text = text.replace(old, new)
    return text
