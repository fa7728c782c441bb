"""Demo projects of La Machinerie, Amiens, for `manage.py load_demo_data`.

Each project is written through the same services the member-facing views use (create,
details, steps, bill of materials, journal), then its dates are moved into the past so the
timelines look lived-in. Projects are looked up by title or slug: loading twice creates
nothing twice. Run after the members, machines and materials demo data.
"""

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from core.demo_images import demo_photo, demo_random
from machines.models import Machine, Material
from users.models import User

from .models import Difficulty, JournalEntry, Licence, ProjectPage, ProjectStatus
from .models import JournalEntryKind as Kind
from .models import JournalEntryOutcome as Outcome
from .services import (
    journal_entry_create,
    project_bill_of_materials_set,
    project_create,
    project_step_add,
    project_update,
)


def md(text: str) -> str:
    """Markdown written indented in this file, dedented."""
    return textwrap.dedent(text).strip()


@dataclass(frozen=True)
class DemoStep:
    title: str
    body: str
    photos: tuple[str, ...] = ()  # captions of the generated photos


@dataclass(frozen=True)
class DemoBillRow:
    item: str
    quantity: str
    unit: str
    unit_cost: str | None = None
    supplier: str = ""
    link: str = ""

    def as_block_value(self) -> dict:
        return {
            "item": self.item,
            "quantity": Decimal(self.quantity),
            "unit": self.unit,
            "supplier": self.supplier,
            "link": self.link,
            "unit_cost": Decimal(self.unit_cost) if self.unit_cost is not None else None,
        }


@dataclass(frozen=True)
class DemoEntry:
    kind: str
    title: str
    body: str
    author: str = ""  # a username; the project's owner when empty
    machine: str = ""  # a machine slug
    parameters: dict[str, str] = field(default_factory=dict)
    outcome: str = ""
    photos: tuple[str, ...] = ()
    same_session: bool = False  # written an hour or so after the previous entry


@dataclass(frozen=True)
class DemoProject:
    title: str
    owner: str
    theme: str  # a core.demo_images theme for the photos
    summary: str
    status: str
    difficulty: str
    duration: str
    cost: str | None
    licence: str
    tags: tuple[str, ...]
    machines: tuple[str, ...]
    materials: tuple[str, ...]
    started_days_ago: int
    last_days_ago: int
    presentation: str
    methodology: str
    technical_architecture: str
    steps: tuple[DemoStep, ...]
    bill_of_materials: tuple[DemoBillRow, ...]
    journal: tuple[DemoEntry, ...]
    collaborators: tuple[str, ...] = ()
    remixed_from: str = ""  # the title of the original project

    @property
    def slug(self) -> str:
        # The slug projects.services gives a new project, without the "-2" de-duplication.
        return slugify(self.title)[:60].strip("-")


def load_projects() -> Iterator[tuple[str, bool]]:
    """Create the demo projects; yield (title, created) for each, skipping existing ones."""
    now = timezone.now()
    for demo in PROJECTS:
        if ProjectPage.objects.filter(Q(title=demo.title) | Q(slug=demo.slug)).exists():
            yield demo.title, False
            continue
        _create_project(demo, now=now)
        yield demo.title, True


@transaction.atomic
def _create_project(demo: DemoProject, *, now: datetime) -> ProjectPage:
    users = _users_by_username(demo)
    machines = Machine.objects.in_bulk(
        {*demo.machines, *(e.machine for e in demo.journal if e.machine)}, field_name="slug"
    )
    materials = Material.objects.in_bulk(demo.materials, field_name="name")
    missing = (set(demo.machines) - set(machines)) | (set(demo.materials) - set(materials))
    if missing:
        raise LookupError(
            f"Demo project {demo.title!r} needs {sorted(missing)}: load the machines first."
        )
    owner = users[demo.owner]

    def photos(captions: tuple[str, ...]) -> list:
        return [demo_photo(theme=demo.theme, caption=c, seed=demo.title) for c in captions]

    page = project_create(
        owner=owner,
        title=demo.title,
        summary=demo.summary,
        photo=demo_photo(theme=demo.theme, caption=demo.title, seed="cover"),
    )
    details = {
        "status": demo.status,
        "difficulty": demo.difficulty,
        "duration": demo.duration,
        "cost": Decimal(demo.cost) if demo.cost is not None else None,
        "licence": demo.licence,
        "tags": demo.tags,
        "machines": [machines[slug] for slug in demo.machines],
        "materials": [materials[name] for name in demo.materials],
        "collaborators": [users[username] for username in demo.collaborators],
        "presentation": demo.presentation,
        "methodology": demo.methodology,
        "technical_architecture": demo.technical_architecture,
    }
    if demo.remixed_from:
        details["remixed_from"] = ProjectPage.objects.filter(title=demo.remixed_from).first()
    page = project_update(project=page, user=owner, **details)
    for step in demo.steps:
        project_step_add(
            project=page, user=owner, title=step.title, body=step.body, photos=photos(step.photos)
        )
    project_bill_of_materials_set(
        project=page, user=owner, rows=[row.as_block_value() for row in demo.bill_of_materials]
    )

    start, times = _timeline(demo, now=now)
    for demo_entry, when in zip(demo.journal, times, strict=True):
        entry = journal_entry_create(
            project=page,
            author=users[demo_entry.author or demo.owner],
            kind=demo_entry.kind,
            title=demo_entry.title,
            body=demo_entry.body,
            outcome=demo_entry.outcome,
            machine=machines.get(demo_entry.machine),
            parameters=dict(demo_entry.parameters),
            photos=photos(demo_entry.photos),
        )
        _backdate_journal_entry(entry, when)
    _backdate_project(page, start=start, end=times[-1])
    return page


def _users_by_username(demo: DemoProject) -> dict[str, User]:
    people = {demo.owner, *demo.collaborators}
    strangers = {e.author for e in demo.journal if e.author} - people
    if strangers:
        raise ValueError(
            f"Demo project {demo.title!r}: journal authors {sorted(strangers)} are neither "
            "its owner nor collaborators."
        )
    users = User.objects.in_bulk(people, field_name="username")
    if missing := people - set(users):
        raise LookupError(
            f"Demo project {demo.title!r} needs members {sorted(missing)}: load them first."
        )
    return users


# Hours at which members are at the lab: Wednesday afternoons, weekday evenings, Saturdays.
_SESSION_HOURS = (10, 11, 14, 15, 16, 17, 18, 19, 20, 21)


def _timeline(demo: DemoProject, *, now: datetime) -> tuple[datetime, list[datetime]]:
    """When the project started and when each journal entry was written, oldest first."""
    rng = demo_random("timeline", demo.title)

    def at_lab_hours(moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        return local.replace(hour=rng.choice(_SESSION_HOURS), minute=rng.randrange(0, 60, 5))

    start = at_lab_hours(now - timedelta(days=demo.started_days_ago))
    end = now - timedelta(days=max(demo.last_days_ago, 1))
    span = end - start
    count = len(demo.journal)
    times: list[datetime] = []
    for position, entry in enumerate(demo.journal):
        if entry.same_session and times:
            when = times[-1] + timedelta(minutes=rng.randint(35, 110))
        else:
            fraction = (position + 0.3 + rng.uniform(0, 0.5)) / count
            when = at_lab_hours(start + span * fraction)
        earliest = (times[-1] if times else start) + timedelta(minutes=20)
        times.append(min(max(when, earliest), now - timedelta(hours=1)))
    return start, times


def _backdate_journal_entry(entry: JournalEntry, when: datetime) -> None:
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
    entry.revisions.update(created_at=when)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(JournalEntry), object_id=str(entry.pk)
    ).update(timestamp=when)
    entry.photos.update(created_at=when)


def _backdate_project(page: ProjectPage, *, start: datetime, end: datetime) -> None:
    """Spread the page's revisions and history between its start and its last journal entry."""

    def spread(queryset, field_name: str) -> None:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        for position, pk in enumerate(pks):
            when = start + (end - start) * (position / max(len(pks) - 1, 1))
            queryset.model.objects.filter(pk=pk).update(**{field_name: when})

    spread(page.revisions.all(), "created_at")
    spread(PageLogEntry.objects.filter(page=page), "timestamp")
    Page.objects.filter(pk=page.pk).update(
        first_published_at=start, last_published_at=end, latest_revision_created_at=end
    )
    get_image_model().objects.filter(pk=page.cover_image_id).update(created_at=start)


# ---------------------------------------------------------------------------------------------
# The projects. Originals come before their remixes.
# ---------------------------------------------------------------------------------------------

JEWELLERY_BOX = DemoProject(
    title="Boîte à bijoux en contreplaqué gravé",
    owner="camille.lefebvre",
    theme="laser",
    summary=(
        "Une petite boîte à bijoux assemblée à entures, découpée au laser dans du contreplaqué "
        "de peuplier 3 mm, avec un couvercle gravé d'un paysage des hortillonnages."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.BEGINNER,
    duration="Deux soirées",
    cost="12.50",
    licence=Licence.CC_BY_SA,
    tags=("découpe laser", "contreplaqué", "boîte", "assemblage à entures", "cadeau"),
    machines=("trotec-speedy-300",),
    materials=("Contreplaqué peuplier 3 mm",),
    started_days_ago=212,
    last_days_ago=186,
    presentation=md(
        """
        Pour l'anniversaire de ma sœur, je voulais un cadeau fait main qui ne ressemble pas à
        un kit acheté en ligne : une boîte à bijoux de 16 × 12 × 6 cm, assemblée sans vis ni
        clous grâce à des **entures** (les créneaux qui s'emboîtent), avec un couvercle gravé
        d'un paysage des hortillonnages.

        C'est un très bon premier projet laser : un seul matériau, un seul fichier, et on
        apprend l'essentiel — régler puissance et vitesse, compenser le trait de coupe
        (le *kerf*) et graver avant de découper.
        """
    ),
    methodology=md(
        """
        1. Générer le patron de la boîte avec **Boxes.py** (boîte fermée à entures, 3 mm).
        2. Dessiner le motif du couvercle dans **Inkscape** à partir d'une photo prise depuis
           le chemin de halage.
        3. Faire une **grille de test** puissance/vitesse sur une chute du même lot de bois.
        4. Découper une boîte d'essai en carton pour valider les dimensions.
        5. Graver puis découper la version finale, assembler à la colle vinylique, huiler.

        Tous les réglages sont notés dans le journal, y compris ceux qui n'ont pas marché.
        """
    ),
    technical_architecture=md(
        """
        | Pièce | Dimensions | Opération |
        |---|---|---|
        | Fond | 160 × 120 mm | découpe |
        | Côtés longs (×2) | 160 × 60 mm | découpe |
        | Côtés courts (×2) | 120 × 60 mm | découpe |
        | Couvercle | 166 × 126 mm | gravure + découpe |
        | Séparateurs (×3) | 114 × 40 mm | découpe, encoches à mi-bois |

        - Compensation du trait de coupe : **0,1 mm** dans Boxes.py (le faisceau enlève
          environ 0,2 mm).
        - Couleurs du fichier : rouge = découpe, noir = gravure raster, bleu = gravure
          vectorielle légère.
        - Charnière : deux tourillons de 3 mm dans les côtés courts, aucune quincaillerie.
        """
    ),
    steps=(
        DemoStep(
            "Générer le patron",
            md(
                """
                Sur Boxes.py, choisir *ClosedBox*, saisir 160 × 120 × 60 mm, épaisseur
                3 mm et `burn` = 0,1. Exporter en SVG.
                """
            ),
        ),
        DemoStep(
            "Préparer le fichier dans Inkscape",
            "Passer les traits de découpe en rouge pur, épaisseur 0,01 mm. Importer le motif "
            "du couvercle, le vectoriser et le mettre en noir.",
            photos=("Patron de la boîte dans Inkscape",),
        ),
        DemoStep(
            "Graver le couvercle",
            "Graver en premier, tant que la plaque est bien à plat : **30 % / 300 mm/s, "
            "500 DPI**. Masquer la face visible au papier de transfert.",
            photos=("Gravure des hortillonnages sur le couvercle",),
        ),
        DemoStep(
            "Découper et assembler",
            md(
                """
                Découpe à **60 % / 20 mm/s**. Assembler à blanc, puis coller les entures à la
                colle vinylique et serrer 30 minutes. Poncer au grain 180, une couche d'huile
                dure.
                """
            ),
            photos=("Pièces découpées avant assemblage", "Boîte assemblée et huilée"),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Contreplaqué peuplier 3 mm, 600 × 400 mm", "1", "plaque", "4.50", "Stock La Machinerie"
        ),
        DemoBillRow("Colle vinylique D2", "0.1", "flacon", "6.90", "Quincaillerie Saint-Leu"),
        DemoBillRow("Tourillons hêtre Ø 3 mm", "2", "pièce", "0.10", "Stock La Machinerie"),
        DemoBillRow("Huile dure incolore", "0.05", "litre", "24.00", "Magasin de bricolage"),
        DemoBillRow("Papier de transfert (masquage)", "0.5", "m", "3.20", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Boxes.py plutôt que MakerCase",
            md(
                """
                J'ai comparé deux générateurs de boîtes :

                - **MakerCase** : très simple, mais pas de séparateurs et une compensation
                  du trait de coupe approximative ;
                - **Boxes.py** : plus de réglages, gère le `burn` et propose des dizaines de
                  modèles.

                Je pars sur Boxes.py.
                """
            ),
        ),
        DemoEntry(
            Kind.TRIAL,
            "Grille de test puissance / vitesse",
            "Neuf carrés de 15 mm sur une chute du même lot. À 40 % rien ne traverse, à "
            "80 % / 10 mm/s tout brûle. Le meilleur compromis : **60 % / 20 mm/s**.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Contreplaqué peuplier 3 mm",
                "Puissance": "40 à 80 %",
                "Vitesse": "10 à 30 mm/s",
                "Fréquence": "1000 Hz",
            },
            outcome=Outcome.WORKED,
            photos=("Grille de test puissance et vitesse",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Première découpe : bords brûlés et entures trop lâches",
            md(
                """
                J'ai voulu aller vite et j'ai gardé les réglages de la personne d'avant (du MDF).
                Résultat : les bords sont noirs sur 1 mm, ça sent le brûlé dans tout l'atelier,
                et les entures ont du jeu — le faisceau a enlevé plus de matière que prévu.

                Une plaque entière à la poubelle (enfin, au bac à chutes).
                """
            ),
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Contreplaqué peuplier 3 mm",
                "Puissance": "80 %",
                "Vitesse": "15 mm/s",
            },
            outcome=Outcome.FAILED,
            photos=("Bords noircis après la première découpe",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Refaire la grille de test à chaque lot de bois",
            "Deux plaques de « peuplier 3 mm » ne se coupent pas pareil : la colle entre les "
            "plis change d'un lot à l'autre. Désormais : une grille de test de cinq minutes "
            "sur une chute, à chaque nouveau lot. Et ne jamais reprendre les réglages laissés "
            "sur la machine.",
            same_session=True,
        ),
        DemoEntry(
            Kind.CHOICE,
            "Graver avant de découper",
            "Si on découpe d'abord, les pièces bougent un peu dans la plaque et la gravure se "
            "décale. Ordre du job : gravure raster → gravure vectorielle → découpes intérieures "
            "→ découpes extérieures.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Gravure du couvercle à 500 DPI",
            "Le motif est beau, mais les zones sombres de la photo deviennent des aplats "
            "brûlés. J'ai repris l'image avec un tramage (*dithering*) dans Inkscape : beaucoup "
            "plus fin, on voit les reflets sur l'eau.",
            machine="trotec-speedy-300",
            parameters={
                "Mode": "Gravure raster",
                "Puissance": "30 %",
                "Vitesse": "300 mm/s",
                "Résolution": "500 DPI",
            },
            outcome=Outcome.PARTLY,
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Boîte terminée !",
            "Assemblage du premier coup avec la compensation à 0,1 mm : les entures tiennent "
            "sans colle, j'en ai mis quand même. Une couche d'huile dure et c'est fini. "
            "Ma sœur a adoré.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Contreplaqué peuplier 3 mm",
                "Puissance": "60 %",
                "Vitesse": "20 mm/s",
                "Compensation": "0,1 mm",
            },
            outcome=Outcome.WORKED,
            photos=("La boîte à bijoux terminée",),
        ),
        DemoEntry(
            Kind.NOTE,
            "Fichiers et idées de suite",
            "Le SVG est en ligne. Karim m'a suggéré une version à tiroirs ; si quelqu'un "
            "s'y met, je veux bien voir le résultat.",
        ),
    ),
)

ENABLE_HAND = DemoProject(
    title="Main imprimée en 3D pour Inès (e-Nable)",
    owner="thomas.petit",
    collaborators=("julien.moreau",),
    theme="print3d",
    summary=(
        "Une main mécanique Raptor Reloaded à la taille d'Inès, 9 ans, née sans doigts à la "
        "main gauche : imprimée en PETG aux couleurs qu'elle a choisies, avec le réseau "
        "e-Nable France."
    ),
    status=ProjectStatus.PROTOTYPE_WORKS,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Trois semaines, dont 30 h d'impression",
    cost="38.00",
    licence=Licence.CC_BY_SA,
    tags=("e-Nable", "impression 3D", "main mécanique", "solidarité", "PETG"),
    machines=("prusa-mk4", "creality-ender-3"),
    materials=("PETG", "PLA", "TPU 95A"),
    started_days_ago=122,
    last_days_ago=12,
    presentation=md(
        """
        Inès a 9 ans et il lui manque les doigts de la main gauche (agénésie) ; son poignet,
        lui, bouge très bien. Sa famille a contacté **e-Nable France**, qui met en relation
        des familles et des makers bénévoles, et nous a confié la fabrication.

        Le modèle est la **Raptor Reloaded** : quand Inès plie le poignet, des câbles tirent
        sur les doigts, qui se referment. Ce n'est pas un dispositif médical, plutôt un outil
        pour tenir un guidon de vélo ou une bouteille — et une main de super-héroïne, en
        violet et vert.

        Tout est documenté ici pour que d'autres labs puissent refaire la démarche, ratés
        compris.
        """
    ),
    methodology=md(
        """
        - **Mesures** : photos des deux mains à côté d'une règle, envoyées par la famille.
        - **Mise à l'échelle** : d'après la largeur de la main valide (ici **132 %**).
        - **Impression** des pièces porteuses sur la Prusa MK4, doigts de rechange sur
          l'Ender 3.
        - **Assemblage** : vis Chicago, fil de pêche tressé, élastiques pour le retour des
          doigts.
        - **Essayage** avec Inès au lab, ajustement du gantelet au pistolet à chaleur.
        - **Suivi** à un mois : usure, confort, tension des câbles.
        """
    ),
    technical_architecture=md(
        """
        | Pièce | Matériau | Remplissage | Impression |
        |---|---|---|---|
        | Paume | PETG | 30 % gyroïde | 7 h 40 |
        | Gantelet | PETG | 25 % | 6 h 10 |
        | Doigts (×4) et pouce | PETG | 40 % | 5 h |
        | Embouts des doigts | TPU 95A | 100 % | 1 h 30 |
        | Broches et chevilles | PLA | 100 % | 40 min |

        Réglages communs : buse 0,4 mm, couches de 0,2 mm, **4 périmètres** pour la paume
        (elle travaille en flexion), supports seulement sous le gantelet.
        """
    ),
    steps=(
        DemoStep(
            "Calculer l'échelle",
            "Mesurer la largeur de la paume valide aux articulations, la diviser par la "
            "largeur du modèle à 100 % (55 mm) : 72,5 / 55 ≈ **132 %**. Appliquer la même "
            "échelle à toutes les pièces, sauf les broches.",
        ),
        DemoStep(
            "Imprimer les pièces",
            "Paume et gantelet sur la Prusa MK4, une pièce par plateau. Doigts par lots de "
            "cinq. Garder les pièces ratées : elles servent à tester les réglages.",
            photos=("Paume et doigts sur le plateau de la Prusa MK4",),
        ),
        DemoStep(
            "Nettoyer et percer les articulations",
            "Retirer les supports, puis **repasser un foret de 3 mm** dans chaque articulation "
            "(les trous imprimés sortent trop petits).",
        ),
        DemoStep(
            "Monter câbles et élastiques",
            "Fil tressé dans les doigts jusqu'au tendeur du gantelet ; élastiques sur le dos "
            "des doigts pour le retour. Régler la tension poignet à plat : doigts tendus.",
            photos=("Câblage des doigts",),
        ),
        DemoStep(
            "Essayage et ajustements",
            "Rembourrer la paume avec la mousse néoprène, chauffer le gantelet au pistolet à "
            "chaleur et le former sur l'avant-bras.",
            photos=("Essayage au lab", "Gantelet reformé à chaud"),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Filament PETG violet, bobine de 1 kg",
            "0.35",
            "bobine",
            "29.99",
            "Prusament",
            "https://www.prusa3d.com/",
        ),
        DemoBillRow(
            "Filament TPU 95A, bobine de 1 kg", "0.05", "bobine", "34.90", "Stock La Machinerie"
        ),
        DemoBillRow("Kit de vis Chicago e-Nable", "1", "kit", "9.50", "e-Nable France"),
        DemoBillRow("Fil de pêche tressé 0,5 mm", "2", "m", "0.30", "Magasin de pêche"),
        DemoBillRow("Élastiques orthodontiques", "10", "pièce", "0.05", "Pharmacie"),
        DemoBillRow("Mousse néoprène adhésive", "1", "plaque", "4.90", "Mercerie"),
        DemoBillRow("Velcro 25 mm", "0.5", "m", "3.00", "Mercerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Quel modèle pour Inès ?",
            md(
                """
                Trois modèles e-Nable possibles :

                - **Raptor Reloaded** : le plus documenté, simple à monter ;
                - **Phoenix** : plus léger, mais les vis sont plus difficiles à trouver ;
                - **Kwawu** : demande un poignet plus fort.

                Le poignet d'Inès est bon mais elle est petite : Raptor Reloaded.
                """
            ),
        ),
        DemoEntry(
            Kind.NOTE,
            "Premier appel avec la famille",
            "Appel vidéo avec Inès et ses parents. Elle veut du violet et du vert, et surtout "
            "pouvoir tenir le guidon de son vélo. On convient d'un essayage au lab.",
        ),
        DemoEntry(
            Kind.CHOICE,
            "PETG plutôt que PLA pour les pièces porteuses",
            "Le PLA se déforme dès 55 °C : une main oubliée derrière une vitre de voiture en "
            "été, et c'est fini. Le PETG tient mieux la chaleur et casse moins net.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Paume à l'échelle 132 %",
            "Impression propre du premier coup sur la MK4. 7 h 40. Les trous d'articulation "
            "semblent un peu petits, à vérifier au montage.",
            machine="prusa-mk4",
            parameters={
                "Matériau": "PETG",
                "Buse": "240 °C",
                "Plateau": "85 °C",
                "Hauteur de couche": "0,2 mm",
                "Remplissage": "30 % gyroïde",
                "Périmètres": "4",
            },
            outcome=Outcome.WORKED,
            photos=("Paume imprimée en PETG violet",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Doigts décollés du plateau sur l'Ender 3",
            "Au bout de deux heures, un doigt s'est décollé et la buse a traîné tout le reste "
            "en spaghetti. Plateau trop froid pour le PETG et première couche trop écrasée.",
            machine="creality-ender-3",
            parameters={
                "Matériau": "PETG",
                "Buse": "235 °C",
                "Plateau": "70 °C",
                "Vitesse": "60 mm/s",
                "Ventilateur 1re couche": "100 %",
            },
            outcome=Outcome.FAILED,
            photos=("Spaghetti de PETG sur l'Ender 3",),
        ),
        DemoEntry(
            Kind.LESSON,
            "PETG sur l'Ender 3 : plateau chaud, ventilateur coupé au début",
            md(
                """
                Ce qui marche sur l'Ender 3 du lab :

                - plateau à **80 °C**, un voile de colle en bâton ;
                - ventilateur **coupé** sur les trois premières couches ;
                - première couche à 20 mm/s, avec une bordure (*brim*) de 5 mm pour les doigts.
                """
            ),
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Articulations trop serrées",
            "En montant la main avec Thomas : les broches de 3 mm ne passent pas. Le PETG "
            "bave un peu, les trous sortent à 2,8 mm. Les doigts forcés ne reviennent plus.",
            author="julien.moreau",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Percer les articulations plutôt que compter sur les trous imprimés",
            "Un foret de 3 mm à la main dans chaque trou, deux minutes par doigt, et tout "
            "tourne librement. C'est plus fiable que de compenser dans le trancheur.",
            author="julien.moreau",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Essayage avec Inès",
            "Les doigts se ferment bien quand elle plie le poignet, mais le gantelet frotte "
            "sur l'avant-bras. Reformé au pistolet à chaleur sur place, mousse ajoutée.",
            outcome=Outcome.PARTLY,
            photos=("Test de prise sur une bouteille",),
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Elle tient son guidon !",
            "Message de ses parents ce matin : Inès a fait le tour du parc de la Hotoie en "
            "tenant le guidon à deux mains. Meilleure nouvelle de l'année.",
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.NOTE,
            "Suivi à un mois",
            "Un élastique a lâché, remplacé. Prochaine version : embouts en TPU plus "
            "adhérents et un gantelet plus léger.",
        ),
    ),
)

WEATHER_STATION = DemoProject(
    title="Station météo connectée avec un ESP32",
    owner="julien.moreau",
    theme="electronics",
    summary=(
        "Une station météo sur le toit de La Machinerie : un ESP32, un capteur BME280, un "
        "anémomètre et un abri imprimés en 3D, qui publient leurs mesures en MQTT toutes les "
        "cinq minutes."
    ),
    status=ProjectStatus.IN_PROGRESS,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Plusieurs week-ends",
    cost="58.00",
    licence=Licence.CERN_OHL_S,
    tags=("ESP32", "météo", "capteurs", "MQTT", "Home Assistant", "électronique"),
    machines=("prusa-mk4", "station-soudure"),
    materials=("PETG",),
    started_days_ago=96,
    last_days_ago=3,
    presentation=md(
        """
        Le lab a un toit plat et un écran dans l'entrée : il ne manquait qu'une station météo.
        L'objectif est d'afficher température, humidité, pression et vent, de garder
        l'historique, et que tout soit **reproductible pour moins de 60 €**.

        La station doit tenir seule : panneau solaire, batterie, et un ESP32 qui dort entre
        deux mesures.
        """
    ),
    methodology=md(
        """
        1. Prototype sur breadboard au coin électronique.
        2. Abri à coupelles (écran de Stevenson) et anémomètre imprimés en PETG blanc.
        3. Carte soudée sur plaque à pastilles, boîtier étanche.
        4. Une semaine de test sur le rebord de fenêtre, comparaison avec Météo-France
           (station d'Amiens-Glisy).
        5. Installation sur le toit, avec l'accord du bailleur.
        """
    ),
    technical_architecture=md(
        """
        | Capteur | Mesure | Broche ESP32 |
        |---|---|---|
        | BME280 | température, humidité, pression | I²C : SDA 21, SCL 22 |
        | Anémomètre à ILS | vitesse du vent | GPIO 27 (interruption) |
        | Pluviomètre à auget | pluie | GPIO 26 (réveil) |
        | Pont diviseur | tension batterie | GPIO 34 (ADC) |

        L'ESP32 se réveille toutes les cinq minutes, publie chaque mesure sur un sujet MQTT
        retenu et se rendort :

        ```cpp
        #include <WiFi.h>
        #include <PubSubClient.h>
        #include <Adafruit_BME280.h>

        constexpr uint64_t SOMMEIL_US = 5ULL * 60 * 1000 * 1000;  // 5 minutes

        Adafruit_BME280 bme;
        WiFiClient reseau;
        PubSubClient mqtt(reseau);

        void publier(const char *mesure, float valeur) {
          char sujet[48];
          snprintf(sujet, sizeof sujet, "lamachinerie/meteo/%s", mesure);
          mqtt.publish(sujet, String(valeur, 1).c_str(), true);
        }

        void setup() {
          bme.begin(0x76);
          WiFi.begin(WIFI_SSID, WIFI_MDP);
          while (WiFi.status() != WL_CONNECTED) delay(100);
          mqtt.setServer("homeassistant.local", 1883);
          mqtt.connect("station-meteo");
          publier("temperature", bme.readTemperature());
          publier("humidite", bme.readHumidity());
          publier("pression", bme.readPressure() / 100.0F);
          publier("batterie", analogReadMilliVolts(34) * 2 / 1000.0);
          mqtt.disconnect();
          esp_sleep_enable_timer_wakeup(SOMMEIL_US);
          esp_deep_sleep_start();
        }

        void loop() {}  // jamais atteint : l'ESP32 redémarre à chaque réveil
        ```
        """
    ),
    steps=(
        DemoStep(
            "Monter le prototype sur breadboard",
            "BME280 en I²C, ILS de l'anémomètre avec une résistance de tirage de 10 kΩ. "
            "Vérifier les mesures dans le moniteur série avant d'aller plus loin.",
            photos=("Prototype sur breadboard",),
        ),
        DemoStep(
            "Imprimer l'abri et l'anémomètre",
            "Huit coupelles empilées en PETG **blanc** (le noir chauffe au soleil), trois "
            "godets et un moyeu avec deux roulements 608.",
            photos=("Abri à coupelles en PETG blanc", "Anémomètre monté"),
        ),
        DemoStep(
            "Souder la carte définitive",
            "Plaque à pastilles, connecteurs JST pour pouvoir démonter les capteurs. Le "
            "BME280 sort du boîtier par un câble de 15 cm.",
        ),
        DemoStep(
            "Programmer et raccorder à Home Assistant",
            "Flasher le programme ci-dessus, puis déclarer les capteurs MQTT dans Home "
            "Assistant et ajouter une carte au tableau de bord de l'entrée.",
            photos=("Tableau de bord météo dans l'entrée",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow("ESP32 DevKitC", "1", "pièce", "8.50", "Boutique électronique en ligne"),
        DemoBillRow("Capteur BME280 (I²C)", "1", "pièce", "4.90", "Boutique électronique en ligne"),
        DemoBillRow(
            "Interrupteur à lame souple (ILS)", "2", "pièce", "0.40", "Stock La Machinerie"
        ),
        DemoBillRow("Roulement 608", "2", "pièce", "0.80", "Atelier vélo du quartier"),
        DemoBillRow(
            "Panneau solaire 6 V 2 W", "1", "pièce", "9.90", "Boutique électronique en ligne"
        ),
        DemoBillRow("Accumulateur Li-ion 18650", "1", "pièce", "4.50", "Stock La Machinerie"),
        DemoBillRow(
            "Module de charge TP4056", "1", "pièce", "1.20", "Boutique électronique en ligne"
        ),
        DemoBillRow("Filament PETG blanc", "0.3", "bobine", "24.90", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "DHT22, BME280 ou SHT31 ?",
            md(
                """
                | Capteur | Précision T | Pression | Prix |
                |---|---|---|---|
                | DHT22 | ± 0,5 °C | non | 4 € |
                | BME280 | ± 1 °C | oui | 5 € |
                | SHT31 | ± 0,3 °C | non | 7 € |

                Le DHT22 dérive en humidité après quelques mois dehors. Le BME280 donne la
                pression en plus : je commence avec lui.
                """
            ),
        ),
        DemoEntry(
            Kind.CHOICE,
            "MQTT vers le Home Assistant du lab",
            "Le lab a déjà un Home Assistant pour le chauffage. Les mesures partent en MQTT "
            "(sujets retenus) : l'écran de l'entrée et n'importe qui d'autre peuvent s'abonner.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Premier montage sur breadboard",
            "Tout répond du premier coup dans le moniteur série. Le BME280 est à l'adresse "
            "0x76, pas 0x77 comme dans l'exemple.",
            machine="station-soudure",
            outcome=Outcome.WORKED,
            photos=("Montage sur breadboard",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Température fausse de 3 °C",
            "Le BME280 affiche 24 °C dans une pièce à 21 °C. Le capteur est à 2 cm de "
            "l'ESP32, qui chauffe en Wi-Fi : il mesure surtout son voisin.",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Éloigner le capteur et dormir entre deux mesures",
            "Capteur au bout d'un câble de 15 cm et sommeil profond entre les mesures : "
            "l'écart tombe à 0,3 °C. Et la batterie dure trois fois plus longtemps.",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Abri à coupelles imprimé",
            "Huit coupelles, 2 h chacune. Imprimé en blanc : le gris du premier essai "
            "chauffait au soleil.",
            machine="prusa-mk4",
            parameters={
                "Matériau": "PETG blanc",
                "Hauteur de couche": "0,24 mm",
                "Remplissage": "15 %",
                "Buse": "240 °C",
            },
            outcome=Outcome.WORKED,
            photos=("Abri à coupelles imprimé",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "L'anémomètre compte double",
            md(
                """
                Par vent calme, la station annonce 25 km/h. À l'oscilloscope : l'ILS rebondit,
                chaque tour donne deux à quatre impulsions.
                """
            ),
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Anti-rebond de 5 ms dans l'interruption",
            md(
                """
                Ignorer les impulsions trop rapprochées suffit (un tour complet prend au moins
                20 ms, même en tempête) :

                ```cpp
                void IRAM_ATTR tour() {
                  static uint32_t dernier = 0;
                  uint32_t maintenant = millis();
                  if (maintenant - dernier > 5) {
                    impulsions++;
                    dernier = maintenant;
                  }
                }
                ```
                """
            ),
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Autonomie sur batterie",
            "Panneau débranché : trois jours avant la coupure. Objectif : une semaine de "
            "grisaille picarde. Prochaine piste : désactiver la LED de l'ESP32 et espacer "
            "les mesures la nuit.",
            outcome=Outcome.PARTLY,
        ),
        DemoEntry(
            Kind.NOTE,
            "Autorisation pour le toit",
            "Karim a écrit au bailleur. En attendant, la station vit sur le rebord de la "
            "fenêtre du coworking.",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Une semaine de données comparées à Glisy",
            "Écart moyen de 0,4 °C et 1 hPa avec la station Météo-France d'Amiens-Glisy. "
            "Largement suffisant pour l'écran de l'entrée.",
            outcome=Outcome.WORKED,
            photos=("Courbes de température sur une semaine",),
        ),
    ),
)

LINE_FOLLOWER = DemoProject(
    title="Robot suiveur de ligne avec les CM1 de l'école Jules-Verne",
    owner="club.jules-verne",
    collaborators=("julien.moreau",),
    theme="robotics",
    summary=(
        "Six robots suiveurs de ligne construits par 24 élèves de CM1 pendant le club du "
        "mercredi : châssis découpé au laser, roues imprimées en 3D, Arduino Nano et deux "
        "capteurs infrarouges."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.BEGINNER,
    duration="Six séances d'une heure et demie",
    cost="24.00",
    licence=Licence.CC_BY,
    tags=("robotique", "école", "Arduino", "suiveur de ligne", "découpe laser", "éducation"),
    machines=("trotec-speedy-300", "creality-ender-3", "station-soudure"),
    materials=("Contreplaqué peuplier 3 mm", "PLA"),
    started_days_ago=165,
    last_days_ago=112,
    presentation=md(
        """
        Le club robotique de l'école Jules-Verne vient à La Machinerie le mercredi matin.
        Cette année, le défi : **un robot par groupe de quatre**, qui suit une ligne noire
        tracée au ruban adhésif dans le préau.

        Les élèves ont dessiné leur châssis, choisi les couleurs des roues, soudé (avec
        Julien) et programmé en blocs puis en Arduino. Le coût est de 24 € par robot, payé
        par la coopérative scolaire.
        """
    ),
    methodology=md(
        """
        | Séance | Ce qu'on fait |
        |---|---|
        | 1 | Comment un robot « voit » ? Jeu du robot humain les yeux bandés |
        | 2 | Dessin et découpe laser du châssis (l'adulte lance la machine) |
        | 3 | Roues imprimées, montage des moteurs |
        | 4 | Soudure des fils (lunettes, une soudure chacun) |
        | 5 | Programmation et réglages sur la piste |
        | 6 | Grande course dans le préau, devant les parents |

        Règle du club : on note dans le journal ce qui rate, pas seulement ce qui marche.
        """
    ),
    technical_architecture=md(
        """
        - **Cerveau** : Arduino Nano, sur une plaque de prototypage vissée au châssis.
        - **Yeux** : deux capteurs infrarouges TCRT5000, de part et d'autre de la ligne.
        - **Moteurs** : deux moteurs jaunes à réducteur, pilotés par un L298N.
        - **Énergie** : quatre piles AA rechargeables.

        Le programme tient en quelques lignes :

        ```cpp
        const int CAPTEUR_G = A0, CAPTEUR_D = A1;
        const int SEUIL = 500;  // calibré en début de séance

        void loop() {
          bool noirGauche = analogRead(CAPTEUR_G) > SEUIL;
          bool noirDroite = analogRead(CAPTEUR_D) > SEUIL;
          if (!noirGauche && !noirDroite) avancer(180);
          else if (noirGauche && !noirDroite) tournerGauche(140);
          else if (!noirGauche && noirDroite) tournerDroite(140);
          else arreter();  // croisement : on s'arrête
        }
        ```
        """
    ),
    steps=(
        DemoStep(
            "Dessiner et découper le châssis",
            "Chaque groupe dessine son châssis sur papier millimétré (12 × 15 cm maximum), "
            "on le redessine ensemble dans Inkscape. Découpe dans du contreplaqué 3 mm.",
            photos=("Châssis dessinés par les élèves",),
        ),
        DemoStep(
            "Monter moteurs et roues",
            "Moteurs fixés avec des colliers, roues imprimées en PLA enfoncées sur l'axe. "
            "Une bille folle à l'avant.",
            photos=("Moteurs et roues montés",),
        ),
        DemoStep(
            "Souder et câbler",
            "Une soudure par élève, avec lunettes et Julien à côté. Les autres câblent le "
            "L298N avec des fils Dupont.",
        ),
        DemoStep(
            "Programmer et régler",
            "D'abord en blocs, puis le programme Arduino ci-dessus. Le seuil se règle en "
            "posant le robot sur le blanc puis sur le noir.",
            photos=("Réglage des capteurs sur la piste",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Arduino Nano (compatible)", "1", "pièce", "6.50", "Boutique électronique en ligne"
        ),
        DemoBillRow(
            "Capteur infrarouge TCRT5000", "2", "pièce", "0.90", "Boutique électronique en ligne"
        ),
        DemoBillRow(
            "Moteur jaune à réducteur", "2", "pièce", "2.20", "Boutique électronique en ligne"
        ),
        DemoBillRow(
            "Pilote de moteurs L298N", "1", "pièce", "3.10", "Boutique électronique en ligne"
        ),
        DemoBillRow("Coupleur 4 piles AA", "1", "pièce", "1.00", "Stock La Machinerie"),
        DemoBillRow("Contreplaqué peuplier 3 mm", "0.25", "plaque", "4.50", "Stock La Machinerie"),
        DemoBillRow("Ruban adhésif noir 19 mm (piste)", "1", "rouleau", "2.50", "Papeterie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Kit du commerce ou robot fait maison ?",
            "Un kit tout prêt coûte 35 € et les enfants ne font que visser. Fait maison : "
            "moins cher, plus long, mais ils dessinent leur robot. Vote du club : fait maison, "
            "à l'unanimité moins Nathan.",
        ),
        DemoEntry(
            Kind.CHOICE,
            "Deux capteurs seulement",
            "Avec trois ou cinq capteurs le robot suit mieux, mais le programme devient "
            "trop compliqué pour des CM1. Deux capteurs : quatre cas, qu'on peut jouer avec "
            "le corps dans la cour.",
            author="julien.moreau",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Séance 2 : découpe des châssis",
            "Six châssis découpés en une heure. Les élèves ont adoré regarder le laser "
            "derrière la vitre. Léna a gravé son prénom sur le sien.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Contreplaqué peuplier 3 mm",
                "Puissance": "60 %",
                "Vitesse": "20 mm/s",
            },
            outcome=Outcome.WORKED,
            photos=("Châssis découpés au laser",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Les roues patinent sur le lino",
            "Les roues imprimées en PLA sont trop lisses : sur le lino de la classe, le "
            "robot tourne sur place. Deux groupes sur six arrivent à avancer.",
            author="julien.moreau",
            machine="creality-ender-3",
            parameters={"Matériau": "PLA", "Buse": "205 °C", "Remplissage": "20 %"},
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Un élastique en guise de pneu",
            "Idée d'Adam : un élastique de bureau autour de chaque roue. Réglé en cinq "
            "minutes, et tout le monde a compris ce qu'était l'adhérence.",
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le robot ignore la ligne au soleil",
            "Près des fenêtres, les robots foncent tout droit : le soleil contient de "
            "l'infrarouge et éblouit les capteurs.",
            outcome=Outcome.FAILED,
            photos=("Robot perdu dans la zone ensoleillée",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Une jupe pour les capteurs, un réglage à chaque séance",
            md(
                """
                - Une « jupe » en carton noir autour des capteurs, à 5 mm du sol.
                - On recalibre le seuil au début de chaque séance : la lumière change.
                """
            ),
            author="julien.moreau",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Course finale dans le préau",
            "Les six robots ont fini le parcours devant les parents. Record : 41 secondes "
            "pour le robot « Tornade ».",
            outcome=Outcome.WORKED,
            photos=("Course finale dans le préau", "Les six robots alignés"),
        ),
        DemoEntry(
            Kind.NOTE,
            "Ce que les élèves ont retenu",
            md(
                """
                Paroles d'élèves, notées en fin de séance :

                - « Un robot, ça ne réfléchit pas, ça fait ce qu'on lui dit. »
                - « Quand ça rate, on cherche pourquoi, on ne recommence pas pareil. »
                - « Le soleil, c'est de la lumière qu'on ne voit pas. »
                """
            ),
        ),
    ),
)

EMBROIDERED_PATCH = DemoProject(
    title="Écusson brodé de La Machinerie",
    owner="nadia.benali",
    collaborators=("amandine.roux",),
    theme="textile",
    summary=(
        "L'écusson rond de La Machinerie, 7 cm, brodé sur sergé de coton avec un bord satin et "
        "numérisé avec Ink/Stitch : trente exemplaires pour les vestes des bénévoles."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Une semaine",
    cost="45.00",
    licence=Licence.ALL_RIGHTS_RESERVED,
    tags=("broderie", "écusson", "textile", "Ink/Stitch", "logo"),
    machines=("brother-pr680w", "trotec-speedy-300"),
    materials=("Tissu coton", "Fil à broder polyester"),
    started_days_ago=78,
    last_days_ago=51,
    presentation=md(
        """
        Les bénévoles de La Machinerie voulaient se reconnaître pendant les portes ouvertes.
        Plutôt que d'acheter des badges, on a brodé l'écusson du lab : un engrenage, une
        aiguille et le nom, en trois couleurs.

        Le logo a été **simplifié par Amandine** pour la broderie : un logo d'écran n'est
        pas un logo de fil.
        """
    ),
    methodology=md(
        """
        1. Simplifier le logo : moins de détails, des traits d'au moins 1,5 mm.
        2. Numériser dans **Ink/Stitch** (extension libre d'Inkscape) : remplissages, satin,
           ordre des couleurs.
        3. Broder des essais sur chutes, en variant l'entoilage et la densité.
        4. Broder la série sur un grand morceau de sergé, plusieurs écussons par cadre.
        5. Découper au laser autour du bord satin : le polyester fond et ne s'effiloche pas.
        """
    ),
    technical_architecture=md(
        """
        | Élément | Type de point | Réglage |
        |---|---|---|
        | Fond | remplissage | densité 0,4 mm, angle 45° |
        | Engrenage | remplissage | densité 0,35 mm, angle 135° |
        | Lettrage | satin | largeur 1,2 mm, lettres de 6 mm |
        | Bordure | satin | largeur 3 mm, sous-couche zigzag |

        - 11 840 points, trois couleurs, environ 14 minutes par écusson.
        - Compensation de tirage : 0,2 mm sur les satins.
        """
    ),
    steps=(
        DemoStep(
            "Simplifier le logo",
            "Supprimer les dégradés, épaissir les traits à 1,5 mm minimum, réduire à trois "
            "couleurs.",
        ),
        DemoStep(
            "Numériser avec Ink/Stitch",
            "Un objet par zone, dans l'ordre de broderie : fond, engrenage, lettrage, "
            "bordure en dernier pour recouvrir les bords.",
            photos=("Simulation Ink/Stitch de l'écusson",),
        ),
        DemoStep(
            "Broder la série",
            "Sergé + deux couches d'entoilage à découper, tendus dans le grand cadre : "
            "quatre écussons par passage.",
            photos=("Quatre écussons dans le grand cadre",),
        ),
        DemoStep(
            "Détourer au laser et thermocoller",
            "Découpe au laser à 2 mm du bord satin, à faible puissance. Entoilage "
            "thermocollant au dos pour la pose au fer.",
            photos=("Écussons détourés au laser",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow("Sergé de coton 260 g/m²", "0.5", "m", "12.00", "Mercerie du centre-ville"),
        DemoBillRow("Entoilage à découper", "1", "m", "8.50", "Mercerie du centre-ville"),
        DemoBillRow("Entoilage thermocollant", "0.5", "m", "6.00", "Mercerie du centre-ville"),
        DemoBillRow(
            "Fil à broder polyester (3 couleurs)", "3", "cône", "4.20", "Stock La Machinerie"
        ),
        DemoBillRow("Fil de canette", "1", "cône", "3.50", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Ink/Stitch ou le logiciel de la brodeuse ?",
            "Le logiciel Brother est payant et ne tourne que sous Windows. Ink/Stitch est "
            "libre, s'installe dans Inkscape et exporte au format PES que la brodeuse lit.",
        ),
        DemoEntry(
            Kind.CHOICE,
            "Logo simplifié pour la broderie",
            "J'ai repris le logo : engrenage à 8 dents au lieu de 16, aiguille plus épaisse, "
            "et suppression du slogan, illisible à cette taille.",
            author="amandine.roux",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Premier essai sur coton fin",
            "Le dessin est reconnaissable mais le tissu ondule autour de l'engrenage.",
            machine="brother-pr680w",
            parameters={
                "Tissu": "Popeline de coton",
                "Entoilage": "à déchirer, 1 couche",
                "Vitesse": "800 points/min",
                "Densité satin": "0,4 mm",
            },
            outcome=Outcome.PARTLY,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le tissu fronce autour du lettrage",
            "Fronces tout autour du texte et bordure qui ne rejoint pas le remplissage : il "
            "reste un liseré de tissu visible. La popeline est trop légère pour 12 000 points.",
            machine="brother-pr680w",
            outcome=Outcome.FAILED,
            photos=("Fronces autour du lettrage",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Tissu épais, entoilage à découper et compensation de tirage",
            md(
                """
                Pour un écusson dense :

                - **sergé** de coton plutôt que popeline ;
                - **deux couches d'entoilage à découper** (pas à déchirer) ;
                - sous-couche zigzag sous les satins ;
                - **compensation de tirage** de 0,2 mm pour que la bordure recouvre bien.
                """
            ),
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Texte illisible sous 5 mm",
            "Avec des lettres de 4 mm, le « E » et le « R » de MACHINERIE se bouchent : les "
            "points s'écrasent les uns sur les autres.",
            machine="brother-pr680w",
            parameters={"Hauteur des lettres": "4 mm", "Largeur satin": "0,8 mm"},
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Lettres de 6 mm minimum, sans empattement",
            "En broderie, 6 mm est le minimum lisible pour des capitales en satin. Police "
            "sans empattement, lettres un peu espacées.",
            author="amandine.roux",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Série de trente écussons",
            "Huit passages de quatre écussons. Deux ratés (fil cassé, reprise visible), "
            "gardés pour les tests.",
            machine="brother-pr680w",
            parameters={
                "Tissu": "Sergé de coton 260 g/m²",
                "Vitesse": "600 points/min",
                "Points": "11 840",
                "Durée par écusson": "14 min",
            },
            outcome=Outcome.WORKED,
            photos=("Série d'écussons dans le cadre",),
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Écussons distribués aux bénévoles",
            "Distribués à la réunion des bénévoles. Plusieurs membres en redemandent pour "
            "leurs sacs : on prévoit une deuxième série.",
            outcome=Outcome.WORKED,
            photos=("Écusson cousu sur une veste",),
        ),
    ),
)

CUTTING_BOARD = DemoProject(
    title="Planche à découper en chêne massif",
    owner="bernard.caron",
    theme="cnc",
    summary=(
        "Une planche à découper de 40 × 25 cm dans un plateau de chêne de récupération, avec "
        "rigole à jus et poignée usinées à la Shapeoko, finie à l'huile alimentaire."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Un samedi, plus le séchage de l'huile",
    cost="18.00",
    licence=Licence.CC_BY,
    tags=("CNC", "bois", "chêne", "cuisine", "fraisage"),
    machines=("shapeoko-4",),
    materials=("Chêne massif",),
    started_days_ago=142,
    last_days_ago=119,
    presentation=md(
        """
        Un plateau de chêne de 35 mm, sauvé d'une table de bistrot partie à la benne. En
        quarante ans de menuiserie, j'ai fait des dizaines de planches à la main ; celle-ci
        est la première à la CNC.

        L'intérêt de la machine : une rigole à jus parfaitement régulière et une poignée
        creusée, deux choses longues à faire à la toupie.
        """
    ),
    methodology=md(
        """
        1. Dégauchir et raboter le plateau à 30 mm à l'atelier bois.
        2. Dessiner la planche dans **Carbide Create** : contour, rigole, poignée.
        3. Brider le plateau sur la table martyre, vérifier l'équerrage.
        4. Usiner dans l'ordre : surfaçage, rigole, poignée, contour avec ponts.
        5. Couper les ponts, poncer jusqu'au grain 240, huiler trois fois.
        """
    ),
    technical_architecture=md(
        """
        | Opération | Fraise | Broche | Avance | Passe |
        |---|---|---|---|---|
        | Surfaçage | surfaçage Ø 25 mm | 18 000 tr/min | 1 500 mm/min | 0,5 mm |
        | Rigole | boule Ø 6 mm | 16 000 tr/min | 1 800 mm/min | 1,5 mm |
        | Poignée | droite Ø 6 mm | 16 000 tr/min | 1 600 mm/min | 2 mm |
        | Contour | droite Ø 6 mm | 16 000 tr/min | 1 400 mm/min | 3 mm |

        Extrait du programme de la rigole :

        ```gcode
        (Rigole a jus - fraise boule 6 mm)
        G21 G90 G17
        M3 S16000
        G0 Z5
        G0 X20 Y20
        G1 Z-1.5 F300
        G1 X380 F1800
        G1 Y230
        G1 X20
        G1 Y20
        G0 Z5
        M5
        ```
        """
    ),
    steps=(
        DemoStep(
            "Préparer le plateau",
            "Dégauchir, raboter à 30 mm, mettre à 420 × 270 mm (10 mm de marge pour le bridage).",
            photos=("Plateau de chêne raboté",),
        ),
        DemoStep(
            "Brider et faire le zéro",
            "Quatre brides et du ruban adhésif double face au centre. Zéro X/Y au coin "
            "avant gauche, Z sur le dessus du plateau avec la sonde.",
        ),
        DemoStep(
            "Usiner",
            "Surfaçage, rigole, poignée, puis contour avec quatre ponts de 3 mm. Vérifier "
            "le serrage des brides entre chaque opération.",
            photos=("Rigole en cours d'usinage", "Poignée creusée"),
        ),
        DemoStep(
            "Finitions",
            "Couper les ponts à la scie japonaise, poncer 120 → 180 → 240, humidifier pour "
            "relever le fil, poncer à nouveau, trois couches d'huile alimentaire.",
            photos=("Planche huilée",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Plateau de chêne de récupération", "1", "pièce", "0.00", "Ressourcerie d'Amiens"
        ),
        DemoBillRow(
            "Huile de finition alimentaire", "0.1", "litre", "45.00", "Magasin de bricolage"
        ),
        DemoBillRow(
            "Papier abrasif (120, 180, 240)", "3", "feuille", "0.90", "Stock La Machinerie"
        ),
        DemoBillRow("Ruban adhésif double face", "1", "m", "1.50", "Stock La Machinerie"),
        DemoBillRow("Fraise boule Ø 6 mm (usure)", "0.1", "pièce", "22.00", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.NOTE,
            "Un plateau sauvé de la benne",
            "Récupéré à la ressourcerie : une vieille table de bistrot, chêne massif, 35 mm. "
            "Deux taches d'encre et une brûlure de cigarette, qui partiront au rabot.",
        ),
        DemoEntry(
            Kind.RESEARCH,
            "Fraises et vitesses pour le chêne",
            "Le chêne est dur mais se fraise bien. Karim conseille de viser un copeau, pas "
            "de la poussière : vitesse de broche modérée, avance franche.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Surfaçage",
            "Surface propre, quelques marques de recouvrement qui partiront au ponçage.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Surfaçage Ø 25 mm",
                "Broche": "18 000 tr/min",
                "Avance": "1 500 mm/min",
                "Passe": "0,5 mm",
                "Recouvrement": "40 %",
            },
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.FAILURE,
            "La planche a bougé pendant la rigole",
            "À mi-parcours, une bride s'est desserrée avec les vibrations : la rigole est "
            "décalée de 2 mm sur un côté. Rattrapable en élargissant la rigole, mais c'est "
            "visible.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Boule Ø 6 mm",
                "Broche": "16 000 tr/min",
                "Avance": "1 800 mm/min",
                "Passe": "1,5 mm",
            },
            outcome=Outcome.FAILED,
            photos=("Rigole décalée après le déplacement du plateau",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Brider sur quatre points et vérifier entre chaque opération",
            "Quatre brides plus du double face au centre, et un tour de clé sur chaque bride "
            "entre deux opérations. Trente secondes qui évitent de rater une planche.",
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Brûlures au fond de la poignée",
            "J'avais ralenti l'avance « pour être prudent » : la fraise frotte au lieu de "
            "couper, le chêne noircit au fond de la poignée.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Droite Ø 6 mm",
                "Broche": "20 000 tr/min",
                "Avance": "600 mm/min",
            },
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Dans le chêne, la fraise qui traîne chauffe",
            "Avance remontée à 1 600 mm/min et broche baissée à 16 000 tr/min : copeaux "
            "nets, plus aucune brûlure. Comme à la main : un outil qui n'avance pas s'use "
            "et brûle.",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Planche huilée, prête pour la cuisine",
            "Trois couches d'huile à 24 h d'intervalle. Offerte à ma fille, qui m'en "
            "commande déjà une deuxième.",
            outcome=Outcome.WORKED,
            photos=("Planche à découper finie et huilée",),
        ),
    ),
)

CATHEDRAL_LAMP = DemoProject(
    title="Lampe LED « Cathédrale » en PMMA gravé",
    owner="camille.lefebvre",
    collaborators=("julien.moreau",),
    theme="light",
    summary=(
        "Une veilleuse éclairée par la tranche : la façade de la cathédrale d'Amiens gravée "
        "dans du PMMA 3 mm, sur un socle imprimé en 3D avec des LED qui changent doucement "
        "de couleur."
    ),
    status=ProjectStatus.PROTOTYPE_WORKS,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Trois soirées",
    cost="32.00",
    licence=Licence.CC_BY_NC_SA,
    tags=("LED", "PMMA", "gravure laser", "luminaire", "Amiens", "électronique"),
    machines=("trotec-speedy-300", "prusa-mk4", "station-soudure"),
    materials=("PMMA 3 mm", "PLA"),
    started_days_ago=61,
    last_days_ago=8,
    presentation=md(
        """
        En été, la façade de la cathédrale d'Amiens s'illumine des couleurs qu'elle avait au
        Moyen Âge. Cette veilleuse en est un clin d'œil : la façade est gravée dans une plaque
        de PMMA transparent, et des LED placées sous la tranche font apparaître le dessin en
        lumière, en changeant lentement de couleur.

        Julien s'est occupé de l'électronique, moi du dessin, de la gravure et du socle.
        """
    ),
    methodology=md(
        """
        - Dessin vectoriel de la façade à partir de photos (portails, rosace, tours).
        - Tests de gravure sur chutes de PMMA : profondeur, résolution, type d'acrylique.
        - Socle imprimé en PLA noir avec une fente de 3,2 mm pour la plaque.
        - Électronique : un Arduino Nano et une barrette de WS2812B sous la fente.
        """
    ),
    technical_architecture=md(
        """
        - **Plaque** : PMMA coulé 3 mm, 200 × 260 mm, gravure raster sur la face arrière
          (le dessin se lit à l'endroit à travers la plaque).
        - **Lumière** : 24 LED WS2812B sur 16 cm, alimentation USB 5 V 1 A.
        - **Socle** : PLA noir, 2 pièces vissées, trappe pour le câble.

        ```cpp
        #include <FastLED.h>
        #define NB_LEDS 24
        #define BROCHE_DONNEES 6
        CRGB leds[NB_LEDS];

        void setup() {
          FastLED.addLeds<WS2812B, BROCHE_DONNEES, GRB>(leds, NB_LEDS);
          FastLED.setMaxPowerInVoltsAndMilliamps(5, 900);  // alimentation USB 1 A
        }

        void loop() {
          static uint8_t teinte = 0;
          fill_rainbow(leds, NB_LEDS, teinte++, 4);  // lent dégradé de couleurs
          FastLED.show();
          delay(80);
        }
        ```
        """
    ),
    steps=(
        DemoStep(
            "Dessiner la façade",
            "Tracer par-dessus une photo dans Inkscape, en simplifiant : tours, rosace, "
            "trois portails. Retourner le dessin (miroir) pour graver au dos.",
        ),
        DemoStep(
            "Graver et découper la plaque",
            "Retirer le film protecteur côté gravure seulement. Graver, puis découper le contour.",
            photos=("Gravure de la façade dans le PMMA",),
        ),
        DemoStep(
            "Imprimer le socle",
            "PLA noir, fente de 3,2 mm (3 mm de plaque + jeu), logement de la barrette de "
            "LED juste dessous.",
        ),
        DemoStep(
            "Câbler les LED",
            "Résistance de 330 Ω sur la ligne de données, condensateur de 1000 µF sur "
            "l'alimentation, masse commune.",
            photos=("Barrette de LED dans le socle",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "PMMA coulé transparent 3 mm, 300 × 300 mm",
            "1",
            "plaque",
            "8.90",
            "Stock La Machinerie",
        ),
        DemoBillRow(
            "Barrette LED WS2812B, 60 LED/m", "0.4", "m", "12.00", "Boutique électronique en ligne"
        ),
        DemoBillRow(
            "Arduino Nano (compatible)", "1", "pièce", "6.50", "Boutique électronique en ligne"
        ),
        DemoBillRow("Condensateur 1000 µF 10 V", "1", "pièce", "0.40", "Stock La Machinerie"),
        DemoBillRow("Résistance 330 Ω", "1", "pièce", "0.05", "Stock La Machinerie"),
        DemoBillRow("Filament PLA noir", "0.1", "bobine", "21.90", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Éclairage par la tranche : quelle épaisseur ?",
            "En 3 mm, la lumière se diffuse sur 25 cm environ ; au-delà il faut du 5 mm. "
            "Notre plaque fait 26 cm de haut : 3 mm, c'est juste.",
        ),
        DemoEntry(
            Kind.FAILURE,
            "PMMA extrudé : bords fondus et gravure laiteuse",
            "Premier essai avec une chute de PMMA **extrudé** (moins cher) : la gravure "
            "ressort grise et floue, les bords de découpe bavent, et une fissure est apparue "
            "près d'un angle le lendemain.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "PMMA extrudé 3 mm",
                "Mode": "Gravure raster",
                "Puissance": "25 %",
                "Vitesse": "350 mm/s",
            },
            outcome=Outcome.FAILED,
            photos=("Gravure laiteuse sur PMMA extrudé",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Du PMMA coulé pour graver",
            "Le PMMA **coulé** grave en blanc givré bien net ; l'extrudé fond. Ils se "
            "ressemblent, l'étiquette sur le film protecteur fait foi.",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Gravure sur PMMA coulé",
            "Beaucoup mieux, mais la gravure est trop légère : la lumière accroche peu. "
            "Prochain essai à 40 %.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "PMMA coulé 3 mm",
                "Mode": "Gravure raster",
                "Puissance": "25 %",
                "Vitesse": "350 mm/s",
                "Résolution": "333 DPI",
            },
            outcome=Outcome.PARTLY,
        ),
        DemoEntry(
            Kind.CHOICE,
            "Des WS2812B plutôt qu'un ruban blanc",
            "Un ruban blanc chaud aurait suffi pour une veilleuse, mais Camille voulait les "
            "couleurs du spectacle d'été. Les WS2812B se pilotent une par une avec un seul fil.",
            author="julien.moreau",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Les LED clignotent au hasard",
            "Au branchement, des LED s'allument en blanc ou en vert, au hasard. Pas de "
            "résistance sur la ligne de données et la masse de l'Arduino n'était pas reliée "
            "à celle du ruban.",
            author="julien.moreau",
            machine="station-soudure",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "WS2812B : masse commune, 330 Ω et un condensateur",
            md(
                """
                La recette qui marche à tous les coups :

                1. masse commune entre l'Arduino et les LED ;
                2. résistance de **330 Ω** en série sur la ligne de données ;
                3. condensateur de **1000 µF** sur l'alimentation, au plus près du ruban.
                """
            ),
            author="julien.moreau",
            same_session=True,
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Prototype allumé",
            "Gravure à 40 % : la façade apparaît nettement, même à la lumière du jour. Le "
            "dégradé de couleurs est très doux.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "PMMA coulé 3 mm",
                "Mode": "Gravure raster",
                "Puissance": "40 %",
                "Vitesse": "350 mm/s",
                "Résolution": "333 DPI",
            },
            outcome=Outcome.WORKED,
            photos=("La lampe allumée dans le noir",),
        ),
        DemoEntry(
            Kind.NOTE,
            "Pour la version 2",
            "Socle en chêne à la CNC (Bernard est partant) et un bouton pour choisir entre "
            "couleurs et blanc chaud.",
        ),
    ),
)

GARDEN_STICKERS = DemoProject(
    title="Stickers pour les Jardins partagés de Saint-Leu",
    owner="amandine.roux",
    theme="vinyl",
    summary=(
        "Une planche de stickers découpés au vinyle pour l'association des Jardins partagés "
        "de Saint-Leu : logo, carottes et abeilles à coller sur les bacs, les outils et les "
        "vélos."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.BEGINNER,
    duration="Un après-midi",
    cost="20.00",
    licence=Licence.CC_BY,
    tags=("vinyle", "stickers", "association", "graphisme", "découpe vinyle"),
    machines=("silhouette-cameo-4",),
    materials=("Vinyle adhésif",),
    started_days_ago=41,
    last_days_ago=33,
    presentation=md(
        """
        L'association des Jardins partagés de Saint-Leu m'a demandé des stickers pour
        marquer ses bacs et ses outils (qui ont tendance à partir en promenade). J'avais
        dessiné leur logo l'an dernier : c'était l'occasion de passer au vinyle.

        120 stickers en quatre motifs, découpés à la Silhouette Cameo 4.
        """
    ),
    methodology=md(
        """
        1. Adapter les dessins au vinyle : aplats, pas de dégradés, détails de plus de 1 mm.
        2. Tester la découpe sur une chute pour régler lame et force.
        3. Découper, écheniller (retirer le vinyle en trop), poser le papier de transfert.
        4. Couper les planches en stickers individuels.
        """
    ),
    technical_architecture=md(
        """
        | Motif | Taille | Couleur | Quantité |
        |---|---|---|---|
        | Logo de l'association | 8 cm | vert | 40 |
        | Carotte | 5 cm | orange | 30 |
        | Abeille | 5 cm | jaune et noir | 30 |
        | « Rendez-moi au jardin ! » | 10 cm | blanc | 20 |

        Vinyle Oracal 651 (extérieur, 5 ans), papier de transfert à faible adhérence.
        """
    ),
    steps=(
        DemoStep(
            "Préparer les fichiers",
            "Vectoriser les dessins, fusionner les formes, supprimer tout détail de moins "
            "de 1 mm. Ajouter des lignes d'échenillage entre les motifs.",
            photos=("Planche de motifs prête à découper",),
        ),
        DemoStep(
            "Découper et écheniller",
            "Une couleur par passage. Écheniller au crochet, en commençant par un coin.",
            photos=("Échenillage des abeilles",),
        ),
        DemoStep(
            "Poser le papier de transfert",
            "Raclette du centre vers les bords, puis découper les stickers un par un.",
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Vinyle Oracal 651, rouleau 30 cm × 1 m",
            "4",
            "rouleau",
            "3.50",
            "Boutique de loisirs créatifs",
        ),
        DemoBillRow(
            "Papier de transfert faible adhérence", "2", "m", "1.80", "Boutique de loisirs créatifs"
        ),
        DemoBillRow("Lame de rechange Silhouette", "0.2", "pièce", "12.00", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.NOTE,
            "La demande de l'association",
            "Quatre motifs, 120 stickers, pour la fête des jardins. Budget : le vinyle, "
            "l'association le paie.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Test de découpe sur Oracal 651",
            "Le vinyle est bien coupé mais le papier support aussi, par endroits : la lame "
            "sort trop.",
            machine="silhouette-cameo-4",
            parameters={"Lame": "3", "Force": "14", "Vitesse": "5", "Passes": "1"},
            outcome=Outcome.PARTLY,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Les antennes des abeilles s'arrachent",
            "Avec la lame à 2 et la force à 10, la découpe est propre, mais à l'échenillage "
            "les antennes (0,6 mm) partent avec le vinyle en trop. Dix abeilles sur dix "
            "sans antennes.",
            machine="silhouette-cameo-4",
            parameters={"Lame": "2", "Force": "10", "Vitesse": "5", "Passes": "1"},
            outcome=Outcome.FAILED,
            photos=("Abeilles sans antennes",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Pas de détail sous 1 mm en vinyle",
            "Antennes redessinées à 1,2 mm, avec un bout arrondi. Et on échenille à "
            "contresens des détails fins, doucement.",
            same_session=True,
        ),
        DemoEntry(
            Kind.CHOICE,
            "Lignes d'échenillage entre les motifs",
            "Des traits de découpe supplémentaires entre les motifs découpent le vinyle en "
            "trop en petits morceaux : l'échenillage est deux fois plus rapide.",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "120 stickers livrés",
            "Livrés pour la fête des jardins. Les carottes ont eu le plus de succès auprès "
            "des enfants.",
            outcome=Outcome.WORKED,
            photos=("Les stickers livrés à l'association",),
        ),
    ),
)

MODULAR_SHELVING = DemoProject(
    title="Étagère modulaire sans vis",
    owner="bernard.caron",
    collaborators=("camille.lefebvre",),
    theme="cnc",
    summary=(
        "Un système d'étagères en contreplaqué de bouleau 18 mm, assemblé par tenons et clés "
        "sans une seule vis, dont on ajoute les modules au fil des besoins."
    ),
    status=ProjectStatus.IN_PROGRESS,
    difficulty=Difficulty.ADVANCED,
    duration="Un mois de samedis",
    cost="155.00",
    licence=Licence.CC_BY_SA,
    tags=("mobilier", "CNC", "contreplaqué", "assemblage sans vis", "conception paramétrique"),
    machines=("shapeoko-4",),
    materials=("Contreplaqué bouleau 18 mm",),
    started_days_ago=46,
    last_days_ago=2,
    presentation=md(
        """
        La bibliothèque du coworking déborde. Camille et moi dessinons un système
        d'étagères qui se monte **sans vis ni colle** : des montants, des tablettes et des
        clés en bois qui bloquent les tenons. On ajoute un module quand il faut de la place.

        Le fichier est **paramétrique** : on saisit l'épaisseur réelle du panneau et le jeu
        voulu, et tout se recalcule.
        """
    ),
    methodology=md(
        """
        1. Modèle paramétrique dans FreeCAD (tableur : épaisseur, jeu, hauteur des modules).
        2. Éprouvettes d'assemblage pour régler le jeu.
        3. Usinage d'un premier module complet, montage, test de charge.
        4. Usinage des modules suivants par lots, un panneau par samedi.
        """
    ),
    technical_architecture=md(
        """
        | Paramètre | Valeur |
        |---|---|
        | Épaisseur nominale | 18 mm |
        | Épaisseur mesurée | 18,6 mm |
        | Jeu des mortaises | 0,2 mm |
        | Module | 800 × 350 × 400 mm |
        | Charge testée | 40 kg par tablette |

        - Coins intérieurs en **dogbone** : la fraise de 6 mm ne fait pas d'angle vif.
        - Clés en contreplaqué, fil du bois dans la longueur.
        """
    ),
    steps=(
        DemoStep(
            "Mesurer le panneau",
            "Pied à coulisse en cinq points ; prendre la plus grande valeur et la saisir dans "
            "le tableur FreeCAD.",
        ),
        DemoStep(
            "Usiner les éprouvettes",
            "Une mortaise, un tenon, une clé : dix minutes de machine pour valider le jeu.",
            photos=("Éprouvettes d'assemblage",),
        ),
        DemoStep(
            "Usiner un module",
            "Deux montants, trois tablettes, six clés dans un panneau de 1220 × 610 mm.",
            photos=("Pièces d'un module sur la table martyre", "Premier module monté"),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Contreplaqué bouleau 18 mm, 1220 × 610 mm",
            "4",
            "panneau",
            "32.00",
            "Négoce bois d'Amiens",
        ),
        DemoBillRow("Fraise droite 2 dents Ø 6 mm", "1", "pièce", "18.00", "Stock La Machinerie"),
        DemoBillRow("Huile-cire incolore", "0.25", "litre", "28.00", "Magasin de bricolage"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Mobilier libre à fraiser",
            "Regardé les meubles à assembler sans vis des projets de mobilier open source : "
            "tenons traversants et clés. Solide, démontable, sans quincaillerie.",
        ),
        DemoEntry(
            Kind.CHOICE,
            "Bouleau 18 mm plutôt que peuplier",
            "Le peuplier est plus léger et moins cher, mais les tenons s'écrasent. Le bouleau "
            "a des plis plus nombreux et plus réguliers.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Éprouvette d'assemblage",
            "Le tenon entre en force au maillet. Trop serré pour monter et démonter souvent.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Droite 2 dents Ø 6 mm",
                "Broche": "16 000 tr/min",
                "Avance": "1 800 mm/min",
                "Passe": "3 mm",
            },
            outcome=Outcome.PARTLY,
            photos=("Éprouvette trop serrée",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Tenons trop serrés : le panneau fait 18,6 mm",
            "Le fichier supposait 18 mm. Le panneau en fait 18,6 : aucun tenon n'entre. "
            "Un panneau usiné pour rien.",
            machine="shapeoko-4",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Mesurer chaque panneau et paramétrer le fichier",
            "J'ai mis l'épaisseur et le jeu dans le tableur FreeCAD : on mesure le panneau, "
            "on change une cellule, et toutes les mortaises suivent.",
            author="camille.lefebvre",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Coins intérieurs arrondis",
            "Les mortaises ont des coins arrondis de 3 mm de rayon (la fraise est ronde !) : "
            "les tenons à angles vifs n'entrent pas au fond.",
            author="camille.lefebvre",
            machine="shapeoko-4",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Ajouter des dogbones",
            "Un petit dégagement circulaire dans chaque coin intérieur (un *dogbone*), et le "
            "tenon entre jusqu'au fond. Invisible une fois monté.",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Premier module monté",
            "Monté en dix minutes sans outil. Testé avec 40 kg de livres par tablette : "
            "aucune flèche visible.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Droite 2 dents Ø 6 mm",
                "Broche": "16 000 tr/min",
                "Avance": "1 800 mm/min",
                "Passe": "3 mm",
                "Jeu": "0,2 mm",
            },
            outcome=Outcome.WORKED,
            photos=("Premier module chargé de livres",),
        ),
        DemoEntry(
            Kind.NOTE,
            "Pour la suite",
            "Encore trois modules à usiner. Idée : des clés en chêne pour le contraste.",
        ),
    ),
)

BEEHIVE_MONITOR = DemoProject(
    title="Ruche connectée : balance et température",
    owner="julien.moreau",
    collaborators=("bernard.caron",),
    theme="hive",
    summary=(
        "Une balance sous la ruche de Bernard, aux hortillonnages, pour suivre la miellée sans "
        "ouvrir la ruche : quatre pesons, un HX711, un ESP32 et un module LoRa."
    ),
    status=ProjectStatus.IN_PROGRESS,
    difficulty=Difficulty.ADVANCED,
    duration="Une saison apicole",
    cost="85.00",
    licence=Licence.GPL3,
    tags=("apiculture", "ESP32", "LoRa", "capteurs", "balance", "biodiversité"),
    machines=("prusa-mk4", "shapeoko-4", "station-soudure"),
    materials=("PETG", "Aluminium 2 mm"),
    started_days_ago=88,
    last_days_ago=5,
    presentation=md(
        """
        Bernard a deux ruches dans une parcelle des hortillonnages. Ouvrir une ruche
        dérange les abeilles ; la **peser** renseigne sur presque tout : rentrée de nectar,
        consommation des réserves, et même un essaimage (une chute brutale de 1 à 2 kg).

        Il n'y a ni Wi-Fi ni prise au jardin : la balance fonctionne sur batterie et envoie
        ses mesures en **LoRa** à une passerelle installée sur le toit du lab.
        """
    ),
    methodology=md(
        """
        1. Lister avec Bernard ce qui est utile à un apiculteur (et ce qui ne l'est pas).
        2. Plateau de pesée : deux plaques d'aluminium 2 mm et quatre pesons de 50 kg.
        3. Étalonnage avec des poids connus, puis étude de la dérive en température.
        4. Boîtier étanche, essai d'un mois sur une ruche vide, puis sur la vraie ruche.
        """
    ),
    technical_architecture=md(
        """
        | Mesure | Capteur | Fréquence |
        |---|---|---|
        | Poids | 4 pesons 50 kg + HX711 | toutes les 15 min |
        | Température extérieure | DS18B20 | toutes les 15 min |
        | Tension batterie | pont diviseur | toutes les heures |

        La dérive des pesons avec la température est compensée avant l'envoi ; la trame
        LoRa fait 4 octets :

        ```cpp
        #include <HX711.h>
        #include <DallasTemperature.h>

        const float FACTEUR = -21650.0;      // étalonné avec 10 kg
        const float DERIVE_KG_PAR_C = 0.0115; // mesurée sur cinq nuits

        float poidsCorrige(float brut, float temperature) {
          return brut - DERIVE_KG_PAR_C * (temperature - 20.0);
        }

        void envoyer(float poids, float temperature) {
          char trame[9];
          snprintf(trame, sizeof trame, "%04X%04X",
                   (uint16_t)(poids * 100), (uint16_t)(temperature * 10));
          Serial2.print("AT+MSGHEX=");  // module LoRa-E5 en commandes AT
          Serial2.println(trame);
        }
        ```
        """
    ),
    steps=(
        DemoStep(
            "Fraiser le plateau de pesée",
            "Deux plaques d'aluminium 2 mm de 450 × 450 mm, avec les perçages des pesons.",
            photos=("Plaques d'aluminium fraisées",),
        ),
        DemoStep(
            "Câbler les pesons",
            "Quatre pesons en pont complet vers le HX711. Câbles courts, soudures gainées.",
            photos=("Pesons câblés sous le plateau",),
        ),
        DemoStep(
            "Étalonner",
            "Tare à vide, puis un poids de 10 kg connu : le facteur d'échelle s'en déduit.",
        ),
        DemoStep(
            "Installer au jardin",
            "Plateau calé de niveau sur des parpaings, boîtier sous le toit de la ruche.",
            photos=("La balance sous la ruche",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Pesons 50 kg (lot de 4)", "1", "lot", "9.90", "Boutique électronique en ligne"
        ),
        DemoBillRow("Amplificateur HX711", "1", "pièce", "2.50", "Boutique électronique en ligne"),
        DemoBillRow("ESP32 DevKitC", "1", "pièce", "8.50", "Boutique électronique en ligne"),
        DemoBillRow("Module LoRa-E5", "1", "pièce", "14.90", "Boutique électronique en ligne"),
        DemoBillRow(
            "Sonde DS18B20 étanche", "1", "pièce", "3.20", "Boutique électronique en ligne"
        ),
        DemoBillRow(
            "Tôle aluminium 5754, 2 mm, 500 × 500 mm",
            "2",
            "plaque",
            "11.00",
            "Métallerie de la zone nord",
        ),
        DemoBillRow(
            "Boîtier IP65 avec presse-étoupes", "1", "pièce", "9.80", "Magasin d'électricité"
        ),
        DemoBillRow("Accumulateur Li-ion 18650", "2", "pièce", "4.50", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Ce que raconte le poids d'une ruche",
            md(
                """
                Ce qui compte pour moi, apiculteur :

                - la **miellée** : +1 à +3 kg par jour quand ça donne ;
                - l'**essaimage** : −1 à −2 kg d'un coup ;
                - l'**hiver** : la consommation des réserves, pour savoir s'il faut nourrir.

                La température intérieure, c'est un plus, pas l'essentiel.
                """
            ),
            author="bernard.caron",
        ),
        DemoEntry(
            Kind.CHOICE,
            "LoRa plutôt que Wi-Fi ou GSM",
            "Pas de Wi-Fi au jardin, et un abonnement GSM pour quatre octets toutes les "
            "15 minutes, c'est cher. La passerelle LoRa sur le toit du lab couvre les "
            "hortillonnages (2 km).",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Étalonnage des pesons",
            "Tare à vide, puis 10 kg de poids de cuisine. Erreur inférieure à 20 g sur toute "
            "la plage testée (0 à 60 kg).",
            machine="station-soudure",
            parameters={"Poids étalon": "10 kg", "Facteur": "-21 650", "Gain HX711": "128"},
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.FAILURE,
            "400 g d'écart entre le jour et la nuit",
            "Sur une ruche vide, donc de poids constant : la courbe monte et descend de "
            "400 g chaque jour. Les pesons dérivent avec la température.",
            outcome=Outcome.FAILED,
            photos=("Dérive jour-nuit sur une ruche vide",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Mesurer la température des pesons et corriger",
            "Sonde DS18B20 collée sous le plateau. Cinq nuits de mesures donnent 11,5 g par "
            "degré ; corrigé dans le programme, l'écart tombe à 40 g.",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Condensation dans le boîtier",
            "Après une nuit froide, des gouttelettes sur la carte et l'ESP32 qui redémarre en "
            "boucle. Le boîtier était étanche… à l'eau qui entre, pas à l'humidité enfermée.",
            author="bernard.caron",
            outcome=Outcome.FAILED,
            photos=("Gouttelettes dans le boîtier",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Presse-étoupes, sachet de silice et vernis",
            "Boîtier IP65 avec presse-étoupes, un sachet de silice changé chaque mois, et un "
            "vernis de tropicalisation sur la carte.",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Plaques en aluminium 2 mm à la Shapeoko",
            "Réglages repris du journal de Hugo (support vélo) : fraise une dent, passes "
            "fines, alcool isopropylique. Aucun souci.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "1 dent Ø 3 mm, spéciale alu",
                "Broche": "20 000 tr/min",
                "Avance": "600 mm/min",
                "Passe": "0,3 mm",
                "Lubrification": "alcool isopropylique",
            },
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.NOTE,
            "Faux essaimage",
            "Chute de 1,8 kg en dix minutes ! Essaimage ? Non : c'était moi qui retirais la "
            "hausse pour la visite. Julien va ajouter un bouton « visite en cours ».",
            author="bernard.caron",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Dix jours de données sans trou",
            "Aucune trame perdue sur dix jours, batterie à 78 %. Bernard consulte la courbe "
            "chaque matin avec son café.",
            outcome=Outcome.WORKED,
            photos=("Courbe de poids sur le tableau de bord",),
        ),
    ),
)

ARCADE_CABINET = DemoProject(
    title="Borne d'arcade bartop pour la salle de pause",
    owner="thomas.petit",
    collaborators=("bernard.caron",),
    theme="arcade",
    summary=(
        "Une borne d'arcade deux joueurs à poser sur une table, pour la salle de pause du "
        "coworking : flancs fraisés, panneau de commande découpé au laser, Raspberry Pi 4 et "
        "jeux libres."
    ),
    status=ProjectStatus.IN_PROGRESS,
    difficulty=Difficulty.INTERMEDIATE,
    duration="Deux mois de soirées",
    cost="190.00",
    licence=Licence.CC_BY_NC_SA,
    tags=("arcade", "Raspberry Pi", "rétrogaming", "MDF", "découpe laser", "CNC"),
    machines=("shapeoko-4", "trotec-speedy-300", "silhouette-cameo-4"),
    materials=("Contreplaqué bouleau 18 mm", "MDF 6 mm", "PMMA 3 mm", "Vinyle adhésif"),
    started_days_ago=70,
    last_days_ago=6,
    presentation=md(
        """
        La salle de pause du coworking avait besoin d'un peu de vie. Une borne *bartop*
        (qui se pose sur une table) à deux joueurs, avec un écran de 19 pouces de
        récupération.

        Seulement des **jeux libres ou dont les auteurs autorisent la diffusion** : pas de
        ROM piratée sur une machine installée dans un lieu public.
        """
    ),
    methodology=md(
        """
        - Flancs en bouleau 18 mm fraisés à la Shapeoko (avec Bernard).
        - Panneau de commande et façade en MDF, découpés au laser.
        - Fronton en PMMA rétroéclairé, décor en vinyle.
        - Raspberry Pi 4 avec RetroPie, encodeur USB pour les boutons.
        """
    ),
    technical_architecture=md(
        """
        | Élément | Matériau | Machine |
        |---|---|---|
        | Flancs (×2) | bouleau 18 mm | Shapeoko 4 |
        | Panneau de commande | MDF 6 mm doublé | Trotec Speedy 300 |
        | Fronton | PMMA 3 mm | Trotec Speedy 300 |
        | Décor | vinyle adhésif | Silhouette Cameo 4 |

        - Boutons de 30 mm, joysticks à 8 directions, encodeur USB « zéro délai ».
        - Écran 19 pouces 4:3 récupéré à la ressourcerie.
        """
    ),
    steps=(
        DemoStep(
            "Fraiser les flancs",
            "Profil dessiné dans Fusion 360, rainures de 6 mm pour emboîter les panneaux.",
            photos=("Flanc de la borne sur la Shapeoko",),
        ),
        DemoStep(
            "Découper le panneau de commande",
            "Trous de 30 mm pour les boutons, 24 mm pour les joysticks. Vérifier avec un "
            "gabarit papier avant de lancer la découpe.",
            photos=("Panneau de commande percé",),
        ),
        DemoStep(
            "Câbler les commandes",
            "Chaque bouton vers l'encodeur USB, un encodeur par joueur.",
        ),
    ),
    bill_of_materials=(
        DemoBillRow("Raspberry Pi 4, 2 Go", "1", "pièce", "49.00", "Revendeur officiel"),
        DemoBillRow(
            "Kit boutons et joysticks deux joueurs", "1", "kit", "45.00", "Boutique arcade en ligne"
        ),
        DemoBillRow(
            "Écran 19 pouces 4:3 d'occasion", "1", "pièce", "15.00", "Ressourcerie d'Amiens"
        ),
        DemoBillRow(
            "Contreplaqué bouleau 18 mm, 1220 × 610 mm",
            "1",
            "panneau",
            "32.00",
            "Négoce bois d'Amiens",
        ),
        DemoBillRow("MDF 6 mm, 600 × 400 mm", "3", "plaque", "3.20", "Stock La Machinerie"),
        DemoBillRow("Haut-parleurs 3 W", "2", "pièce", "4.50", "Boutique électronique en ligne"),
        DemoBillRow("Vinyle adhésif", "2", "rouleau", "3.50", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Plans de bartop existants",
            "Beaucoup de plans en ligne, presque tous pour du MDF 18 mm. Je garde les "
            "dimensions d'un modèle courant et je l'adapte à l'écran récupéré.",
        ),
        DemoEntry(
            Kind.CHOICE,
            "RetroPie et seulement des jeux libres",
            "RetroPie sur Raspberry Pi 4 ; catalogue limité aux jeux libres et aux jeux "
            "homebrew distribués gratuitement par leurs auteurs.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Flancs à la Shapeoko",
            "Deux flancs usinés en une matinée avec Bernard. Rainures parfaites.",
            author="bernard.caron",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Droite 2 dents Ø 6 mm",
                "Broche": "16 000 tr/min",
                "Avance": "1 800 mm/min",
                "Passe": "3 mm",
            },
            outcome=Outcome.WORKED,
            photos=("Les deux flancs usinés",),
        ),
        DemoEntry(
            Kind.FAILURE,
            "Trous de boutons trop petits",
            "J'ai découpé les trous à 28 mm en croyant que c'était la norme : les boutons "
            "font 30 mm. Panneau de MDF bon pour les chutes.",
            machine="trotec-speedy-300",
            parameters={"Matériau": "MDF 6 mm", "Puissance": "70 %", "Vitesse": "15 mm/s"},
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Gabarit papier à l'échelle 1 avant de découper",
            "Imprimer le panneau à l'échelle 1, poser les vrais boutons dessus, et "
            "seulement ensuite lancer la découpe. Cinq minutes qui auraient sauvé une plaque.",
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le panneau plie sous les coups de joystick",
            "Le MDF 6 mm fléchit dès qu'on joue un peu fort. À la première partie de "
            "tournoi, il va casser.",
            author="bernard.caron",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.LESSON,
            "Doubler le panneau",
            "Deux épaisseurs de MDF 6 mm contrecollées : plus aucune flexion, même en "
            "tapant fort. Pour la version définitive, du contreplaqué de 12 mm.",
            author="bernard.caron",
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Câblage des boutons sur l'encodeur USB",
            "Tous les boutons reconnus du premier coup dans RetroPie. Reste à régler le son.",
            outcome=Outcome.WORKED,
            photos=("Câblage sous le panneau de commande",),
        ),
        DemoEntry(
            Kind.NOTE,
            "Reste à faire",
            md(
                """
                - fronton en PMMA et son éclairage ;
                - décor en vinyle (Amandine a proposé de le dessiner) ;
                - choisir les dix premiers jeux.
                """
            ),
        ),
    ),
)

KITE = DemoProject(
    title="Cerf-volant delta avec Léo",
    owner="sophie.dubois",
    theme="kite",
    summary=(
        "Un cerf-volant delta de 1,20 m conçu avec Léo, 8 ans : voile en ripstop découpée au "
        "laser (les bords fondent et ne s'effilochent pas), baguettes en carbone, premier vol "
        "en baie de Somme."
    ),
    status=ProjectStatus.FINISHED,
    difficulty=Difficulty.BEGINNER,
    duration="Trois mercredis après-midi",
    cost="22.00",
    licence=Licence.CC_BY,
    tags=("cerf-volant", "couture", "découpe laser", "enfants", "plein air"),
    machines=("trotec-speedy-300",),
    materials=("Toile ripstop nylon",),
    started_days_ago=104,
    last_days_ago=72,
    presentation=md(
        """
        Léo voulait « un cerf-volant qui vole vraiment, pas comme celui du supermarché ».
        Nous avons choisi un **delta**, la forme la plus facile à faire voler, de 1,20 m
        d'envergure.

        Léo a dessiné la décoration et choisi les couleurs ; j'ai préparé les fichiers et
        lancé le laser (les enfants ne l'utilisent pas seuls). La couture, on l'a faite à
        deux, lui à la pédale.
        """
    ),
    methodology=md(
        """
        1. Choisir un plan de delta simple et le mettre à notre taille.
        2. Tester la découpe laser du ripstop sur une chute.
        3. Découper la voile en deux couleurs, coudre les fourreaux des baguettes.
        4. Monter les baguettes en carbone, régler le point d'attache.
        5. Essais au parc, puis en baie de Somme.
        """
    ),
    technical_architecture=md(
        """
        | Élément | Dimension | Matériau |
        |---|---|---|
        | Envergure | 1,20 m | — |
        | Hauteur | 0,60 m | — |
        | Bords d'attaque | Ø 4 mm × 0,75 m | tube carbone |
        | Traverse | Ø 3 mm × 0,80 m | jonc carbone |
        | Voile | 2 panneaux | ripstop nylon 40 g/m² |
        | Queue | 3 m | ruban de ripstop |

        Le point d'attache est à **38 %** de la hauteur depuis le nez.
        """
    ),
    steps=(
        DemoStep(
            "Découper la voile au laser",
            "Deux panneaux (un par couleur), à faible puissance : le bord fond juste assez "
            "pour ne pas s'effilocher.",
            photos=("Voile découpée en deux couleurs",),
        ),
        DemoStep(
            "Coudre",
            "Assembler les deux panneaux au point droit, coudre les fourreaux des bords "
            "d'attaque, renforcer le nez avec un triangle de ripstop.",
            photos=("Léo à la pédale de la machine à coudre",),
        ),
        DemoStep(
            "Monter les baguettes et la bride",
            "Glisser les tubes dans les fourreaux, poser la traverse, nouer la bride au "
            "point d'attache.",
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Ripstop nylon 40 g/m², deux couleurs",
            "1",
            "m",
            "9.00",
            "Boutique de cerfs-volants en ligne",
        ),
        DemoBillRow(
            "Tube carbone Ø 4 mm × 0,75 m",
            "2",
            "pièce",
            "3.20",
            "Boutique de cerfs-volants en ligne",
        ),
        DemoBillRow(
            "Jonc carbone Ø 3 mm × 0,80 m",
            "1",
            "pièce",
            "2.10",
            "Boutique de cerfs-volants en ligne",
        ),
        DemoBillRow("Fil de ligne 50 daN sur enrouleur", "1", "pièce", "4.00", "Magasin de sport"),
    ),
    journal=(
        DemoEntry(
            Kind.NOTE,
            "L'idée de Léo",
            "Après la fête du cerf-volant de Berck, Léo n'a plus parlé que de ça. On se "
            "lance au lab.",
        ),
        DemoEntry(
            Kind.RESEARCH,
            "Delta, losange ou pilotable ?",
            "Le losange demande une longue queue et du vent régulier ; le pilotable est "
            "trop dur pour un premier. Le delta vole par vent faible : c'est lui.",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le ripstop a fondu en vagues",
            "Premier essai avec les réglages du papier : le tissu fond sur 3 mm, le bord fait "
            "des vagues et deux trous sont apparus.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Ripstop nylon 40 g/m²",
                "Puissance": "30 %",
                "Vitesse": "60 mm/s",
            },
            outcome=Outcome.FAILED,
            photos=("Bord de ripstop fondu",),
        ),
        DemoEntry(
            Kind.TRIAL,
            "Découpe du ripstop à faible puissance",
            "Bord net et scellé, il ne s'effiloche pas. Le tissu doit être bien à plat : "
            "on l'a tenu avec des aimants sur la grille.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Ripstop nylon 40 g/m²",
                "Puissance": "15 %",
                "Vitesse": "100 mm/s",
                "Air comprimé": "faible",
            },
            outcome=Outcome.WORKED,
            same_session=True,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Premier vol : il tourne en rond et pique du nez",
            "Au parc de la Hotoie, le cerf-volant monte, tourne sur lui-même et s'écrase. "
            "Léo était très déçu.",
            outcome=Outcome.FAILED,
            photos=("Premier vol raté au parc",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Le point d'attache et la queue",
            "Karim nous a montré : point d'attache reculé de 3 cm (à 38 % depuis le nez) et "
            "une queue de 3 m. Il vole droit et reste stable même en rafales.",
        ),
        DemoEntry(
            Kind.SUCCESS,
            "Vol en baie de Somme",
            "Une heure de vol au Crotoy. Léo a tenu la ligne tout seul et a refusé de "
            "rentrer goûter.",
            outcome=Outcome.WORKED,
            photos=("Le cerf-volant au-dessus de la baie de Somme",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Ce que Léo a appris (écrit par Léo)",
            "Il faut avoir le vent dans le dos. Quand il tombe, ce n'est pas grave, on "
            "change un réglage. La queue, ça sert à ne pas tourner.",
        ),
    ),
)

SEED_LIBRARY = DemoProject(
    title="Grainothèque pour la médiathèque du quartier",
    owner="sophie.dubois",
    collaborators=("camille.lefebvre",),
    theme="laser",
    summary=(
        "Un meuble à tiroirs en contreplaqué pour échanger des graines à la médiathèque : "
        "un remix de la boîte à bijoux de Camille, avec des tiroirs étiquetés par saison."
    ),
    status=ProjectStatus.IDEA,
    difficulty=Difficulty.BEGINNER,
    duration="À estimer",
    cost=None,
    licence=Licence.CC_BY_SA,
    tags=("grainothèque", "découpe laser", "médiathèque", "jardin", "remix"),
    machines=("trotec-speedy-300",),
    materials=("Contreplaqué peuplier 3 mm",),
    started_days_ago=21,
    last_days_ago=4,
    remixed_from="Boîte à bijoux en contreplaqué gravé",
    presentation=md(
        """
        La médiathèque du quartier veut une **grainothèque** : un meuble où chacun dépose
        et prend des graines de son jardin. Idée : reprendre la boîte à entures de Camille
        et en faire un petit meuble à tiroirs, un tiroir par saison de semis.

        Le projet n'en est qu'au début ; les bibliothécaires ont donné leur accord.
        """
    ),
    methodology=md(
        """
        - Partir du fichier Boxes.py de la boîte à bijoux.
        - Prototype d'un tiroir et de sa niche.
        - Plan complet avec la médiathèque : nombre de tiroirs, taille des sachets.
        """
    ),
    technical_architecture=md(
        """
        Première esquisse :

        | Élément | Quantité | Dimensions |
        |---|---|---|
        | Tiroirs | 8 | 120 × 160 × 60 mm |
        | Caisson | 1 | 4 × 2 tiroirs |
        | Étiquettes gravées | 8 | printemps, été, automne, hiver × légumes / fleurs |
        """
    ),
    steps=(
        DemoStep(
            "Prototype d'un tiroir",
            "Tiroir et niche découpés dans une chute, avec le réglage de la boîte à bijoux.",
            photos=("Prototype d'un tiroir",),
        ),
        DemoStep(
            "Prochaines étapes",
            md(
                """
                - valider les dimensions avec la médiathèque ;
                - dessiner le caisson complet ;
                - graver les étiquettes avec Léo.
                """
            ),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Contreplaqué peuplier 3 mm, 600 × 400 mm", "6", "plaque", "4.50", "Stock La Machinerie"
        ),
        DemoBillRow("Colle vinylique D2", "0.5", "flacon", "6.90", "Quincaillerie Saint-Leu"),
        DemoBillRow("Boutons de tiroir en bois", "8", "pièce", "0.60"),
    ),
    journal=(
        DemoEntry(
            Kind.NOTE,
            "L'idée",
            "Vu la boîte à bijoux de Camille sur Carnet : les entures feraient de très bons "
            "tiroirs. Camille est d'accord pour qu'on la remixe.",
        ),
        DemoEntry(
            Kind.RESEARCH,
            "Combien de tiroirs ?",
            "Les sachets de graines font 9 × 14 cm. Huit tiroirs de 12 × 16 cm : un par "
            "saison, légumes et fleurs séparés.",
        ),
        DemoEntry(
            Kind.TRIAL,
            "Tiroir d'essai avec le fichier de Camille",
            "Découpe parfaite avec ses réglages, assemblage sans problème.",
            machine="trotec-speedy-300",
            parameters={
                "Matériau": "Contreplaqué peuplier 3 mm",
                "Puissance": "60 %",
                "Vitesse": "20 mm/s",
                "Compensation": "0,1 mm",
            },
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le tiroir coince dans sa niche",
            "Tiroir et niche ont exactement les mêmes dimensions : impossible de le faire "
            "glisser. Léo a essayé en forçant, une enture a cassé.",
            outcome=Outcome.FAILED,
            photos=("Tiroir coincé dans sa niche",),
            same_session=True,
        ),
        DemoEntry(
            Kind.LESSON,
            "Prévoir 1 mm de jeu pour ce qui coulisse",
            "Dans Boxes.py, la compensation sert à serrer les assemblages ; pour un tiroir "
            "il faut au contraire du jeu : niche plus grande de 1 mm sur chaque côté.",
            author="camille.lefebvre",
        ),
    ),
)

BIKE_HOOK = DemoProject(
    title="Support vélo mural en aluminium",
    owner="hugo.lemaire",
    theme="cnc",
    summary=(
        "Un crochet mural pour vélo en aluminium 2 mm, fraisé à la Shapeoko puis plié. "
        "Abandonné : le pli casse et le crochet ne tient pas la charge. Tout est noté pour "
        "que personne ne refasse les mêmes erreurs."
    ),
    status=ProjectStatus.ABANDONED,
    difficulty=Difficulty.ADVANCED,
    duration="Trois samedis avant abandon",
    cost="46.00",
    licence=Licence.CERN_OHL_W,
    tags=("vélo", "aluminium", "CNC", "fraisage", "pliage"),
    machines=("shapeoko-4",),
    materials=("Aluminium 2 mm",),
    started_days_ago=182,
    last_days_ago=151,
    presentation=md(
        """
        À l'atelier vélo, on manque de crochets muraux. L'idée : un crochet en tôle
        d'aluminium, découpé à la CNC puis plié, pour quelques euros pièce.

        **Projet abandonné**, mais le journal est peut-être la partie la plus utile : les
        réglages pour fraiser de l'aluminium sur la Shapeoko servent déjà à d'autres.
        """
    ),
    methodology=md(
        """
        1. Dessin du crochet à plat, avec la ligne de pli.
        2. Tests de fraisage de l'aluminium : fraises, vitesses, lubrification.
        3. Pliage à la plieuse manuelle de l'atelier métal.
        4. Test de charge avec des poids (un vélo de ville fait 15 à 20 kg).
        """
    ),
    technical_architecture=md(
        """
        | Essai | Alliage | Rayon de pli | Résultat |
        |---|---|---|---|
        | 1 | 6061-T6 | 2 mm | fissure au pli |
        | 2 | 6061-T6 | 4 mm | fissure au pli |
        | 3 | 5754 | 2 mm | pli propre, s'ouvre à 9 kg |

        Réglages de fraisage qui marchent (voir le journal) : fraise **une dent** Ø 3 mm,
        20 000 tr/min, 600 mm/min, passes de 0,3 mm, alcool isopropylique.
        """
    ),
    steps=(
        DemoStep(
            "Dessiner le crochet à plat",
            "Développé du crochet dans Fusion 360, trous de fixation de 6 mm.",
        ),
        DemoStep(
            "Fraiser la tôle",
            "Tôle vissée sur la table martyre, découpe en passes de 0,3 mm avec ponts.",
            photos=("Crochets fraisés dans la tôle",),
        ),
        DemoStep(
            "Plier",
            "Plieuse manuelle, rayon de pli le plus grand possible.",
            photos=("Crochet plié",),
        ),
    ),
    bill_of_materials=(
        DemoBillRow(
            "Tôle aluminium 6061-T6, 2 mm, 300 × 300 mm",
            "1",
            "plaque",
            "9.50",
            "Métallerie de la zone nord",
        ),
        DemoBillRow(
            "Tôle aluminium 5754, 2 mm, 300 × 300 mm",
            "1",
            "plaque",
            "8.00",
            "Métallerie de la zone nord",
        ),
        DemoBillRow(
            "Fraise 1 dent Ø 3 mm spéciale aluminium",
            "1",
            "pièce",
            "19.00",
            "Revendeur d'outillage",
        ),
        DemoBillRow("Fraise 2 dents Ø 6 mm (cassée)", "1", "pièce", "9.00", "Stock La Machinerie"),
    ),
    journal=(
        DemoEntry(
            Kind.RESEARCH,
            "Fraiser de l'aluminium sur une Shapeoko ?",
            "Possible d'après les forums, à condition de rester modeste : fraise une dent, "
            "passes fines, avance suffisante pour évacuer les copeaux.",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Broutage et fraise empâtée",
            "Avec la fraise bois à deux dents : ça hurle, ça broute, l'aluminium fond et "
            "colle dans les goujures. La fraise a cassé au bout de 40 cm.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "Droite 2 dents Ø 6 mm",
                "Broche": "16 000 tr/min",
                "Avance": "1 000 mm/min",
                "Passe": "1 mm",
                "Lubrification": "aucune",
            },
            outcome=Outcome.FAILED,
            photos=("Fraise empâtée d'aluminium",),
        ),
        DemoEntry(
            Kind.LESSON,
            "Aluminium : une dent, passes fines, lubrifier",
            md(
                """
                - fraise **une dent** polie : les copeaux sortent ;
                - passes de **0,3 mm** au lieu de 1 mm ;
                - quelques gouttes d'**alcool isopropylique** : l'aluminium ne colle plus.
                """
            ),
            same_session=True,
        ),
        DemoEntry(
            Kind.TRIAL,
            "Fraise une dent Ø 3 mm",
            "Copeaux nets, bruit supportable, bords propres. Dix crochets découpés en une heure.",
            machine="shapeoko-4",
            parameters={
                "Fraise": "1 dent Ø 3 mm, spéciale alu",
                "Broche": "20 000 tr/min",
                "Avance": "600 mm/min",
                "Passe": "0,3 mm",
                "Lubrification": "alcool isopropylique",
            },
            outcome=Outcome.WORKED,
        ),
        DemoEntry(
            Kind.FAILURE,
            "Fissure au pli",
            "Les crochets en 6061-T6 se fissurent dès le pliage, même avec un rayon de 4 mm.",
            outcome=Outcome.FAILED,
            photos=("Fissure au pli du crochet",),
        ),
        DemoEntry(
            Kind.LESSON,
            "L'alliage compte : le 5754 se plie, le 6061-T6 casse",
            "Le 6061-T6 est fait pour l'usinage, pas pour le pliage. Le 5754 se plie à froid "
            "sans fissurer.",
        ),
        DemoEntry(
            Kind.FAILURE,
            "Le crochet s'ouvre à 9 kg",
            "En 5754, le pli est propre, mais le crochet s'ouvre sous 9 kg : en 2 mm, "
            "l'alliage pliable est trop mou pour un vélo.",
            outcome=Outcome.FAILED,
        ),
        DemoEntry(
            Kind.CHOICE,
            "J'arrête là",
            "Il faudrait de l'acier ou de l'aluminium de 4 mm, et on n'a ni la plieuse ni "
            "une machine assez rigide. Un crochet du commerce coûte 8 €. Les réglages de "
            "fraisage restent ici : ils serviront à d'autres projets en aluminium.",
        ),
    ),
)

PROJECTS: tuple[DemoProject, ...] = (
    JEWELLERY_BOX,
    ENABLE_HAND,
    WEATHER_STATION,
    LINE_FOLLOWER,
    EMBROIDERED_PATCH,
    CUTTING_BOARD,
    CATHEDRAL_LAMP,
    GARDEN_STICKERS,
    MODULAR_SHELVING,
    BEEHIVE_MONITOR,
    ARCADE_CABINET,
    KITE,
    SEED_LIBRARY,
    BIKE_HOOK,
)
