"""Take the pictures of docs/screenshots/ again, from the demo data, in French: the main pages
on a desktop (`NAME.png`, the whole page) and on a phone (`NAME-phone.png`, its first screen).
The kiosk and the job banner need a running job: tests/browser/test_machine_prompt.py takes
them (CARNET_SCREENSHOTS=1).

    .venv/bin/python scripts/screenshots.py [--only NAME ...] [--keep DIR]

(`make screenshots`.) A temporary SQLite database is filled by `manage.py load_demo_data`, served
by uvicorn as `make demo` does, and photographed with Debian's Chromium through Playwright.
Every process it starts is stopped at the end."""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUTPUT = BASE_DIR / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
# The demo's accounts (demo/content/): a member with documented projects, and staff.
MEMBER = ("camille.lefebvre", "carnet-demo")
STAFF = ("admin", "carnet-admin")


@dataclass(frozen=True)
class Shot:
    name: str
    path: str  # may name the demo's objects: {project}, {entry}, {tribe}, {showcase}
    account: tuple[str, str] | None = None
    phone: bool = True
    desktop: bool = True


SHOTS = [
    Shot("home", "/"),
    Shot("project", "{project}"),
    Shot("journal-entry", "{entry}"),
    Shot("search", "/search/?q=laser"),
    Shot("tribe", "{tribe}"),
    Shot("calls", "/calls/"),
    Shot("members", "/members/"),
    Shot("showcase", "{showcase}"),
    Shot("new-project", "/projects/new/", MEMBER),
    Shot("documentation-rate", "/machines/documentation-rate/", STAFF),
    Shot("statistics", "/stats/", STAFF, phone=False),
    Shot("curation-queue", "/admin/curation/", STAFF, phone=False),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def demo_environment(work_dir: Path, address: str) -> dict:
    return dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "docs_platform.settings.dev",
        "DATABASE_URL": f"sqlite:///{work_dir / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(work_dir / "media"),
        "DEMO_ADDRESS": address,
        "CARNET_TASKS": "immediate",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def manage(env: dict, *args: str, log: Path) -> None:
    with log.open("ab") as output:
        subprocess.run(  # noqa: S603 (our own command)
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=output,
            stderr=output,
        )


def demo_paths(env: dict) -> dict[str, str]:
    """The demo's best documented project, one of its journal entries, La Machinerie and a
    showcase."""
    script = (
        "from projects.models import ProjectPage, JournalEntry; "
        "from tribes.models import TribePage; from showcases.models import ShowcasePage; "
        "p = ProjectPage.objects.live().public().get(slug='boite-a-bijoux-en-contreplaque-grave'); "
        "e = JournalEntry.objects.filter(project=p).exclude(title='').last(); "
        "print('project', p.url); print('entry', e.get_absolute_url()); "
        "print('tribe', TribePage.objects.live().get(slug='la-machinerie').url); "
        "print('showcase', ShowcasePage.objects.live().first().url)"
    )
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "--verbosity", "0", "-c", script],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())


def wait_until_served(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def log_in(page, base: str, account: tuple[str, str]) -> None:
    username, password = account
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()


def photograph(base: str, paths: dict[str, str], shots: list[Shot]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for shot in shots:
            devices = [(DESKTOP, "", True)] if shot.desktop else []
            if shot.phone:
                devices.append((PHONE, "-phone", False))
            for device, suffix, full_page in devices:
                context = browser.new_context(**device, **FRENCH)
                page = context.new_page()
                if shot.account:
                    log_in(page, base, shot.account)
                page.goto(base + shot.path.format(**paths), wait_until="networkidle")
                # Lazy images below the first screen load before a whole-page picture.
                if full_page:
                    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                    page.wait_for_load_state("networkidle")
                    page.evaluate("window.scrollTo(0, 0)")
                target = OUTPUT / f"{shot.name}{suffix}.png"
                page.screenshot(path=target, full_page=full_page)
                written.append(target)
                context.close()
        browser.close()
    return written


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [shot.name for shot in SHOTS]
    parser.add_argument("--only", nargs="+", choices=names, help="these pictures only")
    parser.add_argument("--keep", type=Path, help="keep the demo database and logs in DIR")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not Path(CHROMIUM).exists():
        raise SystemExit("Chromium is missing: apt-get install chromium")
    work_dir = args.keep or Path(tempfile.mkdtemp(prefix="carnet-screenshots-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://{HOST}:{port}"
    env = demo_environment(work_dir, f"{HOST}:{port}")
    log = work_dir / "demo.log"
    server = None
    try:
        if not (work_dir / "demo.sqlite3").exists():
            print("Filling a demo database (about two minutes)…")
            manage(env, "migrate", "--noinput", log=log)
            manage(env, "load_demo_data", log=log)
        paths = demo_paths(env)
        with (work_dir / "uvicorn.log").open("ab") as output:
            server = subprocess.Popen(  # noqa: S603
                [PYTHON, "-m", "uvicorn", "docs_platform.asgi:application"]
                + ["--host", HOST, "--port", str(port)],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        wait_until_served(f"{base}/", server)
        shots = [s for s in SHOTS if not args.only or s.name in args.only]
        for path in photograph(base, paths, shots):
            print(f"  {path.relative_to(BASE_DIR)}")
    finally:
        if server and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        if not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
