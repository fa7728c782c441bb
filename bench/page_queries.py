"""How many SQL queries does a project page cost, and does the count stay flat as the journal
grows? Not a test: it prints figures.

    .venv/bin/python bench/page_queries.py [--verbose] [--entries 1 500]

It builds its own throwaway SQLite database and media folder (the test settings, with
DATABASE_URL and MEDIA_ROOT pointing into a temporary directory), creates one project the way
members do (through projects.services: cover photo, steps with photos, bill of materials, files,
tags, machines, materials, a collaborator), then GETs the page with Django's test client,
anonymously and as the owner, with 1 and with 500 journal entries. Three GETs each: the first
(the first visitor's: the renditions were made by the uploads' tasks, which the test settings run
at once; any missing would be made in this GET and counted here), a warm one (the figure that
counts: target at most 12 queries, the same for 1 and 500 entries), and one after clearing
Django's cache (renditions already stored).
`--database-url` runs it on another EMPTY database, e.g. a throwaway PostgreSQL cluster.
"""

import argparse
import io
import os
import random
import re
import secrets
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = 12
PHOTO_EVERY = 3  # one journal entry in three has photos, starting with the first
KINDS = ["research", "choice", "trial", "failure", "success", "lesson", "note"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print every query")
    parser.add_argument(
        "--entries",
        type=int,
        nargs="+",
        default=[1, 500],
        help="journal sizes to measure, ascending (default: 1 500)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="an EMPTY throwaway database instead of a temporary SQLite file, e.g. on "
        "PostgreSQL: scripts/with-postgres.sh sh -c "
        "'.venv/bin/python bench/page_queries.py --database-url \"$DATABASE_URL\"'",
    )
    return parser.parse_args()


def setup_django(work_dir: Path, database_url: str) -> None:
    # Our own database: never the one DATABASE_URL may name in the environment.
    os.environ["DJANGO_SETTINGS_MODULE"] = "docs_platform.settings.test"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work_dir / 'bench.sqlite3'}"
    sys.path.insert(0, str(BASE_DIR))

    import django
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    django.setup()
    override_settings(MEDIA_ROOT=str(work_dir / "media")).enable()
    setup_test_environment()  # lets the test client's "testserver" host in
    call_command("migrate", interactive=False, verbosity=0)


def photo_upload(name: str, rng: random.Random):
    """A small JPEG, as a browser would upload it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 72), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 60, 50), fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_project(rng: random.Random):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.text import slugify

    from machines.models import Machine, Material
    from projects import services
    from projects.models import Difficulty, ProjectStatus
    from users.services import user_create

    owner = user_create(
        username="camille",
        email="camille@example.org",
        password=secrets.token_urlsafe(),
        display_name="Camille",
    )
    collaborator = user_create(
        username="noor",
        email="noor@example.org",
        password=secrets.token_urlsafe(),
        display_name="Noor",
    )
    machines = []
    for name, kind in [
        ("Découpe laser Trotec", Machine.Kind.LASER_CUTTER),
        ("Prusa MK4", Machine.Kind.PRINTER_3D),
        ("Fraiseuse Shapeoko", Machine.Kind.CNC_MILL),
    ]:
        machine = Machine(name=name, slug=slugify(name), kind=kind)
        machine.full_clean()
        machine.save()
        machines.append(machine)
    materials = []
    for name in ["Contreplaqué peuplier 3 mm", "PLA", "Ruban LED"]:
        material = Material(name=name)
        material.full_clean()
        material.save()
        materials.append(material)

    project = services.project_create(
        owner=owner,
        title="Lampe de chevet en contreplaqué",
        summary="Une lampe découpée au laser, avec un pied imprimé en 3D.",
        photo=photo_upload("cover", rng),
    )
    project = services.project_publish(project=project, user=owner)
    project = services.project_update(
        project=project,
        user=owner,
        presentation="Une **lampe** simple.\n\n- découpe laser\n- impression 3D",
        methodology="Prototyper vite, noter chaque essai.",
        technical_architecture="```python\nprint('LED')\n```",
        status=ProjectStatus.PROTOTYPE_WORKS,
        difficulty=Difficulty.INTERMEDIATE,
        duration="Deux soirées",
        cost=Decimal("24.50"),
        tags=["laser", "bois", "lumière"],
        machines=machines,
        materials=materials,
        collaborators=[collaborator],
    )
    project = services.project_publish(project=project, user=owner)
    for number in range(1, 5):
        services.project_step_add(
            project=project,
            user=owner,
            title=f"Étape {number}",
            body=f"Faire l'étape {number} avec *soin*.",
            photos=[photo_upload(f"step-{number}-{i}", rng) for i in range(2)],
        )
    services.project_bill_of_materials_set(
        project=project,
        user=owner,
        rows=[
            {
                "item": item,
                "quantity": Decimal(quantity),
                "unit": unit,
                "supplier": "Fournisseur",
                "link": "https://example.org/",
                "unit_cost": Decimal(cost),
            }
            for item, quantity, unit, cost in [
                ("Contreplaqué peuplier 3 mm", "2", "plaque", "4.50"),
                ("Ruban LED 12 V", "1.5", "m", "6.00"),
                ("Alimentation 12 V", "1", "", "8.90"),
                ("Vis M3", "8", "", "0.05"),
            ]
        ],
    )
    for name, content in [("decoupe.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")] + [
        ("pied.stl", b"solid pied\nendsolid pied\n")
    ]:
        services.project_file_add(
            project=project,
            user=owner,
            file=SimpleUploadedFile(name, content),
            description=f"Fichier {name}",
        )
    project.refresh_from_db()
    return project, owner, collaborator, machines


def entry_fields(number: int, rng: random.Random, machines) -> dict:
    kind = KINDS[number % len(KINDS)]
    machine = machines[number % len(machines)] if number % 2 else None
    return {
        "kind": kind,
        "title": f"Essai n° {number}" if number % 4 else "",
        "body": f"Essai {number} : puissance {rng.randrange(20, 90)} %.\n\n- vitesse lente\n- *ok*",
        "outcome": ["worked", "partly", "failed", ""][number % 4],
        "machine": machine,
        "parameters": {"puissance": f"{rng.randrange(20, 90)} %", "vitesse": "20 mm/s"}
        if machine
        else {},
    }


def add_entries_with_services(project, authors, machines, rng, numbers) -> None:
    from projects import services

    for number in numbers:
        photos = [photo_upload(f"entry-{number}", rng)] if number % PHOTO_EVERY == 1 else []
        services.journal_entry_create(
            project=project,
            author=authors[number % len(authors)],
            photos=photos,
            **entry_fields(number, rng, machines),
        )


def grow_issue_project(project, owner, collaborator, machines, rng, *, entries=30, bom_rows=20):
    """The project page issue #14 measures: `entries` journal entries (one in three with a photo)
    and `bom_rows` rows of bill of materials, written through the services."""
    from projects import services

    services.project_bill_of_materials_set(
        project=project,
        user=owner,
        rows=[
            {
                "item": f"Pièce {number}",
                "quantity": Decimal(number % 5 + 1),
                "unit": "pièce" if number % 2 else "",
                "supplier": "Fournisseur" if number % 3 else "",
                "link": "https://example.org/" if number % 4 else "",
                "unit_cost": Decimal("1.25") * number if number % 5 else None,
            }
            for number in range(1, bom_rows + 1)
        ],
    )
    add_entries_with_services(project, [owner, collaborator], machines, rng, range(1, entries + 1))


def add_entries_in_bulk(project, authors, machines, rng, numbers) -> None:
    """The same entries as the service makes (photos on one in three), without a revision and
    a search-index update each: 500 service calls would take most of a minute."""
    from django.utils import timezone
    from wagtail.images import get_image_model

    from images.services import image_create_from_upload
    from projects.models import JournalEntry

    numbers = list(numbers)
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(
            project=project, author=authors[n % len(authors)], **entry_fields(n, rng, machines)
        )
        for n in numbers
    )
    # A real journal spreads over weeks: re-date every entry, oldest first, 3 hours apart.
    journal = list(JournalEntry.objects.filter(project=project).order_by("pk"))
    now = timezone.now()
    for rank, entry in enumerate(journal):
        entry.created_at = now - timedelta(hours=3 * (len(journal) - rank))
    JournalEntry.objects.bulk_update(journal, ["created_at"])
    pool = [
        image_create_from_upload(
            file=photo_upload(f"bulk-{i}", rng), title=f"Photo {i}", uploaded_by=authors[0]
        )
        for i in range(12)
    ]
    through = JournalEntry.photos.through
    image_field = f"{get_image_model()._meta.model_name}_id"
    links = []
    for entry, number in zip(entries, numbers, strict=True):
        if number % PHOTO_EVERY == 1:
            for image in rng.sample(pool, 1 + number % 2):
                links.append(through(journalentry_id=entry.pk, **{image_field: image.pk}))
    through.objects.bulk_create(links)


@dataclass
class Run:
    entries: int
    visitor: str
    first: list[str]  # the very first GET: any rendition the uploads' tasks did not make
    warm: list[str]  # the figure that counts: a GET once renditions and caches are warm
    cold_cache: list[str]  # renditions in the database but the cache empty (restart, new worker)
    html_bytes: int


def _get(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        body = response.content[:2000].decode(errors="replace")
        raise SystemExit(f"GET {url} answered {response.status_code}:\n{body}")
    return [query["sql"] for query in captured.captured_queries], response


def measure(client, url: str, *, entries: int, visitor: str) -> Run:
    from django.core.cache import caches

    first, _response = _get(client, url)
    warm, response = _get(client, url)
    for cache in caches.all():
        cache.clear()
    cold_cache, _response = _get(client, url)
    return Run(entries, visitor, first, warm, cold_cache, len(response.content))


def describe(sql: str) -> str:
    """A short name for a query: its verb and tables."""
    tables = re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"(\w+)"', sql)
    verb = sql.split(None, 1)[0].upper()
    return f"{verb} {', '.join(dict.fromkeys(tables))}"


def main() -> int:
    args = parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as work_dir:
        setup_django(Path(work_dir), args.database_url)
        from django.db import connection
        from django.test import Client

        from projects.models import JournalEntry

        print("Building the project…", flush=True)
        project, owner, collaborator, machines = build_project(rng)
        authors = [owner, collaborator]
        url = project.url

        runs: list[Run] = []
        for size in sorted(set(args.entries)):
            have = JournalEntry.objects.filter(project=project).count()
            missing = range(have + 1, size + 1)
            if len(missing) <= 20:
                add_entries_with_services(project, authors, machines, rng, missing)
            else:
                add_entries_in_bulk(project, authors, machines, rng, missing)
            entries = JournalEntry.objects.filter(project=project)
            with_photos = entries.filter(photos__isnull=False).distinct().count()
            print(f"{entries.count()} journal entries ({with_photos} with photos)…", flush=True)
            for visitor in ("anonymous", "owner"):
                client = Client()
                if visitor == "owner":
                    client.force_login(owner)
                runs.append(measure(client, url, entries=size, visitor=visitor))

        print(f"\nProject page {url}: SQL queries per GET, on {connection.vendor}\n")
        print(
            f"{'journal entries':>15}  {'visitor':<9}  {'warm':>4}  {'first GET':>9}  "
            f"{'cache cleared':>13}  {'HTML bytes':>10}"
        )
        for run in runs:
            print(
                f"{run.entries:>15}  {run.visitor:<9}  {len(run.warm):>4}  {len(run.first):>9}  "
                f"{len(run.cold_cache):>13}  {run.html_bytes:>10}"
            )
        print(
            "\nwarm: renditions generated and caches filled by earlier GETs (the target);"
            "\nfirst GET: the first visitor's (renditions made at upload, any missing made here);"
            "\ncache cleared: renditions in the database, Django's cache empty."
        )
        print()
        for visitor in ("anonymous", "owner"):
            counts = [len(run.warm) for run in runs if run.visitor == visitor]
            flat = len(set(counts)) == 1
            within = max(counts) <= TARGET
            print(
                f"{visitor}: warm count {'flat' if flat else 'GROWS with the journal'} "
                f"({' → '.join(map(str, counts))}), "
                f"{'within' if within else 'OVER'} the target of {TARGET}"
            )

        if args.verbose:
            for run in runs:
                for label, queries in [("warm", run.warm), ("cache cleared", run.cold_cache)]:
                    print(
                        f"\n--- {run.entries} journal entries, {run.visitor}, {label}: "
                        f"{len(queries)} queries"
                    )
                    for number, sql in enumerate(queries, start=1):
                        print(f"{number:>3}. [{describe(sql)}]\n     {sql}")
        else:
            run = runs[-1]
            print(
                f"\nWarm queries for {run.entries} entries, {run.visitor} "
                "(--verbose prints the SQL of every run):"
            )
            for number, sql in enumerate(run.warm, start=1):
                print(f"{number:>3}. {describe(sql)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
