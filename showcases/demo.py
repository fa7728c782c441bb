"""Demo showcases for `manage.py load_demo_data`: two selections of the demo's public projects,
with the lab team's notes, the first featured on the home page.

Written through showcases.services, as staff would publish them. A showcase that already exists
(by title) is left alone, so loading twice creates nothing twice. Run after the projects and
tribes (the tribes make some projects tribe-only or private: those are not chosen here).
"""

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from home.models import HomePage
from projects.models import ProjectPage
from users.models import User

from .models import ShowcasePage
from .services import home_featured_showcase_set, showcase_create

CURATOR = "admin"


def md(text: str) -> str:
    return textwrap.dedent(text).strip()


@dataclass(frozen=True)
class DemoShowcase:
    title: str
    intro: str
    items: tuple[tuple[str, str], ...]  # (project title, curator's note)
    featured: bool = False


FIRST_STEPS = DemoShowcase(
    title="Premiers pas au fab lab",
    intro=md(
        """
        Vous venez d'arriver à La Machinerie et vous ne savez pas par où commencer ? Ces
        projets se font en une ou deux soirées, avec les machines de la formation d'accueil.
        Leurs journaux racontent aussi les ratés : lisez-les avant de lancer la découpe.
        """
    ),
    items=(
        (
            "Boîte à bijoux en contreplaqué gravé",
            "Le projet idéal pour apprivoiser la découpeuse laser : la grille de test "
            "puissance / vitesse, puis une première découpe aux **bords brûlés** et ce que "
            "Camille en a tiré.",
        ),
        (
            "Stickers pour les Jardins partagés de Saint-Leu",
            "La plotter de découpe pour une association du quartier : pourquoi aucun détail "
            "ne doit descendre sous 1 mm, et des lignes d'échenillage qui font gagner une "
            "soirée.",
        ),
        (
            "Planche à découper en chêne massif",
            "Première prise en main de la fraiseuse numérique : une planche qui bouge "
            "pendant la rigole, des brûlures au fond de la poignée, et les deux leçons qui "
            "vont avec.",
        ),
    ),
    featured=True,
)

FOR_OTHERS = DemoShowcase(
    title="Fabriquer pour les autres",
    intro=md(
        """
        Une main imprimée pour Inès, des robots pour une classe de CM1, une grainothèque pour
        la médiathèque : au fab lab, on fabrique aussi pour les autres. Des projets à reprendre
        et à adapter, sous licence libre.
        """
    ),
    items=(
        (
            "Main imprimée en 3D pour Inès (e-Nable)",
            "Un journal exemplaire : le choix du PETG, des doigts décollés du plateau, des "
            "articulations trop serrées, jusqu'à l'essayage avec Inès.",
        ),
        (
            "Robot suiveur de ligne avec les CM1 de l'école Jules-Verne",
            "Pour les animateurs : les séances avec les élèves, des roues qui patinent sur "
            "le lino, un robot ébloui par le soleil, et la course finale dans le préau.",
        ),
        (
            "Grainothèque pour la médiathèque du quartier",
            "Encore à l'état d'idée : le tiroir d'essai qui coinçait dans sa niche rappelle "
            "qu'il faut 1 mm de jeu pour tout ce qui coulisse. Un coup de main est le "
            "bienvenu.",
        ),
    ),
)

SHOWCASES = (FIRST_STEPS, FOR_OTHERS)
SIZE = len(SHOWCASES) + 1


def load_showcases() -> Iterator[tuple[str, bool]]:
    """Create the demo showcases and feature one; yield (label, created) for each."""
    curator = User.objects.filter(username=CURATOR).first()
    if curator is None:
        raise LookupError(f"Demo showcases need the member {CURATOR}: load the members first.")
    featured = None
    for demo in SHOWCASES:
        showcase, created = _showcase(demo, curator=curator)
        if demo.featured:
            featured = showcase
        yield demo.title, created
    yield "Vitrine à la une", _feature(featured, curator=curator)


def _showcase(demo: DemoShowcase, *, curator: User) -> tuple[ShowcasePage, bool]:
    existing = ShowcasePage.objects.filter(title=demo.title).first()
    if existing is not None:
        return existing, False
    titles = [title for title, _note in demo.items]
    projects = {
        project.title: project
        for project in ProjectPage.objects.filter(title__in=titles).select_related("cover_image")
    }
    if missing := set(titles) - set(projects):
        raise LookupError(f"Demo showcases need projects {sorted(missing)}: load them first.")
    first = projects[titles[0]]
    showcase = showcase_create(
        user=curator,
        title=demo.title,
        intro=demo.intro,
        hero_image=first.cover_image,
        items=[(projects[title], note) for title, note in demo.items],
    )
    return showcase, True


def _feature(showcase: ShowcasePage | None, *, curator: User) -> bool:
    home = HomePage.objects.get()
    if showcase is None or home.featured_showcase_id == showcase.pk:
        return False
    home_featured_showcase_set(user=curator, showcase=showcase)
    return True
