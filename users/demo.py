"""Demo members of La Machinerie, Amiens: a fab lab, a coworking space and a shared workshop.

Used by `manage.py load_demo_data`. Members are looked up by username, so loading twice
creates nobody twice (and leaves the password of an existing account alone)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.demo_images import demo_avatar

from .models import User
from .services import user_create, user_profile_update

# Public demo passwords, printed at the end of the load: never use them on a real site.
MEMBER_PASSWORD = "carnet-demo"  # noqa: S105
ADMIN_PASSWORD = "carnet-admin"  # noqa: S105


@dataclass(frozen=True)
class DemoMember:
    username: str
    first_name: str
    last_name: str
    display_name: str
    profile: str  # who this is, in the demo logins table
    bio: str
    skills: tuple[str, ...]
    badge_uid: str
    joined_days_ago: int
    is_admin: bool = False
    avatar_name: str = ""  # whose initials the avatar shows, when not the first and last name
    # In the directory of /members/ and reachable with the Contact button. Never the accounts
    # that speak for children (Sophie and Léo, the school club).
    open_to_contact: bool = False

    @property
    def password(self) -> str:
        return ADMIN_PASSWORD if self.is_admin else MEMBER_PASSWORD

    @property
    def role(self) -> str:
        return "administrateur (staff)" if self.is_admin else "membre"


MEMBERS: tuple[DemoMember, ...] = (
    DemoMember(
        username="admin",
        first_name="Karim",
        last_name="Haddad",
        display_name="Karim (fab manager)",
        profile="fab manager de La Machinerie",
        bio=(
            "Fab manager à **La Machinerie** depuis l'ouverture. J'accueille les nouveaux "
            "membres, je forme aux machines et je répare ce que vous cassez (sans rancune).\n\n"
            "- Formations laser et CNC : le mardi soir\n"
            "- Permanence : du mercredi au samedi\n\n"
            "Une question sur une machine ? Demandez-moi avant de lancer le job, pas après."
        ),
        skills=("découpe laser", "CNC", "impression 3D", "formation", "maintenance"),
        badge_uid="04:5A:9C:12:B3:6E:80",
        joined_days_ago=400,
        is_admin=True,
    ),
    DemoMember(
        username="camille.lefebvre",
        first_name="Camille",
        last_name="Lefebvre",
        display_name="Camille L.",
        profile="designeuse, coworkeuse",
        bio=(
            "Designeuse produit indépendante, je loue un bureau au coworking et je descends à "
            "l'atelier dès que possible.\n\n"
            "J'aime les objets simples qu'on peut refaire soi-même : boîtes, luminaires, "
            "petits meubles. Tous mes fichiers sont en **CC BY-SA**, servez-vous."
        ),
        skills=("design produit", "découpe laser", "Inkscape", "Fusion 360", "luminaires"),
        badge_uid="04:1F:7A:22:C1:5D:80",
        joined_days_ago=320,
        open_to_contact=True,
    ),
    DemoMember(
        username="julien.moreau",
        first_name="Julien",
        last_name="Moreau",
        display_name="Julien M.",
        profile="développeur embarqué",
        bio=(
            "Développeur embarqué le jour, bidouilleur le soir. ESP32, capteurs, LoRa, "
            "Home Assistant : si ça clignote, ça m'intéresse.\n\n"
            "Je donne un coup de main au club robotique de l'école Jules-Verne le mercredi."
        ),
        skills=("électronique", "ESP32", "Arduino", "MQTT", "LoRa", "soudure"),
        badge_uid="04:88:3B:4E:A2:19:80",
        joined_days_ago=300,
        open_to_contact=True,
    ),
    DemoMember(
        username="nadia.benali",
        first_name="Nadia",
        last_name="Benali",
        display_name="Nadia B.",
        profile="couturière, costumière",
        bio=(
            "Costumière pour le théâtre et les compagnies de rue de la région. À La Machinerie "
            "pour la brodeuse numérique et la découpe laser du tissu.\n\n"
            "J'anime l'atelier couture du premier samedi du mois : venez avec vos "
            "vêtements à réparer."
        ),
        skills=("couture", "broderie numérique", "Ink/Stitch", "patronage", "textile"),
        badge_uid="04:C2:61:0D:7F:33:80",
        joined_days_ago=260,
        open_to_contact=True,
    ),
    DemoMember(
        username="bernard.caron",
        first_name="Bernard",
        last_name="Caron",
        display_name="Bernard C.",
        profile="menuisier retraité, apiculteur",
        bio=(
            "Menuisier pendant quarante ans, retraité depuis trois. J'ai découvert la CNC ici "
            "et je n'en reviens toujours pas.\n\n"
            "J'ai deux ruches dans une parcelle des hortillonnages. Je partage volontiers mes "
            "astuces de menuiserie : l'essentiel, c'est le fil du bois."
        ),
        skills=("menuiserie", "CNC", "bois massif", "apiculture", "finitions"),
        badge_uid="04:3E:D5:91:08:AC:80",
        joined_days_ago=280,
        open_to_contact=True,
    ),
    DemoMember(
        username="thomas.petit",
        first_name="Thomas",
        last_name="Petit",
        display_name="Thomas P.",
        profile="étudiant ingénieur, bénévole e-Nable",
        bio=(
            "Étudiant en génie mécanique à l'UPJV. Bénévole **e-Nable France** : j'imprime des "
            "mains mécaniques pour des enfants.\n\n"
            "Je passe beaucoup de temps près des imprimantes 3D ; si une impression part en "
            "spaghetti, appelez-moi."
        ),
        skills=("impression 3D", "e-Nable", "CAO", "FreeCAD", "rétrogaming"),
        badge_uid="04:77:0A:B9:2C:E4:80",
        joined_days_ago=240,
        open_to_contact=True,
    ),
    DemoMember(
        username="amandine.roux",
        first_name="Amandine",
        last_name="Roux",
        display_name="Amandine R.",
        profile="graphiste, coworkeuse",
        bio=(
            "Graphiste indépendante au coworking. Identités visuelles pour des associations "
            "et des commerces du quartier Saint-Leu.\n\n"
            "Je découvre la fabrication : vinyle, sérigraphie, et bientôt la gravure laser."
        ),
        skills=("graphisme", "découpe vinyle", "illustration", "Inkscape", "sérigraphie"),
        badge_uid="04:D9:44:6F:15:B0:80",
        joined_days_ago=150,
    ),
    DemoMember(
        username="sophie.dubois",
        first_name="Sophie",
        last_name="Dubois",
        display_name="Sophie et Léo",
        profile="infirmière, compte partagé avec son fils Léo (8 ans)",
        bio=(
            "Compte partagé entre Sophie (infirmière) et son fils **Léo, 8 ans**, qui vient à "
            "l'atelier le mercredi après-midi.\n\n"
            "Léo aime les cerfs-volants, les robots et tout ce qui fait du bruit. Sophie "
            "s'occupe de la partie laser (les enfants ne l'utilisent pas seuls)."
        ),
        skills=("couture", "découpe laser", "activités enfants", "cerfs-volants"),
        badge_uid="04:5B:E0:37:94:2D:80",
        joined_days_ago=130,
    ),
    DemoMember(
        username="club.jules-verne",
        first_name="Isabelle",
        last_name="Martin",
        display_name="Club robotique Jules-Verne",
        profile="club de l'école Jules-Verne (CM1-CM2), tenu par l'enseignante",
        bio=(
            "Le club robotique de l'**école élémentaire Jules-Verne** : 24 élèves de CM1 et "
            "CM2, le mercredi matin à La Machinerie.\n\n"
            "Compte tenu par Isabelle Martin, enseignante. Les élèves ne publient pas "
            "eux-mêmes : nous écrivons le journal ensemble en fin de séance."
        ),
        skills=("robotique", "éducation", "Arduino", "Scratch"),
        badge_uid="04:A6:12:C8:5E:71:80",
        joined_days_ago=200,
        avatar_name="Jules Verne",
    ),
    DemoMember(
        username="hugo.lemaire",
        first_name="Hugo",
        last_name="Lemaire",
        display_name="Hugo L.",
        profile="mécanicien vélo",
        bio=(
            "Mécanicien à l'atelier vélo associatif du quartier. Je viens au lab pour "
            "fabriquer les pièces qu'on ne trouve plus.\n\n"
            "Mes projets ne marchent pas toujours : je documente aussi ceux-là."
        ),
        skills=("mécanique", "vélo", "usinage", "aluminium", "soudure"),
        badge_uid="04:2C:B7:58:E3:0F:80",
        joined_days_ago=210,
        open_to_contact=True,
    ),
)


def demo_logins() -> list[DemoMember]:
    """The demo accounts, in the order the logins table shows them."""
    return list(MEMBERS)


def load_members() -> Iterator[tuple[str, bool]]:
    """Create the demo members; yield (username, created) for each, skipping existing ones."""
    existing = set(
        User.objects.filter(username__in=[m.username for m in MEMBERS]).values_list(
            "username", flat=True
        )
    )
    for member in MEMBERS:
        if member.username in existing:
            yield member.username, False
            continue
        _create_member(member)
        yield member.username, True


@transaction.atomic
def _create_member(member: DemoMember) -> User:
    user = user_create(
        username=member.username,
        email=f"{member.username}@example.org",
        password=member.password,
        display_name=member.display_name,
    )
    user = user_profile_update(
        user=user,
        first_name=member.first_name,
        last_name=member.last_name,
        bio=member.bio,
        badge_uid=member.badge_uid,
        avatar=demo_avatar(name=member.avatar_name or f"{member.first_name} {member.last_name}"),
        is_staff=member.is_admin,
        is_superuser=member.is_admin,
        skills=member.skills,
        open_to_contact=member.open_to_contact,
    )
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=member.joined_days_ago)
    )
    return user
