"""Browser tests: Carnet served by uvicorn (ASGI, so the live screens stream) in a thread of
the test process, driven by Debian's Chromium through Playwright.

The server thread and the test share one database:
- on PostgreSQL, the test database itself; `transactional_db` commits what the test writes;
- on SQLite, pytest-django's test database lives in memory, where SQLite locks whole tables
  between connections; it is copied to a file in write-ahead-log mode for the test, so the
  server's threads and the test read and write it like any two processes would.

Playwright's synchronous API keeps an event loop running in the test's thread, where Django
refuses database calls; the test reaches the database through `orm`, a worker thread."""

import os
import shutil
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

from tests.real_services import unavailable, uvicorn_serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A phone held by a member next to the machine, and the tablet fixed beside it.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
# English, so assertions quote Carnet's source strings.
ENGLISH = {"locale": "en-GB", "extra_http_headers": {"Accept-Language": "en"}}
SCREENSHOTS_DIR = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def shared_database(transactional_db, django_db_serialized_rollback, tmp_path):
    """The test database, reachable from the server's threads (see the module docstring).
    What the migrations wrote (the page tree, the site) is restored before and after, as for
    every test that commits (tests/conftest.py)."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection  # kept open: closing it would drop the in-memory database
    path = tmp_path / "carnet.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    # Every thread's connection reads this same settings dictionary when it connects.
    in_memory_name = connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = in_memory_name
        connection.connection = memory


@pytest.fixture
def orm(shared_database):
    """Run `orm(function, *args)` in a worker thread with its own database connection."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orm")

    def run(function, *args, **kwargs):
        return executor.submit(function, *args, **kwargs).result(timeout=30)

    yield run
    executor.submit(connections.close_all).result(timeout=30)
    executor.shutdown()


@pytest.fixture
def server_connections(shared_database):
    """The database connections opened outside the test's thread (by the server's threads),
    as (thread name, connection); all closed at the end, since PostgreSQL cannot drop the test
    database while they are open."""
    opened = []

    def keep(sender, connection, **kwargs):
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            opened.append((thread.name, connection))

    connection_created.connect(keep, weak=False)
    try:
        yield opened
    finally:
        connection_created.disconnect(keep)
        for _thread, connection in opened:
            connection.inc_thread_sharing()
            connection.close()


@pytest.fixture
def live_url(server_connections):
    """The base URL of Carnet under uvicorn, in a thread, on a free port; static files served
    by Django's handler (the test settings have DEBUG off)."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from docs_platform.asgi import application

    if not isinstance(application, ASGIStaticFilesHandler):
        application = ASGIStaticFilesHandler(application)

    with uvicorn_serving(application) as url:
        yield url


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        unavailable("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, "kiosk.png")` writes docs/screenshots/kiosk.png, only when
    CARNET_SCREENSHOTS=1, so ordinary runs leave the committed pictures alone. Keyword
    arguments go to Playwright's `page.screenshot` (`full_page=True`…)."""

    def take(page, name: str, **options) -> None:
        if os.environ.get("CARNET_SCREENSHOTS") == "1":
            page.screenshot(path=SCREENSHOTS_DIR / name, **options)

    return take
