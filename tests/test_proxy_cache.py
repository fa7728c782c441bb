"""The repository's nginx configuration (deploy/nginx/carnet.conf) in front of Carnet, both real:
anonymous pages are served from the cache, a change purges them at once, members never meet
the cache. nginx and Debian's libnginx-mod-http-cache-purge are installed by .ci/run; elsewhere
the test is skipped with the reason (tests/real_services.py)."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client, override_settings

from projects import services
from projects.factories import ProjectPageFactory
from tests.machines.conftest import database_for_threads  # noqa: F401 - a fixture
from tests.real_services import free_port, nginx_site_config, unavailable, uvicorn_serving
from users.factories import UserFactory

PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
# What the site's pages are purged as: the default Wagtail site (localhost, port 80).
HOST = {"Host": "localhost"}


def nginx_main_config(tmp: Path) -> str:
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return f"""load_module {PURGE_MODULE};
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_paths}
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/carnet.conf;
}}
"""


@pytest.fixture
def nginx_in_front(database_for_threads, tmp_path):  # noqa: F811 - the imported fixture
    """Carnet under uvicorn, nginx with the repository's configuration before it, and Carnet's
    purges sent to that nginx; yields (nginx's base URL)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or not PURGE_MODULE.exists():
        unavailable("nginx and libnginx-mod-http-cache-purge are not installed")
    from docs_platform.asgi import application

    port, purge_port = free_port(), free_port()
    with uvicorn_serving(application) as carnet_url:
        (tmp_path / "carnet.conf").write_text(
            nginx_site_config(
                carnet=carnet_url.removeprefix("http://"),
                port=port,
                purge_port=purge_port,
                cache_dir=tmp_path / "cache",
                static_dir=tmp_path / "static",
                media_dir=Path(settings.MEDIA_ROOT),
            )
        )
        (tmp_path / "nginx.conf").write_text(nginx_main_config(tmp_path))
        process = subprocess.Popen(  # noqa: S603 - nginx, with the test's own files
            [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    requests.get(f"{base_url}/static/", timeout=1)
                    break
                except requests.ConnectionError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
                    time.sleep(0.05)
            backend = {
                "BACKEND": "core.frontend_cache.NginxPurgeBackend",
                "LOCATION": f"http://127.0.0.1:{purge_port}",
            }
            with override_settings(WAGTAILFRONTENDCACHE={"nginx": backend}):
                yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_anonymous_pages_are_cached_purged_on_change_and_members_bypass_the_cache(
    nginx_in_front, caplog
):
    owner = UserFactory(username="marie", display_name="Marie Curie")
    project = ProjectPageFactory(slug="lampe", title="Lampe de chevet", owner=owner)
    page = f"{nginx_in_front}/projects/lampe/"

    def get(**headers):
        return requests.get(page, headers={**HOST, "Accept-Language": "en", **headers}, timeout=10)

    first, second = get(), get()
    assert first.status_code == 200 and "Lampe de chevet" in first.text
    assert first.headers["X-Cache-Status"] == "MISS"
    assert "Set-Cookie" not in first.headers
    assert second.headers["X-Cache-Status"] == "HIT"
    # Each language is kept on its own: French asked, French served.
    french = get(**{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    assert french.headers["X-Cache-Status"] == "MISS"
    assert french.headers["Content-Language"] == "fr"
    assert get(**{"Accept-Language": "de, en;q=0.5"}).headers["X-Cache-Status"] == "HIT"

    # A journal entry written through the service: the next anonymous visit shows it.
    services.journal_entry_create(
        project=project, author=owner, kind="trial", title="Essai au laser", body="60 %."
    )
    written = time.monotonic()
    while "Essai au laser" not in get().text:
        assert time.monotonic() - written < 1, "the entry is not shown through the cache"
        time.sleep(0.05)
    assert get().headers["X-Cache-Status"] == "HIT"
    assert "Essai au laser" in get(**{"Accept-Language": "fr"}).text
    # Addresses nobody had asked for yet (the entry's page) are purged without an error.
    assert not [r for r in caplog.records if r.name == "wagtail.frontendcache" and r.levelno >= 40]

    # A member's visit never comes from the cache, and never goes into it.
    client = Client()
    client.force_login(owner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    for _ in range(2):
        member = get(Cookie=f"{settings.SESSION_COOKIE_NAME}={session}")
        assert member.headers["X-Cache-Status"] == "BYPASS"
        assert "/accounts/logout/" in member.text
    anonymous = get()
    assert anonymous.headers["X-Cache-Status"] == "HIT"
    assert "/accounts/logout/" not in anonymous.text
