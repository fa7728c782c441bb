"""How soon do the kiosks beside a machine show a job event? Not a test: it prints figures.

    .venv/bin/python bench/prompt_latency.py [--clients 50] [--events 100] [--workers 1]

(`make bench-prompt` runs it.) It builds a throwaway SQLite database (the test settings, with
DATABASE_URL pointing into a temporary directory), migrates it, creates a machine with its
event and kiosk tokens and three members with badges and projects, then serves Carnet with
uvicorn in a subprocess, as in production (ASGI: the kiosks stream server-sent events).

It opens `--clients` kiosk streams (`/machines/<slug>/kiosk/stream/?token=…`, raw HTTP/1.1
over asyncio, reconnecting like a browser's EventSource), then posts `--events` job events
through the real API (`POST /api/machines/<slug>/events`, Bearer token), one at a time:
jobs of five events each, start, progress 25/50/75 %, finish, each changing what the kiosk
shows. For every event and EVERY client it measures the time from just before the POST to
the moment that client has received a fragment showing the event (the job's `data-job`
marker with its running state, its progress value, or its finished state). Between events it
waits a random 0–0.4 s, so events fall anywhere within the server's polling period.
Target: p95 at most 1 s.

`--database-url` runs it on another EMPTY database, e.g. a throwaway PostgreSQL cluster:
    scripts/with-postgres.sh sh -c '.venv/bin/python bench/prompt_latency.py \
        --database-url "$DATABASE_URL"'
"""

import argparse
import asyncio
import codecs
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TARGET_P95_S = 1.0
EVENT_TIMEOUT_S = 10.0
EVENTS_PER_JOB = 5  # start, 25 %, 50 %, 75 %, finish
BADGES = ["04:A1:B2:C3", "04:D4:E5:F6", "04:11:22:33"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="open kiosk streams (50)")
    parser.add_argument("--events", type=int, default=100, help="job events to post (100)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (1)")
    parser.add_argument("--seed", type=int, default=5, help="random seed of the pauses")
    parser.add_argument(
        "--database-url",
        default="",
        help="an EMPTY throwaway database instead of a temporary SQLite file",
    )
    return parser.parse_args()


# Set-up -------------------------------------------------------------------------------------


def setup_django(work_dir: Path, database_url: str) -> dict:
    """Django in this process, on our own database; returns the server's environment."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "docs_platform.settings.test"
    env["DATABASE_URL"] = database_url or f"sqlite:///{work_dir / 'bench.sqlite3'}"
    env["PYTHONPATH"] = str(BASE_DIR)
    os.environ.update({name: env[name] for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    return env


def build_lab() -> tuple:
    """Migrate, then a machine with its tokens and three members with badges and projects."""
    from django.core.management import call_command
    from django.db import connections

    from machines import services
    from machines.factories import MachineFactory
    from projects.factories import ProjectPageFactory
    from users.factories import UserFactory

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Migrated in {time.monotonic() - started:.0f} s.")
    for number, badge in enumerate(BADGES, start=1):
        member = UserFactory(display_name=f"Membre {number}", badge_uid=badge)
        ProjectPageFactory(owner=member, title=f"Projet de test {number}")
    machine = MachineFactory(name="Trotec Speedy 300", slug="trotec-speedy-300")
    event_token = services.machine_token_rotate(machine=machine)
    kiosk_token = services.machine_kiosk_token_rotate(machine=machine)
    vendor = connections["default"].vendor
    connections.close_all()
    return machine.slug, event_token, kiosk_token, vendor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "docs_platform.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "2",
    ]
    log = log_path.open("wb")
    # Our own interpreter and fixed arguments.
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)  # noqa: S603


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# HTTP over asyncio ----------------------------------------------------------------------------


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before the response")
    status = int(status_line.split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_chunks(reader: asyncio.StreamReader, headers: dict):
    """The body, piece by piece as it arrives (chunked, or until the connection closes)."""
    if headers.get("transfer-encoding", "").lower() != "chunked":
        while data := await reader.read(65536):
            yield data
        return
    while True:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        data = await reader.readexactly(size)
        await reader.readexactly(2)
        yield data


async def request(port: int, method: str, path: str, *, headers=None, body=b"") -> tuple:
    reader, writer = await asyncio.open_connection(HOST, port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    try:
        status, response_headers = await read_head(reader)
        content = b"".join([chunk async for chunk in read_chunks(reader, response_headers)])
    finally:
        writer.close()
    return status, content


async def wait_until_served(port: int, path: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("uvicorn stopped; see its log above")
        try:
            status, _ = await request(port, "GET", path)
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("uvicorn did not answer within 60 s")


# Kiosks -----------------------------------------------------------------------------------------


@dataclass
class Kiosk:
    """One open kiosk: every fragment it received, with the time it arrived."""

    received: list = field(default_factory=list)  # (perf_counter, html)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    reconnects: int = 0

    async def follow(self, port: int, path: str) -> None:
        """Read the stream for ever, reconnecting like EventSource when it ends."""
        retry = 1.0
        while True:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError, ValueError):
                await self._read_stream(port, path)
            self.reconnects += 1
            await asyncio.sleep(retry)

    async def _read_stream(self, port: int, path: str) -> None:
        reader, writer = await asyncio.open_connection(HOST, port, limit=2**22)
        try:
            head = (
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                "Accept: text/event-stream\r\nAccept-Language: en\r\n\r\n"
            )
            writer.write(head.encode())
            await writer.drain()
            status, headers = await read_head(reader)
            if status != 200 or "text/event-stream" not in headers.get("content-type", ""):
                raise ConnectionError(f"the stream answered {status}")
            buffer = ""
            decoder = codecs.getincrementaldecoder("utf-8")()  # chunks may split a character
            async for data in read_chunks(reader, headers):
                arrived = time.perf_counter()
                buffer += decoder.decode(data)
                while "\n\n" in buffer:
                    message, buffer = buffer.split("\n\n", 1)
                    data_lines = [
                        line[5:].removeprefix(" ")
                        for line in message.split("\n")
                        if line.startswith("data:")
                    ]
                    if data_lines:
                        self.received.append((arrived, "\n".join(data_lines)))
                        self.connected.set()
        finally:
            writer.close()

    def first_match(self, since: float, shows) -> float | None:
        for arrived, html in self.received:
            if arrived >= since and shows(html):
                return arrived
        return None


# Events -----------------------------------------------------------------------------------------


def plan_events(count: int) -> list[dict]:
    """Jobs of five events (start, 25/50/75 %, finish), members in turn, one job at a time."""
    events = []
    for number in range(count):
        job, step = divmod(number, EVENTS_PER_JOB)
        job_id = f"bench-{job + 1}"
        if step == 0:
            events.append(
                {
                    "event": "start",
                    "job_id": job_id,
                    "badge_uid": BADGES[job % len(BADGES)],
                    "file_name": f"piece-{job + 1}.svg",
                    "estimated_seconds": 20 * 60,
                    "material": "Contreplaqué 3 mm",
                }
            )
        elif step < EVENTS_PER_JOB - 1:
            events.append({"event": "progress", "job_id": job_id, "progress": 25 * step})
        else:
            events.append({"event": "finish", "job_id": job_id})
    return events


def shows_event(event: dict, job_pk: int):
    """What a kiosk fragment must contain once this event is on screen."""
    marker = f'data-job="{job_pk}"'
    if event["event"] == "start":
        expected = [marker, "kiosk-job--running"]
    elif event["event"] == "progress":
        expected = [marker, "kiosk-job--running", f'value="{event["progress"]}"']
    else:
        expected = [marker, "kiosk-job--finished"]
    return lambda html: all(part in html for part in expected)


async def post_event(port: int, slug: str, token: str, event: dict) -> dict:
    status, content = await request(
        port,
        "POST",
        f"/api/machines/{slug}/events",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        body=json.dumps(event).encode(),
    )
    if status != 200:
        raise SystemExit(f"the API answered {status}: {content[:300]!r}")
    return json.loads(content)


async def measure(args, port: int, slug: str, event_token: str, kiosk_token: str) -> dict:
    from tqdm import tqdm

    load_before = os.getloadavg()[0]
    stream_path = f"/machines/{slug}/kiosk/stream/?token={kiosk_token}"
    kiosks = [Kiosk() for _ in range(args.clients)]
    tasks = [asyncio.create_task(kiosk.follow(port, stream_path)) for kiosk in kiosks]
    opened = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(kiosk.connected.wait() for kiosk in kiosks)), timeout=30
    )
    print(f"{args.clients} kiosk streams open in {time.perf_counter() - opened:.2f} s.")
    connections_open = await asyncio.to_thread(server_connections)

    rng = random.Random(args.seed)
    latencies: list[float] = []  # every client, every event
    slowest: list[float] = []  # per event, the last client to see it
    posts: list[float] = []  # the POST's own round trip
    missed = 0
    for event in tqdm(plan_events(args.events), desc="events", unit="event"):
        await asyncio.sleep(rng.uniform(0, 0.4))
        before = time.perf_counter()
        answer = await post_event(port, slug, event_token, event)
        posts.append(time.perf_counter() - before)
        shows = shows_event(event, answer["job"])
        seen: dict[int, float] = {}
        deadline = before + EVENT_TIMEOUT_S
        while len(seen) < len(kiosks) and time.perf_counter() < deadline:
            for index, kiosk in enumerate(kiosks):
                if index not in seen and (arrived := kiosk.first_match(before, shows)):
                    seen[index] = arrived - before
            await asyncio.sleep(0.005)
        missed += len(kiosks) - len(seen)
        latencies += seen.values()
        if seen:
            slowest.append(max(seen.values()))
        for kiosk in kiosks:  # keep only what a later event could still match
            kiosk.received = kiosk.received[-1:]
    connections_after = await asyncio.to_thread(server_connections)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "latencies": latencies,
        "slowest": slowest,
        "posts": posts,
        "missed": missed,
        "reconnects": sum(kiosk.reconnects for kiosk in kiosks),
        "connections": (connections_open, connections_after),
        "load": (load_before, os.getloadavg()[0]),
    }


def server_connections() -> int | None:
    """How many connections the server holds to the database (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(args, vendor: str, results: dict) -> bool:
    latencies = results["latencies"]
    print(
        f"\nFrom just before the POST to the fragment on screen, {vendor}, uvicorn "
        f"{args.workers} worker(s), {args.clients} kiosks × {args.events} events "
        f"({len(latencies)} measurements, every client):"
    )
    print(f"{'':<34}{'p50':>8}{'p95':>8}{'max':>8}   (ms)")
    rows = [
        ("every client, every event", latencies),
        ("the last client to see each event", results["slowest"]),
        ("the POST alone (its answer)", results["posts"]),
    ]
    for label, values in rows:
        if values:
            print(
                f"{label:<34}{statistics.median(values) * 1000:>8.0f}"
                f"{percentile(values, 0.95) * 1000:>8.0f}{max(values) * 1000:>8.0f}"
            )
    if results["connections"][0] is not None:
        during, after = results["connections"]
        print(
            f"Database connections held by the server: {during} with the streams open, "
            f"{after} after the events."
        )
    print(
        f"Machine: {os.cpu_count()} cores, load average {results['load'][0]:.1f} before and "
        f"{results['load'][1]:.1f} after (other work on the machine skews the figures)."
    )
    p95 = percentile(latencies, 0.95) if latencies else float("inf")
    met = p95 <= TARGET_P95_S and results["missed"] == 0
    print(
        f"\nTarget: p95 at most {TARGET_P95_S:.0f} s, every client served. p95 "
        f"{p95 * 1000:.0f} ms, {results['missed']} missed, {results['reconnects']} "
        f"reconnection(s): {'MET' if met else 'NOT MET'}."
    )
    return met


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="carnet-bench-prompt-") as work:
        work_dir = Path(work)
        env = setup_django(work_dir, args.database_url)
        slug, event_token, kiosk_token, vendor = build_lab()
        port = free_port()
        log_path = work_dir / "uvicorn.log"
        server = start_server(env, port, args.workers, log_path)
        try:
            asyncio.run(
                wait_until_served(
                    port, f"/machines/{slug}/kiosk/state/?token={kiosk_token}", server
                )
            )
            results = asyncio.run(measure(args, port, slug, event_token, kiosk_token))
        finally:
            stop_server(server)
            log = log_path.read_text(errors="replace").strip()
            errors = [
                line for line in log.splitlines() if re.search(r"error|exception", line, re.I)
            ]
            if errors:
                print(f"\nuvicorn logged {len(errors)} error line(s); the first ones:")
                print("\n".join(errors[:10]))
        met = report(args, vendor, results)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
