"""Demo machines and materials of La Machinerie, Amiens, for `manage.py load_demo_data`.

Machines are looked up by slug and materials by name, so loading twice creates nothing twice.
The machines app has no services module yet: rows are validated with `full_clean()` and saved
here, as a service would."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from core.demo_images import demo_photo
from images.services import image_create_from_upload

from .models import Machine, Material


@dataclass(frozen=True)
class DemoMachine:
    slug: str
    name: str
    kind: str
    location: str
    photo_theme: str


MACHINES: tuple[DemoMachine, ...] = (
    DemoMachine(
        "trotec-speedy-300",
        "Trotec Speedy 300",
        Machine.Kind.LASER_CUTTER,
        "Atelier laser",
        "laser",
    ),
    DemoMachine(
        "prusa-mk4", "Prusa MK4", Machine.Kind.PRINTER_3D, "Espace impression 3D", "print3d"
    ),
    DemoMachine(
        "creality-ender-3",
        "Creality Ender 3",
        Machine.Kind.PRINTER_3D,
        "Espace impression 3D",
        "print3d",
    ),
    DemoMachine("shapeoko-4", "Shapeoko 4", Machine.Kind.CNC_MILL, "Atelier bois", "cnc"),
    DemoMachine(
        "silhouette-cameo-4",
        "Silhouette Cameo 4",
        Machine.Kind.VINYL_CUTTER,
        "Atelier textile et vinyle",
        "vinyl",
    ),
    DemoMachine(
        "brother-pr680w",
        "Brodeuse Brother PR680W",
        Machine.Kind.EMBROIDERY,
        "Atelier textile et vinyle",
        "textile",
    ),
    DemoMachine(
        "station-soudure",
        "Station de soudure Weller WE1010",
        Machine.Kind.OTHER,
        "Coin électronique",
        "electronics",
    ),
)

# (name, description): the names are the natural keys projects refer to.
MATERIALS: tuple[tuple[str, str], ...] = (
    (
        "Contreplaqué peuplier 3 mm",
        "Plaques de 600 × 400 mm, stock du lab. Laser : autour de 60 % / 20 mm/s, "
        "à vérifier à chaque lot.",
    ),
    (
        "Contreplaqué bouleau 18 mm",
        "Panneaux de 1220 × 610 mm pour la CNC. Épaisseur réelle souvent 18,4 à 18,8 mm : mesurez.",
    ),
    ("MDF 6 mm", "Plaques de 600 × 400 mm. Fumées irritantes : aspiration obligatoire."),
    ("PMMA 3 mm", "Acrylique coulé, transparent et couleurs. L'extrudé fond à la gravure."),
    ("PLA", "Filament 1,75 mm, plusieurs couleurs. Facile, mais se déforme dès 55 °C."),
    ("PETG", "Filament 1,75 mm. Plus résistant à la chaleur et aux chocs que le PLA."),
    ("TPU 95A", "Filament souple 1,75 mm. Imprimer lentement (20 à 25 mm/s)."),
    (
        "Aluminium 2 mm",
        "Tôle 5754 (pliable) et 6061 (usinage). Fraise une dent, passes fines, lubrifier.",
    ),
    ("Vinyle adhésif", "Oracal 651, mat et brillant, rouleaux de 30 cm. Usage extérieur."),
    ("Tissu coton", "Sergé de coton 260 g/m² pour écussons et sacs, toile à patron."),
    ("Toile ripstop nylon", "40 g/m², pour cerfs-volants et sacs légers. Se découpe au laser."),
    ("Chêne massif", "Chutes et plateaux de récupération, à raboter avant usinage."),
    ("Fil à broder polyester", "Madeira Polyneon 40, une trentaine de couleurs."),
)


def load_machines() -> Iterator[tuple[str, bool]]:
    """Create the demo machines; yield (slug, created) for each, skipping existing ones."""
    existing = set(
        Machine.objects.filter(slug__in=[m.slug for m in MACHINES]).values_list("slug", flat=True)
    )
    for machine in MACHINES:
        if machine.slug in existing:
            yield machine.slug, False
            continue
        _create_machine(machine)
        yield machine.slug, True


@transaction.atomic
def _create_machine(demo: DemoMachine) -> Machine:
    photo = image_create_from_upload(
        file=demo_photo(theme=demo.photo_theme, caption=demo.name, seed=demo.slug),
        title=demo.name,
        uploaded_by=None,
    )
    machine = Machine(
        name=demo.name, slug=demo.slug, kind=demo.kind, location=demo.location, photo=photo
    )
    machine.full_clean()
    machine.save()
    return machine


def load_materials() -> Iterator[tuple[str, bool]]:
    """Create the demo materials; yield (name, created) for each, skipping existing ones."""
    existing = set(
        Material.objects.filter(name__in=[name for name, _ in MATERIALS]).values_list(
            "name", flat=True
        )
    )
    for name, description in MATERIALS:
        if name in existing:
            yield name, False
            continue
        material = Material(name=name, description=description)
        material.full_clean()
        material.save()
        yield name, True
