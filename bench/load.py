"""Carnet under a busy lab's load, on loopback. Not a test: it prints figures.

    .venv/bin/python bench/load.py [--seconds 300] [--database-url URL]

(`make bench-load` runs it on SQLite, then on a throwaway PostgreSQL.) It serves Carnet as
docs/deployment.md says: the production settings (DEBUG off) under uvicorn with 2 workers,
behind a pretend proxy (X-Forwarded-Proto: https), with the task worker when the settings
queue tasks in the database. The database is a temporary SQLite file, or the EMPTY database
that `--database-url` names, e.g. a throwaway PostgreSQL cluster:

    scripts/with-postgres.sh sh -c '.venv/bin/python bench/load.py --database-url "$DATABASE_URL"'

It migrates, loads the demo (demo/content/ through demo.loaders), then for `--seconds` runs at once:
- anonymous visitors: the home page, /projects/, project pages, searches, machines, tribes;
- members who log in through the real form and write journal entries with a photo (CSRF,
  multipart), a few seconds apart, each with a title the bench can find again;
- 16 machine workers posting 1,000 job events to POST /api/machines/<slug>/events (start,
  progress, finish), 10 % sent twice and 15 % of finishes sent after the machine's next start;
  they retry a 503 or a dropped connection after its Retry-After, as a machine's client should;
- on PostgreSQL (when the script may run pg_ctl), one restart of the server halfway through.

Then it prints: requests, 5xx (and 5xx outside the 5 s after the restart), journal writes
acknowledged vs rows present, events acknowledged vs jobs recorded and with the right outcome,
and on PostgreSQL the connections held (at most and at the end) vs the pools' size.
Everything stays on 127.0.0.1, every loop is bounded, and the run stops by itself.
"""

import argparse
import io
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 2
RESTART_GRACE_S = 5.0  # 5xx within this long after the restart do not count against the target
REQUEST_TIMEOUT_S = 30
SEARCH_WORDS = ["laser", "bois", "lampe", "impression", "pla", "arduino", "découpe", "échec"]
OUTCOMES = ["completed"] * 8 + ["failed", "cancelled"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300, help="length of the load (300)")
    parser.add_argument("--visitors", type=int, default=6, help="anonymous visitors (6)")
    parser.add_argument("--writers", type=int, default=4, help="members writing (4)")
    parser.add_argument("--events", type=int, default=1000, help="machine events to send (1000)")
    parser.add_argument("--event-workers", type=int, default=16, help="event senders (16)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--database-url", default="", help="an EMPTY throwaway database instead of SQLite"
    )
    parser.add_argument(
        "--no-restart", action="store_true", help="do not restart PostgreSQL halfway"
    )
    return parser.parse_args()


# Results ------------------------------------------------------------------------------------


@dataclass
class Answer:
    kind: str
    sent: float
    done: float
    status: int | None  # None: no answer (connection refused or dropped, time-out)
    error: str = ""
    path: str = ""


@dataclass
class Results:
    answers: list[Answer] = field(default_factory=list)
    writes_acknowledged: set[str] = field(default_factory=set)
    writes_refused: Counter = field(default_factory=Counter)
    events_sent: int = 0
    events_acknowledged: int = 0
    events_given_up: list[dict] = field(default_factory=list)
    restart: tuple[float, float] | None = None
    connections: list[tuple[float, dict]] = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


class Browser:
    """One person's browser: its own cookies and CSRF token, behind the proxy (HTTPS)."""

    def __init__(self, base_url: str, kind: str, results: Results, language: str = "fr"):
        self.base_url, self.kind, self.results = base_url, kind, results
        self.session = requests.Session()
        self.session.headers.update(
            {"X-Forwarded-Proto": "https", "Accept-Language": language, "User-Agent": "bench"}
        )

    def request(self, method: str, path: str, **kwargs) -> requests.Response | None:
        headers = kwargs.pop("headers", {})
        if method == "POST":
            origin = "https://" + urlparse(self.base_url).netloc
            headers |= {"Origin": origin, "Referer": origin + path}
        sent = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                headers=headers,
                timeout=REQUEST_TIMEOUT_S,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            self.results.record(
                Answer(self.kind, sent, time.monotonic(), None, type(error).__name__, path)
            )
            return None
        self.results.record(
            Answer(self.kind, sent, time.monotonic(), response.status_code, path=f"{method} {path}")
        )
        # The cookies are Secure (production); the proxy in front speaks HTTPS for us.
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def csrf_token(self, path: str) -> str | None:
        response = self.request("GET", path)
        if response is None or response.status_code != 200:
            return None
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return match.group(1) if match else None


# Set-up -------------------------------------------------------------------------------------


def environment(work_dir: Path, database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "docs_platform.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url or f"sqlite:///{work_dir / 'carnet.sqlite3'}",
            "MEDIA_ROOT": str(work_dir / "media"),
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


@dataclass
class Lab:
    vendor: str
    members: list[tuple[str, str, str]]  # username, password, slug of a project they own
    project_slugs: list[str]
    machines: list[tuple[str, str]]  # slug, event token
    entry_kind: str
    task_worker: bool
    pool_max: int | None


def build_lab() -> Lab:
    from django.conf import settings
    from django.core.management import call_command, get_commands
    from django.db import connection, connections

    from demo.loaders import demo_load
    from demo.loaders.members import MEMBER_PASSWORD
    from demo.reader import read_content
    from machines import services as machine_services
    from machines.models import Machine
    from projects.models import JournalEntryKind, ProjectPage
    from projects.visibility import projects_public

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("compile_translations", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    # The demo app is not installed in production: its loader is called, not its command.
    demo_load(read_content())
    print(
        f"Migrated, loaded the demo, collected static files in {time.monotonic() - started:.0f} s."
    )

    members, seen = [], set()
    for project in ProjectPage.objects.live().select_related("owner").order_by("pk"):
        owner = project.owner
        if owner and owner.username not in seen and not owner.is_superuser:
            seen.add(owner.username)
            members.append((owner.username, MEMBER_PASSWORD, project.slug))
    machines = [
        (machine.slug, machine_services.machine_token_rotate(machine=machine))
        for machine in Machine.objects.order_by("pk")
    ]
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    lab = Lab(
        vendor=connection.vendor,
        members=members,
        project_slugs=list(projects_public().values_list("slug", flat=True)),
        machines=machines,
        entry_kind=JournalEntryKind.TRIAL,
        task_worker="db_worker" in get_commands()
        and "Database" in settings.TASKS["default"]["BACKEND"],
        pool_max=pool["max_size"] if pool else None,
    )
    connections.close_all()
    return lab


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def with_application_name(database_url: str, name: str) -> str:
    """The same database, with connections labelled in pg_stat_activity."""
    if not database_url.startswith("postgres"):
        return database_url
    parts = urlparse(database_url)
    query = f"{parts.query}&" if parts.query else ""
    return urlunparse(parts._replace(query=query + urlencode({"application_name": name})))


def start_processes(env: dict, port: int, lab: Lab, work_dir: Path) -> list[subprocess.Popen]:
    log = (work_dir / "server.log").open("wb")
    web_env = env | {"DATABASE_URL": with_application_name(env["DATABASE_URL"], "carnet-web")}
    web = [sys.executable, "-m", "uvicorn", "docs_platform.asgi:application"]
    web += ["--host", HOST, "--port", str(port), "--workers", str(WORKERS)]
    web += ["--proxy-headers", "--forwarded-allow-ips", HOST, "--no-access-log"]
    web += ["--log-level", "warning", "--timeout-graceful-shutdown", "2"]
    # Our own interpreter and fixed arguments.
    processes = [subprocess.Popen(web, cwd=BASE_DIR, env=web_env, stdout=log, stderr=log)]  # noqa: S603
    if lab.task_worker:
        worker_env = env | {
            "DATABASE_URL": with_application_name(env["DATABASE_URL"], "carnet-worker")
        }
        worker = [sys.executable, "manage.py", "db_worker"]
        processes.append(
            subprocess.Popen(worker, cwd=BASE_DIR, env=worker_env, stdout=log, stderr=log)  # noqa: S603
        )
    return processes


def stop_processes(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_served(base_url: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if processes[0].poll() is not None:
            raise SystemExit("uvicorn stopped: see server.log")
        try:
            response = requests.get(
                base_url + "/", headers={"X-Forwarded-Proto": "https"}, timeout=5
            )
            if response.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("uvicorn did not answer within 90 s")


# The load ------------------------------------------------------------------------------------


def visitor(base_url: str, lab: Lab, results: Results, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(base_url, "visit", results, rng.choice(["fr", "en"]))
    while time.monotonic() < deadline:
        choice = rng.random()
        if choice < 0.15:
            path = "/"
        elif choice < 0.3:
            path = "/projects/"
        elif choice < 0.65 and lab.project_slugs:
            path = f"/projects/{rng.choice(lab.project_slugs)}/"
        elif choice < 0.85:
            path = "/search/?" + urlencode({"q": rng.choice(SEARCH_WORDS)})
        elif choice < 0.95:
            path = "/machines/"
        else:
            path = "/tribes/"
        browser.request("GET", path)
        time.sleep(rng.uniform(0.05, 0.3))


def photo(rng: random.Random) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    color = tuple(rng.randrange(256) for _ in range(3))
    Image.new("RGB", (800, 600), color).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def writer(
    base_url: str,
    lab: Lab,
    member: tuple[str, str, str],
    results: Results,
    deadline: float,
    run: str,
    seed: int,
) -> None:
    username, password, slug = member
    rng = random.Random(seed)
    browser = Browser(base_url, "write", results)
    logged_in = False
    number = 0
    while time.monotonic() < deadline:
        if not logged_in:
            token = browser.csrf_token("/accounts/login/")
            data = {"csrfmiddlewaretoken": token, "username": username, "password": password}
            response = token and browser.request("POST", "/accounts/login/", data=data)
            logged_in = bool(response) and response.status_code == 302
            if not logged_in:
                time.sleep(1)
                continue
        form_path = f"/projects/{slug}/journal/new/"
        token = browser.csrf_token(form_path)
        if token is None:
            time.sleep(1)
            continue
        number += 1
        title = f"{run} {username} {number}"
        data = {
            "csrfmiddlewaretoken": token,
            "kind": lab.entry_kind,
            "title": title,
            "body": f"Essai {number} sous charge : **puissance** 60 %, vitesse 20 mm/s.",
        }
        files = {"photos": (f"essai-{number}.jpg", photo(rng), "image/jpeg")}
        response = browser.request("POST", form_path, data=data, files=files)
        if (
            response is not None
            and response.status_code == 302
            and "#journal-" in response.headers.get("Location", "")
        ):
            with results.lock:
                results.writes_acknowledged.add(title)
        else:
            status = "no answer" if response is None else response.status_code
            with results.lock:
                results.writes_refused[status] += 1
            if response is not None and response.status_code == 302:
                logged_in = False  # sent back to the login page
        time.sleep(rng.uniform(1.0, 3.0))  # a member types between two entries


@dataclass
class PlannedJob:
    machine: str
    job_id: str
    started: datetime
    outcome: str
    events: list[dict] = field(default_factory=list)


def plan_events(lab: Lab, count: int, run: str, rng: random.Random) -> tuple[list, list]:
    """Jobs of three events (start, progress, finish), one machine at a time, in the past hours;
    then 15 % of finishes moved after the next start on their machine and 10 % sent twice."""
    duplicates = count // 10
    jobs_count = (count - duplicates) // 3
    per_machine: dict[str, list[PlannedJob]] = {slug: [] for slug, _ in lab.machines}
    slugs = list(per_machine)
    now = datetime.now(UTC).replace(microsecond=0)
    first = now - timedelta(minutes=10 * (jobs_count // len(slugs) + 2))
    jobs = []
    for number in range(jobs_count):
        slug = slugs[number % len(slugs)]
        started = first + timedelta(minutes=10 * len(per_machine[slug]))
        job = PlannedJob(slug, f"{run}-{number}", started, rng.choice(OUTCOMES))
        stamp = lambda minutes, started=started: (started + timedelta(minutes=minutes)).isoformat()  # noqa: E731
        job.events = [
            {"event": "start", "job_id": job.job_id, "timestamp": stamp(0),
             "file_name": f"piece-{number}.svg", "estimated_seconds": 300},
            {"event": "progress", "job_id": job.job_id, "timestamp": stamp(2), "progress": 40},
            {"event": "finish", "job_id": job.job_id, "timestamp": stamp(5),
             "outcome": job.outcome},
        ]  # fmt: skip
        per_machine[slug].append(job)
        jobs.append(job)
    streams = []
    for slug, machine_jobs in per_machine.items():
        stream = []
        late_finish = None
        for index, job in enumerate(machine_jobs):
            stream += [(slug, event) for event in job.events[:2]]
            if late_finish:  # the previous job's finish arrives after this start
                stream.append(late_finish)
                late_finish = None
            finish = (slug, job.events[2])
            if index + 1 < len(machine_jobs) and rng.random() < 0.15:
                late_finish = finish
            else:
                stream.append(finish)
        streams.append(stream)
    order = []
    while any(streams):  # the machines report side by side
        for stream in streams:
            if stream:
                order.append(stream.pop(0))
    for _ in range(duplicates):
        position = rng.randrange(len(order))
        order.insert(min(len(order), position + rng.randint(1, 20)), order[position])
    return jobs, order


def event_sender(
    base_url: str,
    tokens: dict,
    queue: list,
    queue_lock: threading.Lock,
    results: Results,
    started: float,
    spacing: float,
) -> None:
    session = requests.Session()
    while True:
        with queue_lock:
            if not queue:
                return
            index, (slug, event) = queue.pop(0)
        pause = started + index * spacing - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        with results.lock:
            results.events_sent += 1
        acknowledged = False
        for _attempt in range(8):  # a machine's client retries what was not acknowledged
            sent = time.monotonic()
            try:
                response = session.post(
                    f"{base_url}/api/machines/{slug}/events",
                    data=json.dumps(event),
                    headers={
                        "Authorization": f"Bearer {tokens[slug]}",
                        "Content-Type": "application/json",
                        "X-Forwarded-Proto": "https",
                    },
                    timeout=REQUEST_TIMEOUT_S,
                )
            except requests.RequestException as error:
                results.record(
                    Answer("event", sent, time.monotonic(), None, type(error).__name__, slug)
                )
                time.sleep(1)
                continue
            results.record(Answer("event", sent, time.monotonic(), response.status_code))
            acknowledged = response.status_code == 200
            if acknowledged or response.status_code not in (429, 502, 503, 504):
                break
            time.sleep(min(float(response.headers.get("Retry-After", 1)), 5.0))
        with results.lock:
            if acknowledged:
                results.events_acknowledged += 1
            else:
                results.events_given_up.append(event)


def restart_postgres(results: Results, at: float) -> None:
    pause = at - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    data_dir = os.environ["PGDATA"]
    command = [os.environ.get("PG_CTL", "pg_ctl"), "restart", "-D", data_dir, "-m", "fast", "-w"]
    command += ["-l", str(Path(data_dir).parent / "server.log")]
    if os.geteuid() == 0:  # the cluster belongs to the postgres user (scripts/with-postgres.sh)
        command = ["runuser", "-u", "postgres", "--", *command]
    begin = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    results.restart = (begin, time.monotonic())
    print(f"PostgreSQL restarted in {results.restart[1] - begin:.1f} s.")


def watch_connections(results: Results, stop: threading.Event) -> None:
    """Every second: the connections held to the database, by application."""
    import psycopg

    conninfo = os.environ["DATABASE_URL"]
    query = (
        "SELECT application_name, count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"
    )
    raw = None
    while not stop.wait(1.0):
        try:
            if raw is None or raw.closed:
                raw = psycopg.connect(conninfo, autocommit=True, connect_timeout=2)
            results.connections.append((time.monotonic(), dict(raw.execute(query).fetchall())))
        except psycopg.Error:
            raw = None  # during the restart
    if raw is not None:
        raw.close()


def run_load(args, base_url: str, lab: Lab, run: str) -> tuple[Results, list]:
    rng = random.Random(args.seed)
    results = Results()
    jobs, order = plan_events(lab, args.events, run, rng)
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=visitor, args=(base_url, lab, results, deadline, args.seed + n))
        for n in range(args.visitors)
    ]
    for n, member in enumerate(lab.members[: args.writers]):
        threads.append(
            threading.Thread(
                target=writer,
                args=(base_url, lab, member, results, deadline, run, args.seed + 100 + n),
            )
        )
    queue, queue_lock = list(enumerate(order)), threading.Lock()
    spacing = 0.8 * args.seconds / max(1, len(order))  # events over the first 80 % of the run
    tokens = dict(lab.machines)
    threads += [
        threading.Thread(
            target=event_sender,
            args=(base_url, tokens, queue, queue_lock, results, started, spacing),
        )
        for _ in range(args.event_workers)
    ]
    stop_watching = threading.Event()
    watcher = None
    if lab.vendor == "postgresql":
        watcher = threading.Thread(target=watch_connections, args=(results, stop_watching))
        if not args.no_restart and "PGDATA" in os.environ:
            at = started + args.seconds / 2
            threads.append(threading.Thread(target=restart_postgres, args=(results, at)))
    for thread in [*threads, watcher] if watcher else threads:
        thread.daemon = True
        thread.start()
    progress_at = started
    while any(thread.is_alive() for thread in threads):
        time.sleep(1)
        if time.monotonic() - progress_at >= 15:
            progress_at = time.monotonic()
            print(
                f"  {progress_at - started:4.0f} s: {len(results.answers)} answers, "
                f"{results.events_sent} events sent",
                flush=True,
            )
        if time.monotonic() > deadline + 120:
            print("Some clients did not stop within 120 s of the end: reporting without them.")
            break
    results.elapsed = time.monotonic() - started
    time.sleep(3)  # let the pools settle, then count what they hold
    stop_watching.set()
    if watcher:
        watcher.join(timeout=10)
    return results, jobs


# Report ---------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else 0.0


def in_restart_window(answer: Answer, restart: tuple[float, float] | None) -> bool:
    if restart is None:
        return False
    begin, end = restart[0], restart[1] + RESTART_GRACE_S
    return begin <= answer.done <= end or begin <= answer.sent <= end


def check_database(run: str, jobs: list[PlannedJob], results: Results) -> dict:
    from django.db import connections

    from machines.models import MachineJob
    from projects.models import JournalEntry

    titles = set(
        JournalEntry.objects.filter(title__startswith=run + " ").values_list("title", flat=True)
    )
    with_photo = (
        JournalEntry.objects.filter(title__in=results.writes_acknowledged, photos__isnull=False)
        .distinct()
        .count()
    )
    recorded = {
        (slug, job_id): (state, outcome)
        for slug, job_id, state, outcome in MachineJob.objects.filter(
            external_id__startswith=run + "-"
        ).values_list("machine__slug", "external_id", "state", "outcome")
    }
    wrong = Counter()
    for job in jobs:
        got = recorded.get((job.machine, job.job_id))
        if got != ("finished", job.outcome):
            wrong[
                f"expected finished/{job.outcome}, got {'/'.join(got) if got else 'nothing'}"
            ] += 1
    connections.close_all()
    return {"titles": titles, "with_photo": with_photo, "recorded": recorded, "wrong": wrong}


def report(args, lab: Lab, results: Results, jobs: list, database: dict) -> bool:
    answers = results.answers
    print(
        f"\n{lab.vendor}, uvicorn {WORKERS} workers"
        f"{' + task worker' if lab.task_worker else ''}, {args.seconds} s of load "
        f"({results.elapsed:.0f} s until the last event was answered)"
        f"{', PostgreSQL restarted once' if results.restart else ''}:"
    )
    print(f"{'':<8}{'requests':>10}{'2xx/3xx':>9}{'4xx':>6}{'5xx':>6}{'no answer':>11}"
          f"{'p50 ms':>9}{'p95 ms':>9}")  # fmt: skip
    for kind in ("visit", "write", "event"):
        mine = [a for a in answers if a.kind == kind]
        durations = [1000 * (a.done - a.sent) for a in mine if a.status is not None]
        print(
            f"{kind:<8}{len(mine):>10}"
            f"{sum(1 for a in mine if a.status and a.status < 400):>9}"
            f"{sum(1 for a in mine if a.status and 400 <= a.status < 500):>6}"
            f"{sum(1 for a in mine if a.status and a.status >= 500):>6}"
            f"{sum(1 for a in mine if a.status is None):>11}"
            f"{percentile(durations, 0.5):>9.0f}{percentile(durations, 0.95):>9.0f}"
        )
    slowest = sorted(answers, key=lambda a: a.sent - a.done)[:5]
    print("slowest: " + ", ".join(f"{a.path or a.kind} {a.done - a.sent:.1f} s" for a in slowest))
    server_errors = [a for a in answers if a.status and a.status >= 500]
    outside = [a for a in server_errors if not in_restart_window(a, results.restart)]
    unanswered_outside = [
        a for a in answers if a.status is None and not in_restart_window(a, results.restart)
    ]
    statuses = Counter(a.status for a in server_errors)
    print(f"\nrequests: {len(answers)}, {len(answers) / results.elapsed:.1f}/s")
    print(
        f"load average of the machine at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)"
    )
    print(f"5xx: {len(server_errors)} {dict(statuses) or ''}")
    if results.restart:
        print(f"5xx outside the {RESTART_GRACE_S:.0f} s after the restart: {len(outside)}")
        print(f"no answer outside the restart: {len(unanswered_outside)}")
    origin = results.restart[0] if results.restart else answers[0].sent if answers else 0
    for answer in [a for a in answers if a.status is None][:10]:
        print(
            f"  no answer: {answer.kind} {answer.path} {answer.error}, sent at "
            f"{answer.sent - origin:+.1f} s, after {answer.done - answer.sent:.1f} s"
            f"{' (from the restart)' if results.restart else ''}"
        )
    acknowledged = results.writes_acknowledged
    lost = acknowledged - database["titles"]
    print(
        f"journal writes acknowledged: {len(acknowledged)}, rows present: "
        f"{len(acknowledged & database['titles'])}, with their photo: {database['with_photo']}, "
        f"lost: {len(lost)}; refused: {dict(results.writes_refused) or 0}"
    )
    print(
        f"machine events sent: {results.events_sent} (of {args.events} planned), acknowledged: "
        f"{results.events_acknowledged}, given up after retries: {len(results.events_given_up)}"
    )
    print(
        f"jobs planned: {len(jobs)}, recorded: {len(database['recorded'])}, "
        f"outcome right: {len(jobs) - sum(database['wrong'].values())}"
    )
    for reason, count in database["wrong"].most_common(5):
        print(f"  {count} jobs {reason}")
    held_ok = True
    if lab.vendor == "postgresql" and results.connections:
        web_bound = WORKERS * (lab.pool_max or 0)
        most_web = max(sample.get("carnet-web", 0) for _, sample in results.connections)
        most_all = max(sum(sample.values()) for _, sample in results.connections)
        last = results.connections[-1][1]
        print(
            f"connections held by the web workers: at most {most_web}, at the end "
            f"{last.get('carnet-web', 0)}; pools' size {WORKERS} × {lab.pool_max} = {web_bound}"
        )
        print(f"connections held in all (with the task worker): at most {most_all}, "
              f"at the end {sum(last.values())} {last}")  # fmt: skip
        held_ok = lab.pool_max is None or most_web <= web_bound
    met = (
        not outside
        and not unanswered_outside
        and not lost
        and not database["wrong"]
        and not results.events_given_up
        and held_ok
    )
    print(f"\nTargets (0 5xx outside the restart, nothing lost, every outcome right, "
          f"connections within the pools): {'met' if met else 'MISSED'}")  # fmt: skip
    return met


def main() -> int:
    args = parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="carnet-load-"))
    env = environment(work_dir, args.database_url)
    setup_django(env)
    lab = build_lab()
    if len(lab.machines) == 0 or not lab.members:
        raise SystemExit("the demo has no machines or no members owning projects")
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    processes = start_processes(env, port, lab, work_dir)
    run = f"load{secrets.token_hex(3)}"
    try:
        wait_until_served(base_url, processes)
        print(
            f"Serving on {base_url} ({lab.vendor}); {args.visitors} visitors, "
            f"{min(args.writers, len(lab.members))} members writing, {args.event_workers} "
            f"machine workers, {args.seconds} s."
        )
        results, jobs = run_load(args, base_url, lab, run)
        for name, process in zip(["uvicorn", "task worker"], processes, strict=False):
            if process.poll() is not None:
                print(f"The {name} stopped during the load (exit code {process.returncode}).")
    finally:
        stop_processes(processes)
    database = check_database(run, jobs, results)
    met = report(args, lab, results, jobs, database)
    log = (work_dir / "server.log").read_text(errors="replace")
    tracebacks = log.count("Traceback")
    print(f"server log: {work_dir / 'server.log'} ({tracebacks} tracebacks)")
    if tracebacks:
        causes = Counter(
            line for line in log.splitlines() if re.match(r"^[\w.]+(Error|Exception)\b", line)
        )
        for line, count in causes.most_common(5):
            print(f"  {count} × {line[:160]}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
