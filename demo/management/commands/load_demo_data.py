"""`manage.py load_demo_data`: La Machinerie, a fab lab in Amiens, with its members, machines
and projects. Safe to run again: what already exists (by username, slug, name or title) is
skipped, so a second run creates nothing.

The content is read from demo/content/ (demo/content/README.md says how to edit it) and checked
before anything is written; demo.loaders writes it through the apps' services."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.loaders import demo_steps
from demo.loaders.machines import watch_live
from demo.loaders.members import demo_logins
from demo.reader import DemoContent, DemoContentError, read_content


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de La Machinerie (Amiens) : membres, machines, "
        "matériaux et projets. Relançable sans risque : rien n'est créé deux fois."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        try:
            content = read_content()
        except DemoContentError as error:
            raise CommandError(f"Données de démonstration illisibles : {error}") from error
        steps = demo_steps(content)
        started = time.monotonic()
        counts: dict[str, list[int]] = {step.label: [0, 0] for step in steps}
        with tqdm(
            total=sum(step.size for step in steps),
            unit=" élément",
            file=sys.stderr,
            disable=verbosity == 0,
            dynamic_ncols=True,
        ) as bar:
            for step in steps:
                bar.set_description(step.label.capitalize())
                for label, created in step.load():
                    counts[step.label][0 if created else 1] += 1
                    bar.set_postfix_str(label[:40])
                    bar.update()
        elapsed = time.monotonic() - started
        if verbosity == 0:
            return
        self._print_summary(counts, elapsed)
        self._print_logins(content)
        self._print_watch_live(content)

    def _print_summary(self, counts: dict[str, list[int]], elapsed: float) -> None:
        created = sum(c for c, _ in counts.values())
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration chargées en {elapsed:.1f} s : "
                f"{created} élément(s) créé(s)."
            )
        )
        self.stdout.write(
            _table(
                ["", "créés", "déjà présents"],
                [[label, str(c), str(s)] for label, (c, s) in counts.items()],
            )
        )
        self.stdout.write(f"Photos dans {settings.MEDIA_ROOT}")

    def _print_logins(self, content: DemoContent) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Comptes de démonstration"))
        self.stdout.write(
            _table(
                ["identifiant", "mot de passe", "rôle", "qui"],
                [[m.username, m.password, m.role, m.profile] for m in demo_logins(content)],
            )
        )
        base_url = _base_url()
        self.stdout.write(f"Connexion : {base_url}/  ·  administration : {base_url}/admin/")
        self.stdout.write(
            "Un compte qui existait déjà garde son mot de passe : ce tableau vaut pour une "
            "base neuve."
        )

    def _print_watch_live(self, content: DemoContent) -> None:
        base_url = _base_url()
        watch = watch_live(content, base_url)
        if watch is None:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Voir l'invitation à documenter en direct"))
        self.stdout.write(f"1. Ouvrez le kiosque de la machine : {watch.kiosk_url}")
        self.stdout.write(f"2. Dans un autre terminal, lancez un job simulé : {watch.command}")
        if watch.member:
            self.stdout.write(
                f"3. Connecté en tant que {watch.member}, chaque page montre le bandeau du job."
            )
        self.stdout.write(
            f"Taux de documentation des machines : {base_url}/machines/documentation-rate/ (admin)"
        )


def _base_url() -> str:
    """Where the site is served; `make demo` sets it from DEMO_ADDRESS (settings.dev)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        cells = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(cells).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
