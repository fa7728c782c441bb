"""How much CPU does the project page cost to render? Not a test: it prints figures.

    .venv/bin/python bench/page_render.py [--runs 50] [--profile 30]

Builds the page `make bench` builds (bench/page_queries.py) grown to 30 journal entries, 12
photos and 20 bill-of-materials rows, in a throwaway SQLite database, then GETs it through
Django's test client with DEBUG off and the cached template loader (the production setup), warm:
renditions stored and caches filled. Prints the median and best CPU ms per GET: anonymous (the
whole page kept between requests, core/render_cache.py), anonymous with nothing kept (as after a
change), a signed-in member (the body kept), and the owner (rendered for them alone);
`--profile N` prints cProfile's top N functions of the anonymous GETs.
"""

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_queries import build_project, grow_issue_project, setup_django  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="GETs measured per visitor")
    parser.add_argument("--profile", type=int, default=0, help="print the top N of cProfile")
    parser.add_argument("--save-html", metavar="PREFIX", help="write each visitor's page there")
    return parser.parse_args()


def cpu_ms_per_get(client, url: str, runs: int, *, render: bool = False) -> list[float]:
    """`render`: forget the kept page bodies before each GET (core/render_cache.py)."""
    from django.core.cache import caches

    timings = []
    for _ in range(runs):
        if render:
            caches["pages"].clear()
        start = time.thread_time()
        response = client.get(url)
        timings.append((time.thread_time() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def main() -> int:
    args = parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as work_dir:
        setup_django(Path(work_dir), "")
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.template import Template
        from django.test import Client
        from django.test.utils import _TestState

        # The test environment wraps every template render to record it: not what production does.
        Template._render = _TestState.saved_data.template_render

        assert not settings.DEBUG
        print("Building the project…", flush=True)
        project, owner, collaborator, machines = build_project(rng)
        grow_issue_project(project, owner, collaborator, machines, rng)
        url = project.url
        print(f"Project page {url}: CPU ms per warm GET ({args.runs} GETs each)\n")
        # The owner's page is rendered for them alone; a visitor's is kept whole between
        # requests, a member's body is kept, and both are rendered again after a change.
        member = get_user_model().objects.create_user(username="lecteur", password=None)
        for visitor in ("anonymous", "anonymous, rendered", "member", "owner"):
            client = Client()
            if visitor in ("member", "owner"):
                client.force_login(member if visitor == "member" else owner)
            render = visitor.endswith("rendered")
            cpu_ms_per_get(client, url, 3)  # renditions, caches, templates
            if args.save_html:
                Path(f"{args.save_html}-{visitor}.html").write_bytes(client.get(url).content)
            timings = cpu_ms_per_get(client, url, args.runs, render=render)
            print(
                f"{visitor:<25}  median {statistics.median(timings):6.1f} ms  "
                f"best {min(timings):6.1f} ms"
            )
            if args.profile and visitor == "anonymous":
                profiler = cProfile.Profile()
                profiler.enable()
                cpu_ms_per_get(client, url, args.runs)
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(args.profile)
                stats.sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
