"""Real servers for the machine bridges: a Mosquitto broker and an OctoPrint with its virtual
printer. Each is started once per test session, on a free port, and stopped at the end.
Also a database that threads share, and Carnet itself under uvicorn, for tests of concurrent
events and of what the API reads from a real connection (chunked bodies).

OctoPrint is not a dependency of Carnet: it is installed once in its own virtualenv,
.cache/octoprint-venv (git-ignored), and reused by later runs."""

import fcntl
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.real_services import free_port, unavailable, uvicorn_serving

REPOSITORY = Path(__file__).resolve().parents[2]
OCTOPRINT_VENV = REPOSITORY / ".cache" / "octoprint-venv"
OCTOPRINT_REQUIREMENT = "OctoPrint>=1.11,<1.12"


def wait_for_port(port: int, *, process: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Mosquitto ----------------------------------------------------------------------------------


def mosquitto_binary() -> str | None:
    found = shutil.which("mosquitto")
    if found:
        return found
    return "/usr/sbin/mosquitto" if os.access("/usr/sbin/mosquitto", os.X_OK) else None


class Mosquitto:
    """One Mosquitto broker on 127.0.0.1, anonymous, without persistence."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = mosquitto_binary()
        if binary is None:
            unavailable("mosquitto not installed (apt-get install mosquitto)")
        config = self.directory / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence false\n"
            "log_dest stdout\n"
        )
        log = open(self.directory / "mosquitto.log", "ab")  # noqa: SIM115 (kept by the process)
        self.process = subprocess.Popen(  # noqa: S603 (our own fixed command)
            [binary, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        if not wait_for_port(self.port, process=self.process, timeout=10):
            stop_process(self.process)
            unavailable(f"mosquitto did not start: {self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def log_tail(self) -> str:
        path = self.directory / "mosquitto.log"
        return path.read_text(errors="replace")[-500:] if path.exists() else ""


@pytest.fixture(scope="session")
def mosquitto_broker(tmp_path_factory):
    broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"))
    broker.start()
    yield broker
    broker.stop()


# OctoPrint ----------------------------------------------------------------------------------


def octoprint_venv() -> Path:
    """The path of OctoPrint's virtualenv, built on first use (a few minutes, from PyPI)."""
    python = OCTOPRINT_VENV / "bin" / "python"

    def usable() -> bool:
        if not python.exists():
            return False
        check = subprocess.run(  # noqa: S603 (our own fixed command)
            [python, "-c", "import octoprint"], capture_output=True, timeout=60, check=False
        )
        return check.returncode == 0

    OCTOPRINT_VENV.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs at once must not build it twice.
    with open(OCTOPRINT_VENV.parent / "octoprint-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if usable():
            return OCTOPRINT_VENV
        shutil.rmtree(OCTOPRINT_VENV, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(OCTOPRINT_VENV)],
            [python, "-m", "pip", "install", "--quiet", OCTOPRINT_REQUIREMENT],
        ]
        for step in steps:
            try:
                done = subprocess.run(  # noqa: S603 (our own fixed command)
                    step, capture_output=True, text=True, timeout=900
                )
            except subprocess.TimeoutExpired:
                unavailable(f"installing OctoPrint timed out: {' '.join(map(str, step))}")
            if done.returncode != 0:
                shutil.rmtree(OCTOPRINT_VENV, ignore_errors=True)
                unavailable(
                    f"could not install {OCTOPRINT_REQUIREMENT} (no access to PyPI?): "
                    f"{(done.stderr or done.stdout)[-400:]}"
                )
        if not usable():
            unavailable("OctoPrint was installed but does not import")
    return OCTOPRINT_VENV


def gcode_lasting(seconds: float, *, steps: int = 20) -> str:
    """A small G-code file whose print lasts about `seconds` on the virtual printer (it runs
    moves instantly, but honours G4 dwell pauses)."""
    pause_ms = int(seconds * 1000 / steps)
    lines = ["G28", "G90", "M82", "G92 E0"]
    for step in range(steps):
        lines.append(f"G1 X{10 + step} Y{10 + step} E{step * 0.5:.1f} F3000")
        lines.append(f"G4 P{pause_ms}")
    lines.append("M84")
    return "\n".join(lines) + "\n"


@dataclass
class OctoPrint:
    url: str
    api_key: str
    basedir: Path
    process: subprocess.Popen

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method, f"{self.url}{path}", headers={"X-Api-Key": self.api_key}, timeout=10, **kwargs
        )
        response.raise_for_status()
        return response

    def job(self) -> dict:
        return self.call("GET", "/api/job").json()

    def wait_for(self, condition, *, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"OctoPrint: timed out waiting for {what}")

    def upload(self, name: str, gcode: str) -> None:
        """Upload a file and wait for its analysis, so that its prints know their time left."""
        self.call("POST", "/api/files/local", files={"file": (name, gcode.encode())})
        self.wait_for(
            lambda: self.call("GET", f"/api/files/local/{name}").json().get("gcodeAnalysis"),
            timeout=30,
            what=f"the analysis of {name}",
        )

    def wait_until_idle(self) -> None:
        self.wait_for(
            lambda: self.job()["state"] == "Operational", timeout=30, what="an idle printer"
        )

    def start_print(self, name: str) -> None:
        self.wait_until_idle()
        self.call("POST", f"/api/files/local/{name}", json={"command": "select", "print": True})
        self.wait_for(
            lambda: self.job()["state"] == "Printing", timeout=15, what="the print to start"
        )

    def cancel(self) -> None:
        self.call("POST", "/api/job", json={"command": "cancel"})


def write_octoprint_config(basedir: Path) -> None:
    config = {
        "server": {
            "firstRun": False,
            "onlineCheck": {"enabled": False},
            "pluginBlacklist": {"enabled": False},
            "pythonEolCheck": {"enabled": False},
        },
        "serial": {"port": "VIRTUAL", "baudrate": 115200, "autoconnect": True},
        "plugins": {
            # Nothing that calls home: tracking, update and plugin repository checks, news.
            "_disabled": [
                "tracking",
                "softwareupdate",
                "pluginmanager",
                "announcements",
                "errortracking",
                "discovery",
                "achievements",
            ],
            "virtual_printer": {"enabled": True},
        },
    }
    # JSON is YAML: no YAML library needed on this side.
    (basedir / "config.yaml").write_text(json.dumps(config, indent=2))


@pytest.fixture(scope="session")
def octoprint_server(tmp_path_factory):
    venv = octoprint_venv()
    octoprint = str(venv / "bin" / "octoprint")
    basedir = tmp_path_factory.mktemp("octoprint")
    write_octoprint_config(basedir)
    # A user (OctoPrint hashes the password), then an application key for it, as the
    # Application Keys plugin stores them: no browser, no global API key.
    created = subprocess.run(  # noqa: S603 (our own fixed command)
        [octoprint, "--basedir", str(basedir), "user", "add", "carnet"]
        + ["--password", "carnet-test-password", "--admin"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if created.returncode != 0:
        unavailable(f"octoprint user add failed: {created.stderr[-400:]}")
    api_key = "carnet-test-" + os.urandom(12).hex()
    keys = basedir / "data" / "appkeys" / "keys.yaml"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text(json.dumps({"carnet": [{"app_id": "Carnet", "api_key": api_key}]}))

    port = free_port()
    log = open(basedir / "serve.log", "ab")  # noqa: SIM115 (kept by the process)
    process = subprocess.Popen(  # noqa: S603 (our own fixed command)
        [octoprint, "serve", "--iknowwhatimdoing", "--basedir", str(basedir)]
        + ["--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = OctoPrint(
        url=f"http://127.0.0.1:{port}", api_key=api_key, basedir=basedir, process=process
    )
    try:
        if not wait_for_port(port, process=process, timeout=60):
            unavailable(f"octoprint serve did not start: {_tail(basedir / 'serve.log')}")
        server.wait_for(
            lambda: _connection_state(server) == "Operational",
            timeout=30,
            what="the virtual printer to connect",
        )
        yield server
    finally:
        stop_process(process)


def _connection_state(server: OctoPrint) -> str | None:
    try:
        return server.call("GET", "/api/connection").json()["current"]["state"]
    except (requests.RequestException, KeyError, json.JSONDecodeError):
        return None


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-500:] if path.exists() else ""


# A database that threads and a real server share ---------------------------------------------


@pytest.fixture
def database_for_threads(transactional_db, django_db_serialized_rollback, tmp_path):
    """The test database, written by several threads at once (concurrent events, a server).

    On PostgreSQL it is the test database itself: `transactional_db` commits what each thread
    writes. On SQLite, pytest-django's test database lives in memory, where SQLite locks whole
    tables between connections without waiting; it is copied to a file in write-ahead-log mode,
    so threads write it as processes write Carnet's own SQLite file (busy timeout, immediate
    transactions). Every connection opened by another thread is closed at the end."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    opened = []

    def keep(sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            opened.append(connection)

    connection_created.connect(keep, weak=False)
    connection = connections["default"]
    memory = in_memory_name = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.ensure_connection()
        memory = connection.connection  # kept open: closing it would drop the database
        path = tmp_path / "carnet.sqlite3"
        copy = sqlite3.connect(path)
        memory.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        in_memory_name = connection.settings_dict["NAME"]
        connection.connection = None
        connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection_created.disconnect(keep)
        for other in opened:
            other.inc_thread_sharing()
            other.close()
        if memory is not None:
            connection.close()
            connection.settings_dict["NAME"] = in_memory_name
            connection.connection = memory


@pytest.fixture
def carnet_under_uvicorn(database_for_threads):
    """The base URL of Carnet served by uvicorn (ASGI, as documented for production), in a
    thread of the test process, on a free port of 127.0.0.1."""
    from docs_platform.asgi import application

    with uvicorn_serving(application) as url:
        yield url
