"""`manage.py load_demo_data`: La Machinerie, a fab lab in Amiens, with its members, machines
and projects. Safe to run again: what already exists (by username, slug, name or title) is
skipped, so a second run creates nothing.

Each app keeps its own content in `<app>/demo.py`; this command only runs them in order.
To add content (tribes, calls, showcases…), write a loader that yields `(label, created)` for
each item and add a `DemoStep` to `demo_steps()`.
"""

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

Loader = Callable[[], Iterable[tuple[str, bool]]]


@dataclass(frozen=True)
class DemoStep:
    label: str  # plural, shown in the progress bar and the summary
    size: int  # how many items the loader yields, for the progress bar
    load: Loader


def demo_steps() -> list[DemoStep]:
    """The demo content, in dependency order: later steps look up what earlier ones made."""
    from calls import demo as calls_demo
    from machines import demo as machines_demo
    from projects import demo as projects_demo
    from showcases import demo as showcases_demo
    from tribes import demo as tribes_demo
    from users import demo as users_demo

    return [
        DemoStep("membres", len(users_demo.MEMBERS), users_demo.load_members),
        DemoStep("machines", len(machines_demo.MACHINES), machines_demo.load_machines),
        DemoStep("matériaux", len(machines_demo.MATERIALS), machines_demo.load_materials),
        DemoStep("projets", len(projects_demo.PROJECTS), projects_demo.load_projects),
        DemoStep("tribus", tribes_demo.SIZE, tribes_demo.load_tribes),
        DemoStep("appels à projets", calls_demo.SIZE, calls_demo.load_calls),
        DemoStep("vitrines", showcases_demo.SIZE, showcases_demo.load_showcases),
        DemoStep(
            "historique des machines",
            machines_demo.HISTORY_SIZE,
            machines_demo.load_machine_history,
        ),
    ]


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de La Machinerie (Amiens) : membres, machines, "
        "matériaux et projets. Relançable sans risque : rien n'est créé deux fois."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        steps = demo_steps()
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
        self._print_logins()
        self._print_watch_live()

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

    def _print_logins(self) -> None:
        from calls.demo import demo_logins as company_logins
        from users.demo import demo_logins

        members = [*demo_logins(), *company_logins()]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Comptes de démonstration"))
        self.stdout.write(
            _table(
                ["identifiant", "mot de passe", "rôle", "qui"],
                [[m.username, m.password, m.role, m.profile] for m in members],
            )
        )
        self.stdout.write(
            "Connexion : http://127.0.0.1:8000/  ·  administration : http://127.0.0.1:8000/admin/"
        )
        self.stdout.write(
            "Un compte qui existait déjà garde son mot de passe : ce tableau vaut pour une "
            "base neuve."
        )

    def _print_watch_live(self) -> None:
        from machines.demo import watch_live

        watch = watch_live()
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
            "Taux de documentation des machines : "
            "http://127.0.0.1:8000/machines/documentation-rate/ (admin)"
        )


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        cells = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(cells).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
