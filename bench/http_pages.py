"""Carnet served for real, measured with wrk. Not a test: it prints figures.

    .venv/bin/python bench/http_pages.py [--seconds 10] [--rounds 3]
                                   [--bakerydemo CHECKOUT | --peer-url [PAGE=]URL ...]

(`make bench-http` installs gunicorn, wrk and nginx when missing, then runs it.) One run, on
127.0.0.1, of every step of docs/performance.md:
1. a temporary SQLite database with the production settings: the demo (demo/content/) and the
   project page `make bench` builds (bench/page_queries.py), grown to 30 journal entries and 20
   bill-of-materials rows; its background tasks run by the task worker;
2. Carnet under gunicorn, 2 sync workers, beside the task worker, as docs/deployment.md says;
3. wrk (`-t2 -c16`) on the project page, home, /projects/ and /search/?q=laser in alternating
   rounds with the peer (A, B, A, B…): requests/s, p50/p99 latency, and the server's CPU ms per
   request (CPU time of the processes holding the listening socket, read from /proc before and
   after each round, divided by the requests);
4. the same pages through nginx with the repository's cache config (deploy/nginx/carnet.conf),
   in alternating rounds with nginx serving a static copy of the same HTML;
5. a journal entry changed through the service, then the project page polled through nginx
   until the new text shows: publish → visible;
6. the peer, if given: `--bakerydemo CHECKOUT` serves wagtail/bakerydemo the same way
   (bench/peer_bakerydemo.sh) and compares page for page; `--peer-url` compares with a server
   already running;
7. the workers' memory after the run, and `make bench`'s warm query counts.
Every process it starts is stopped at the end, on Ctrl-C too.
"""

import argparse
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

HOST = "127.0.0.1"
WORKERS = 2
PROJECT_SLUG = "lampe-de-chevet-en-contreplaque"  # bench/page_queries.py's project
NGINX_CONFIG = BASE_DIR / "deploy" / "nginx" / "carnet.conf"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
BAKERYDEMO_PAGES = {
    "project": "/blog/wild-yeast/",
    "home": "/",
    "projects": "/blog/",
    "search": "/search/?q=bread",
}
# The issue's targets (#14), printed beside the figures.
TARGET_PROJECT_CPU_MS = 15
TARGET_PEER_RATIO = 3.0
TARGET_CACHE_VS_STATIC = 0.5
TARGET_VISIBLE_S = 1.0
TARGET_RSS_MB = 150
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run (10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    peer = parser.add_mutually_exclusive_group()
    peer.add_argument(
        "--bakerydemo",
        metavar="CHECKOUT",
        type=Path,
        help="serve this checkout of wagtail/bakerydemo with bench/peer_bakerydemo.sh and "
        "compare with it (PYTHON= the interpreter it needs, e.g. python3.12)",
    )
    peer.add_argument(
        "--peer-url",
        metavar="[PAGE=]URL",
        action="append",
        default=[],
        help="a page of a server already running to compare with; PAGE is project (the "
        "default), home, projects or search; repeat for several pages",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="keep the database and logs here; a database already prepared there is reused",
    )
    parser.add_argument(
        "--no-query-counts", action="store_true", help="skip `make bench`'s query counts"
    )
    return parser.parse_args()


# Processes -------------------------------------------------------------------------------------


class Processes:
    """Every server the bench starts, each in its own process group, stopped in reverse order."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        with (self.log_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 (our own commands)
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.started.append((name, process))
        return process

    def check_running(self) -> None:
        for name, process in self.started:
            if process.poll() is not None:
                raise SystemExit(f"{name} stopped (exit {process.returncode}): see {name}.log")

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.started.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Ports:
    carnet: int = field(default_factory=free_port)  # gunicorn
    cache: int = field(default_factory=free_port)  # nginx's cache: the site's public address
    purge: int = field(default_factory=free_port)  # nginx's purge server
    static: int = field(default_factory=free_port)  # nginx serving files
    peer: int = field(default_factory=free_port)


def wait_until_served(url: str, processes: Processes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_running()
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


# Step 1: the site ------------------------------------------------------------------------------


@dataclass
class Site:
    pages: dict[str, str]  # page name → path
    entries: int
    bom_rows: int


def environment(work_dir: Path, ports: Ports) -> dict:
    """docs/deployment.md's environment on loopback, purging nginx's cache."""
    return dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "docs_platform.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{work_dir / 'carnet.sqlite3'}",
        "MEDIA_ROOT": str(work_dir / "media"),
        "CARNET_PAGE_CACHE_DIR": str(work_dir / "page-cache"),
        "SECURE_SSL_REDIRECT": "false",  # no TLS on loopback
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CARNET_PROXY_COUNT": "1",
        "CARNET_FRONTEND_CACHE_URL": f"http://{HOST}:{ports.purge}",
        "PYTHONPATH": str(BASE_DIR),
    }


def prepare_site(env: dict, ports: Ports) -> Site:
    """Migrate and fill the database (unless it already was), point the site at the cache."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from wagtail.models import Site as WagtailSite

    from projects.models import ProjectPage

    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    if not database.exists():
        from page_queries import build_project, grow_issue_project

        from demo.loaders import demo_load
        from demo.reader import read_content

        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(42)
        # The bench's project first: the demo then finds its machines and materials by name.
        project, owner, collaborator, machines = build_project(rng)
        grow_issue_project(project, owner, collaborator, machines, rng)
        demo_load(read_content())
        print(f"Migrated and filled the database in {time.monotonic() - started:.0f} s.")
    call_command("compile_translations", stdout=io.StringIO())
    call_command("collectstatic", verbosity=0, interactive=False)
    # Pages are named by the public address, nginx's: so are the purges (the cache's key).
    WagtailSite.objects.filter(is_default_site=True).update(hostname=HOST, port=ports.cache)

    project = ProjectPage.objects.get(slug=PROJECT_SLUG)
    site = Site(
        pages={
            "project": urlsplit(project.url).path,
            "home": "/",
            "projects": "/projects/",
            "search": "/search/?q=laser",
        },
        entries=project.journal_entries.count(),
        bom_rows=len(project.bill_of_materials),
    )
    connections.close_all()
    return site


def run_queued_tasks(env: dict, log_dir: Path) -> None:
    """Search indexing and renditions queued while filling the database, before serving."""
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    with (log_dir / "task-worker.log").open("ab") as log:
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True, stdout=log, stderr=log)  # noqa: S603


# Step 2: serving -------------------------------------------------------------------------------


def start_carnet(processes: Processes, env: dict, port: int) -> None:
    web = [sys.executable, "-m", "gunicorn", "docs_platform.wsgi:application"]
    web += ["--bind", f"{HOST}:{port}", "--workers", str(WORKERS), "--worker-class", "sync"]
    web += ["--timeout", "60", "--log-level", "warning"]
    processes.start("gunicorn", web, cwd=BASE_DIR, env=env)
    worker = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
    processes.start("task-worker", worker, cwd=BASE_DIR, env=env)


def nginx_config(work_dir: Path, ports: Ports) -> Path:
    """The repository's cache config with this run's ports and folders, each replaced where the
    file has it (as tests/test_proxy_cache.py does), beside a server of static files."""
    for folder in ("cache", "static-copy", "temp"):
        (work_dir / folder).mkdir(exist_ok=True)
    from tests.real_services import nginx_site_config

    carnet = nginx_site_config(
        carnet=f"{HOST}:{ports.carnet}",
        port=ports.cache,
        purge_port=ports.purge,
        cache_dir=work_dir / "cache",
        static_dir=BASE_DIR / "staticfiles",
        media_dir=work_dir / "media",
    )
    (work_dir / "carnet.conf").write_text(carnet)
    temp = work_dir / "temp"
    config = work_dir / "nginx.conf"
    # As root, nginx's workers would run as nobody, who may not read the work folder.
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(f"""
load_module {PURGE_MODULE};
{user}
worker_processes {os.cpu_count()};
pid {work_dir / "nginx.pid"};
error_log {work_dir / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {work_dir / "carnet.conf"};
    server {{
        listen {HOST}:{ports.static};
        root {work_dir / "static-copy"};
        default_type text/html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
""")
    return config


def start_nginx(processes: Processes, config: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    test = subprocess.run(  # noqa: S603
        [nginx, "-t", "-q", "-e", "stderr", "-c", str(config), "-g", "daemon off;"],
        capture_output=True,
        text=True,
    )
    if test.returncode:
        raise SystemExit(f"nginx refuses {config}:\n{test.stderr}")
    processes.start("nginx", [nginx, "-e", "stderr", "-c", str(config), "-g", "daemon off;"])


def start_bakerydemo(processes: Processes, checkout: Path, port: int) -> None:
    script = BASE_DIR / "bench" / "peer_bakerydemo.sh"
    processes.start("bakerydemo", [str(script), str(checkout), str(port)])


# Step 3: measuring -------------------------------------------------------------------------------


def listening_pids(port: int) -> list[int]:
    """The processes holding the socket that listens on `port` (gunicorn's master and workers,
    nginx's): found by the socket's inode in /proc/net/tcp, then in each process's descriptors."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(f"socket:[{fields[9]}]")
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()):
                pids.append(int(entry.name))
        except OSError:  # gone, or not ours to read
            continue
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Sample:
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_s: float | None


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url: str, seconds: int, args: argparse.Namespace) -> Sample:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout", "30s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    with (args.work_dir / "wrk.log").open("a") as log:
        log.write(output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M))
    ms = {key: to_ms(*re.match(r"([\d.]+)(\w+)", value).groups()) for key, value in latency.items()}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Sample(
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=ms.get("50", 0.0),
        p99_ms=ms.get("99", 0.0),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        cpu_s=None,
    )


def measure(url: str, args: argparse.Namespace) -> Sample:
    """One wrk run, with the CPU the server spent meanwhile."""
    pids = listening_pids(urlsplit(url).port or 80)
    before = cpu_seconds(pids)
    sample = wrk(url, args.seconds, args)
    if pids:
        sample.cpu_s = cpu_seconds(pids) - before
    return sample


@dataclass
class Series:
    """One server's page, over every round."""

    url: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def requests_per_s(self) -> float:
        return statistics.median(s.requests_per_s for s in self.samples)

    @property
    def p50_ms(self) -> float:
        return statistics.median(s.p50_ms for s in self.samples)

    @property
    def p99_ms(self) -> float:
        return statistics.median(s.p99_ms for s in self.samples)

    @property
    def cpu_ms(self) -> float | None:
        answered = sum(s.requests for s in self.samples)
        if not answered or any(s.cpu_s is None for s in self.samples):
            return None
        return 1000 * sum(s.cpu_s for s in self.samples) / answered

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.samples)


def alternating_rounds(
    contenders: dict[str, dict[str, str]], args: argparse.Namespace
) -> dict[str, dict[str, Series]]:
    """contenders: name → page → URL. Each round runs every page on each contender in turn (A, B,
    A, B…), so a change in the machine's load falls on both alike."""
    series = {
        name: {page: Series(url) for page, url in pages.items()}
        for name, pages in contenders.items()
    }
    for pages in contenders.values():  # renditions first, then caches and templates of each worker
        for url in pages.values():
            for _ in range(WORKERS):
                requests.get(url, timeout=120)
            wrk(url, 2, args)
    pages = list(dict.fromkeys(page for pages in contenders.values() for page in pages))
    for number in range(1, args.rounds + 1):
        print(f"  round {number}/{args.rounds}…", flush=True)
        for page in pages:
            for name in contenders:
                if page in series[name]:
                    series[name][page].samples.append(measure(series[name][page].url, args))
    return series


def print_series(series: dict[str, dict[str, Series]]) -> None:
    print(
        f"\n{'':<10}{'':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'errors':>8}"
    )
    for page in dict.fromkeys(page for pages in series.values() for page in pages):
        for name, pages in series.items():
            if page not in pages:
                continue
            one = pages[page]
            cpu = f"{one.cpu_ms:12.2f}" if one.cpu_ms is not None else f"{'n/a':>12}"
            print(
                f"{page:<10}{name:<10}{one.requests_per_s:9.1f}{one.p50_ms:9.1f}{one.p99_ms:9.1f}"
                f"{cpu}{one.errors:8}"
            )


def check_pages(urls: list[str]) -> dict[str, str]:
    """The HTML of each page, which must answer 200 (not a redirect, not an error)."""
    html = {}
    for url in urls:
        response = requests.get(url, timeout=60, allow_redirects=False)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}, not 200")
        html[url] = response.text
    return html


# Step 4: the cache beside static files ---------------------------------------------------------


def save_static_copy(carnet_url: str, pages: dict[str, str], root: Path) -> None:
    """Each page's HTML, fetched once, as files nginx serves at the same paths."""
    for path in pages.values():
        folder = root / urlsplit(path).path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(requests.get(carnet_url + path, timeout=60).content)


def cache_status(url: str) -> str:
    """What the cache says of a second GET in a row."""
    requests.get(url, timeout=60)
    response = requests.get(url, timeout=60)
    status = response.headers.get("X-Cache-Status", "no X-Cache-Status")
    cookies = "sets a cookie" if "Set-Cookie" in response.headers else "no cookie"
    return f"{status}, {cookies}, Cache-Control: {response.headers.get('Cache-Control', '-')}"


# Step 5: publish → visible ---------------------------------------------------------------------


def publish_to_visible(page_url: str, attempts: int = 3, timeout: float = 30.0) -> list[float]:
    """Change the newest journal entry through the service, then poll the page through the cache
    until the new text shows. Seconds from the service's commit to the text seen, per attempt
    (inf when not seen within `timeout`)."""
    from django.db import connections

    from projects import services
    from projects.models import JournalEntry, ProjectPage

    project = ProjectPage.objects.get(slug=PROJECT_SLUG)
    delays = []
    for _ in range(attempts):
        requests.get(page_url, timeout=60)  # cached again after the previous change
        entry = JournalEntry.objects.filter(project=project).order_by("-created_at").first()
        marker = f"visible-{secrets.token_hex(4)}"
        services.journal_entry_update(entry=entry, user=entry.author, body=f"{marker} {entry.body}")
        committed = time.monotonic()
        while marker not in requests.get(page_url, timeout=60).text:
            if time.monotonic() - committed > timeout:
                delays.append(float("inf"))
                break
            time.sleep(0.02)
        else:
            delays.append(time.monotonic() - committed)
    connections.close_all()
    return delays


# Step 7: memory and queries ----------------------------------------------------------------------


def worker_rss(port: int) -> list[float]:
    """RSS of the workers: the processes on the socket other than the master (their parent)."""
    pids = listening_pids(port)
    parents = {
        int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) for pid in pids
    }
    return sorted(rss_mb(pid) for pid in pids if pid not in parents or len(pids) == 1)


def warm_query_counts() -> list[str]:
    """The summary lines of `make bench` (bench/page_queries.py)."""
    output = subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "bench" / "page_queries.py")],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    ).stdout
    return [line for line in output.splitlines() if ": warm count" in line]


# Report ----------------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "n/a"


def peer_pages(args: argparse.Namespace, ports: Ports) -> dict[str, str]:
    if args.bakerydemo:
        return {
            page: f"http://{HOST}:{ports.peer}{path}" for page, path in BAKERYDEMO_PAGES.items()
        }
    pages = {}
    for value in args.peer_url:
        page, _, url = value.partition("=") if "=" in value.split("://")[0] else ("", "", value)
        pages[page or "project"] = url
    return pages


@dataclass
class Results:
    direct: dict[str, dict[str, Series]]
    proxied: dict[str, dict[str, Series]]
    delays: list[float]
    rss: list[float]


def run(args: argparse.Namespace, work_dir: Path, processes: Processes) -> Results:
    ports = Ports()
    if args.bakerydemo:  # it installs and loads its demo meanwhile
        start_bakerydemo(processes, args.bakerydemo.resolve(), ports.peer)
    env = environment(work_dir, ports)
    site = prepare_site(env, ports)
    run_queued_tasks(env, work_dir)
    start_carnet(processes, env, ports.carnet)
    carnet = f"http://{HOST}:{ports.carnet}"
    wait_until_served(carnet + "/", processes, 90)
    carnet_pages = {page: carnet + path for page, path in site.pages.items()}
    peer = peer_pages(args, ports)
    if args.bakerydemo:
        wait_until_served(peer["home"], processes, 900)
    html = check_pages([*carnet_pages.values(), *peer.values()])

    print(
        f"\nCarnet: gunicorn {WORKERS} sync workers, SQLite, production settings. Project page "
        f"{site.pages['project']}: {site.entries} journal entries, {site.bom_rows} BOM rows, "
        f"{html[carnet_pages['project']].count('<img')} images.\n"
        f"wrk -t{args.threads} -c{args.connections}, {args.seconds} s × {args.rounds} rounds; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    for page, url in peer.items():
        print(f"peer {page}: {url}")
    direct = alternating_rounds({"Carnet": carnet_pages} | ({"peer": peer} if peer else {}), args)
    print_series(direct)
    if peer:
        print("\nCarnet / peer:")
        for page, theirs in direct["peer"].items():
            if ours := direct["Carnet"].get(page):
                print(
                    f"  {page:<10} requests/s {ratio(ours.requests_per_s, theirs.requests_per_s)}"
                    f", CPU per request {ratio(ours.cpu_ms, theirs.cpu_ms)}"
                )

    print(
        f"\nThrough nginx's cache ({NGINX_CONFIG.relative_to(BASE_DIR)}) beside nginx serving "
        "the same HTML as files:"
    )
    save_static_copy(carnet, site.pages, work_dir / "static-copy")
    start_nginx(processes, nginx_config(work_dir, ports))
    cached = {page: f"http://{HOST}:{ports.cache}{path}" for page, path in site.pages.items()}
    static = {page: f"http://{HOST}:{ports.static}{path}" for page, path in site.pages.items()}
    wait_until_served(cached["home"], processes, 30)
    for page, url in cached.items():
        print(f"  {page:<10} {cache_status(url)}")
    proxied = alternating_rounds({"cache": cached, "static": static}, args)
    print_series(proxied)
    print("\nthrough the cache / static, requests/s:")
    for page, through in proxied["cache"].items():
        print(
            f"  {page:<10} {ratio(through.requests_per_s, proxied['static'][page].requests_per_s)}"
        )

    delays = publish_to_visible(cached["project"])
    shown = ", ".join("not within 30 s" if d == float("inf") else f"{d:.2f} s" for d in delays)
    print(f"\npublish → visible through the cache: {shown}")
    rss = worker_rss(ports.carnet)
    peer_rss = f" (bakerydemo's: {', '.join(f'{r:.0f} MB' for r in worker_rss(ports.peer))})"
    print(
        f"gunicorn workers' RSS after the run: {', '.join(f'{r:.0f} MB' for r in rss)}"
        f"{peer_rss if args.bakerydemo else ''}"
    )
    return Results(direct, proxied, delays, rss)


def print_targets(results: Results) -> None:
    project = results.direct["Carnet"]["project"]
    print("\nTargets of issue #14:")
    print(f"  project page CPU per request: {project.cpu_ms:.1f} ms (≤ {TARGET_PROJECT_CPU_MS})")
    if peer := results.direct.get("peer", {}).get("project"):
        got = ratio(project.requests_per_s, peer.requests_per_s)
        print(f"  project page requests/s vs the peer's: {got} (≥ {TARGET_PEER_RATIO:.0f}×)")
    cache, static = results.proxied["cache"], results.proxied["static"]
    worst = min(cache[page].requests_per_s / static[page].requests_per_s for page in cache)
    print(
        f"  through the cache vs static, worst page: {worst:.0%} (≥ {TARGET_CACHE_VS_STATIC:.0%})"
    )
    print(f"  publish → visible: worst {max(results.delays):.2f} s (≤ {TARGET_VISIBLE_S:.0f} s)")
    print(f"  gunicorn worker RSS: largest {max(results.rss):.0f} MB (≤ {TARGET_RSS_MB} MB)")


def main() -> int:
    args = parse_args()
    # Stop the servers on Ctrl-C, even when started in the background (SIGINT ignored), and on kill.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for tool in ("wrk", "/usr/sbin/nginx", PURGE_MODULE):
        if not shutil.which(tool) and not Path(tool).exists():
            raise SystemExit(f"{tool} is missing: make bench-http installs it (apt-get)")
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="carnet-http-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    args.work_dir = work_dir
    processes = Processes(work_dir)
    try:
        results = run(args, work_dir, processes)
    finally:
        processes.stop_all()
    if not args.no_query_counts:
        print("\nwarm SQL queries of the project page (make bench, 1 → 500 journal entries):")
        for line in warm_query_counts():
            print(f"  {line}")
    print_targets(results)
    print(f"\nlogs and database: {work_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
