"""Lighthouse (npm, `make node-install`) in mobile mode on Carnet served for real. Not a test: it
prints figures, and exits non-zero when one misses its target.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--work-dir DIR]

(`make bench-lighthouse` installs gunicorn and the npm packages first.) As bench/http_pages.py
sets it up: a temporary SQLite database with the production settings (DEBUG off, collected
static files) filled with the demo, Carnet under gunicorn behind nginx with the repository's
config (deploy/nginx/carnet.conf), which serves the static files. Lighthouse drives Debian's
Chromium, headless, on the home page and a project page, `--runs` times each; the median run
is printed. Every process it starts is stopped at the end."""

import argparse
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from http_pages import (
    BASE_DIR,
    HOST,
    Ports,
    Processes,
    environment,
    nginx_config,
    prepare_site,
    run_queued_tasks,
    start_carnet,
    start_nginx,
    wait_until_served,
)

LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["home", "project"]
# The targets (#15).
TARGET_ACCESSIBILITY = 98
TARGET_PERFORMANCE = 90
TARGET_CLS = 0.05


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (3)")
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="keep the database, logs and reports here (reused when run again)",
    )
    return parser.parse_args()


def lighthouse(url: str, report: Path) -> dict:
    """One mobile run (Lighthouse's default: a mid-range phone, simulated slow 4G)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    subprocess.run(command, check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})  # noqa: S603
    data = json.loads(report.read_text())
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "cls": data["audits"]["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": data["audits"]["largest-contentful-paint"]["numericValue"],
        "tbt_ms": data["audits"]["total-blocking-time"]["numericValue"],
    }


def median_run(runs: list[dict]) -> dict:
    """The run of median performance score, as Lighthouse's own docs advise."""
    ordered = sorted(runs, key=lambda run: run["performance"])
    return ordered[len(ordered) // 2]


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: make node-install")
    if not Path(CHROMIUM).exists():
        raise SystemExit("Chromium is missing: apt-get install chromium")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("nginx is missing: apt-get install nginx libnginx-mod-http-cache-purge")
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="carnet-lighthouse-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    processes = Processes(work_dir)
    ports = Ports()
    env = environment(work_dir, ports)
    try:
        site = prepare_site(env, ports)
        run_queued_tasks(env, work_dir)
        start_carnet(processes, env, ports.carnet)
        start_nginx(processes, nginx_config(work_dir, ports))
        base = f"http://{HOST}:{ports.cache}"
        wait_until_served(f"{base}/", processes, timeout=60)
        results = {}
        for name in PAGES:
            url = f"{base}{site.pages[name]}"
            runs = [lighthouse(url, work_dir / f"{name}-{n}.json") for n in range(args.runs)]
            results[name] = (url, runs)
    finally:
        processes.stop_all()

    print(f"\nLighthouse, mobile, median of {args.runs} runs (production settings, nginx):")
    failed = False
    for name, (url, runs) in results.items():
        best = median_run(runs)
        print(
            f"  {name:8} performance {best['performance']:3d}   accessibility "
            f"{best['accessibility']:3d}   CLS {best['cls']:.3f}   LCP {best['lcp_ms']:.0f} ms"
            f"   TBT {best['tbt_ms']:.0f} ms   ({url})"
        )
        spread = [run["performance"] for run in runs]
        print(f"           performance of every run: {spread} (median {statistics.median(spread)})")
        failed |= (
            best["performance"] < TARGET_PERFORMANCE
            or best["accessibility"] < TARGET_ACCESSIBILITY
            or best["cls"] >= TARGET_CLS
        )
    print(
        f"targets: performance ≥ {TARGET_PERFORMANCE}, accessibility ≥ {TARGET_ACCESSIBILITY}, "
        f"CLS < {TARGET_CLS}: {'MISSED' if failed else 'met'}"
    )
    print(f"reports (JSON), logs and database: {work_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
