"""Demo calls for projects for `manage.py load_demo_data`: two organisations of Amiens, three calls
in different states (open, submitted for review, awarded) and applications with every kind of
answer.

Everything goes through the call services, as people would do it: a company member asks for
the organisation and the fab manager (staff) approves it; the company writes and submits its
calls and the fab manager approves them through the moderation workflow; members and a tribe
apply; the company shortlists, accepts, declines and awards. No e-mail is sent (the on-site
notifications are kept). Everything is looked up before being created, so loading twice creates
nothing twice. Run after the members, projects and tribes.
"""

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.demo_images import demo_avatar
from tribes.models import TribePage
from users.demo import MEMBER_PASSWORD
from users.models import User
from users.services import user_create

from . import services
from .models import Application, ApplicationStatus, CallForProjectsPage, CallStatus, Organisation
from .selectors import attachable_projects

# The staff member who approves organisations and calls (users/demo.py).
MODERATOR = "admin"


def md(text: str) -> str:
    return textwrap.dedent(text).strip()


@dataclass(frozen=True)
class DemoCompanyMember:
    username: str
    display_name: str
    profile: str  # who this is, in the demo logins table

    @property
    def password(self) -> str:
        return MEMBER_PASSWORD

    @property
    def role(self) -> str:
        return "entreprise"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    description: str
    website: str
    owner: DemoCompanyMember


@dataclass(frozen=True)
class DemoApplication:
    applicant: str  # a username, or "tribe:<tribe title>" (its first admin applies)
    pitch: str
    status: str = ApplicationStatus.SUBMITTED
    message: str = ""


@dataclass(frozen=True)
class DemoCall:
    organisation: str
    title: str
    brief: str
    deliverables: str
    deadline_days: int
    final_state: str  # submitted, open or awarded
    reward_amount: Decimal | None = None
    reward_in_kind: str = ""
    tags: tuple[str, ...] = ()
    eligible_tribes: tuple[str, ...] = ()
    ip_terms: str = ""
    licence: str = ""
    contact: str = ""
    applications: tuple[DemoApplication, ...] = field(default=())


LUMINA = DemoOrganisation(
    name="Lumina Éclairage",
    description=md(
        """
        Fabricant picard de luminaires, installé à Amiens depuis 1987. Nous cherchons des
        makers pour imaginer nos prochaines petites séries.
        """
    ),
    website="https://lumina.example.org",
    owner=DemoCompanyMember("claire.vasseur", "Claire (Lumina)", "responsable design, Lumina"),
)
PICARDIE_BOIS = DemoOrganisation(
    name="Picardie Bois",
    description=md(
        """
        Scierie et menuiserie coopérative de la Somme : bois locaux, chutes revalorisées,
        ateliers ouverts aux écoles.
        """
    ),
    website="https://picardie-bois.example.org",
    owner=DemoCompanyMember("paul.girard", "Paul (Picardie Bois)", "gérant, Picardie Bois"),
)
ORGANISATIONS = (LUMINA, PICARDIE_BOIS)

CALLS = (
    DemoCall(
        organisation=LUMINA.name,
        title="Une applique murale découpée au laser",
        brief=md(
            """
            Nous voulons une **applique murale** en contreplaqué de peuplier ou en carton
            recyclé, découpée au laser, livrée à plat et montée sans colle.

            - une ampoule E27 LED, 8 W au plus ;
            - montage en moins de dix minutes, sans outil ;
            - une lumière douce, sans éblouir.
            """
        ),
        deliverables=md(
            """
            Un prototype monté, les fichiers de découpe (SVG), une notice de montage et une
            estimation du coût matière pour 100 pièces.
            """
        ),
        deadline_days=45,
        final_state=CallStatus.OPEN,
        reward_amount=Decimal("1500"),
        tags=("découpe laser", "design", "luminaire"),
        ip_terms="Les fichiers restent sous **CC BY-SA 4.0** ; Lumina obtient une licence de "
        "fabrication pour sa série.",
        licence="CC-BY-SA-4.0",
        contact="Claire Vasseur, via Carnet",
        applications=(
            DemoApplication(
                "camille.lefebvre",
                "J'ai déjà dessiné des luminaires à plat : je propose une applique en trois "
                "pièces emboîtées, testée sur la laser du lab.",
            ),
            DemoApplication(
                "julien.moreau",
                "Une applique avec variateur tactile (ESP32) intégré dans le pied.",
                status=ApplicationStatus.SHORTLISTED,
                message="Idée intéressante : pouvez-vous chiffrer l'électronique ?",
            ),
            DemoApplication(
                "tribe:La Machinerie",
                "Le lab propose un atelier de conception collectif sur deux samedis.",
                status=ApplicationStatus.DECLINED,
                message="Merci ! Nous cherchons cette fois une proposition individuelle.",
            ),
        ),
    ),
    DemoCall(
        organisation=PICARDIE_BOIS.name,
        title="Mobilier pour la médiathèque de quartier",
        brief=md(
            """
            La médiathèque du quartier Nord veut des **bacs à albums** et des assises pour
            enfants, fraisés à la CNC dans nos chutes de chêne et de hêtre.
            """
        ),
        deliverables="Plans, fichiers de fraisage, un prototype de bac.",
        deadline_days=60,
        final_state=CallStatus.SUBMITTED,
        reward_in_kind="Vingt heures de CNC et le bois fournis, et 800 € de défraiement.",
        reward_amount=None,
        tags=("CNC", "bois", "mobilier"),
        eligible_tribes=("La Machinerie",),
        ip_terms="Plans publiés sous CERN OHL-S 2.0.",
        licence="CERN-OHL-S-2.0",
        contact="Paul Girard, atelier de Camon",
    ),
    DemoCall(
        organisation=PICARDIE_BOIS.name,
        title="Une ruche pédagogique connectée",
        brief=md(
            """
            Pour nos ateliers avec les écoles : une **ruche d'observation** en bois local, avec
            une balance et une sonde de température lisibles sur une tablette.
            """
        ),
        deliverables="Une ruche prototype, le code, une fiche d'atelier pour les enseignants.",
        deadline_days=20,
        final_state=CallStatus.AWARDED,
        reward_amount=Decimal("2000"),
        tags=("apiculture", "électronique", "bois"),
        ip_terms="Code sous GPL 3.0, plans sous CC BY-SA 4.0.",
        licence="GPL-3.0-or-later",
        contact="Paul Girard",
        applications=(
            DemoApplication(
                "bernard.caron",
                "Apiculteur et menuisier : je construis la ruche, Julien m'aide pour la balance.",
                status=ApplicationStatus.ACCEPTED,
                message="Bravo Bernard ! Rendez-vous à l'atelier de Camon.",
            ),
            DemoApplication(
                "thomas.petit",
                "Une ruche en contreplaqué avec capteurs LoRa.",
                status=ApplicationStatus.DECLINED,
                message="Merci Thomas, nous retenons une ruche en bois massif.",
            ),
        ),
    ),
)

# What load_calls() yields, for the progress bar.
SIZE = len(ORGANISATIONS) + len(CALLS) + sum(len(c.applications) for c in CALLS)


def demo_logins() -> list[DemoCompanyMember]:
    """The company accounts the demo creates, for the logins table."""
    return [organisation.owner for organisation in ORGANISATIONS]


def load_calls() -> Iterator[tuple[str, bool]]:
    """Create the demo organisations, calls and applications; yield (label, created) for each."""
    # On-site notifications only: the demo sends no e-mail, to members or to moderators.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for demo in ORGANISATIONS:
            yield demo.name, _organisation(demo)
        for demo in CALLS:
            call, created = _call(demo)
            yield demo.title, created
            for application in demo.applications:
                label = f"{demo.title[:20]}… : {application.applicant}"
                yield label, _application(call, demo, application)
            if demo.final_state == CallStatus.AWARDED and call.status != CallStatus.AWARDED:
                services.call_award(user=_owner(demo.organisation), call=call)


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise LookupError(f"Demo calls need the member {username}: load the members first.")
    return user


@transaction.atomic
def _organisation(demo: DemoOrganisation) -> bool:
    if Organisation.objects.filter(name=demo.name).exists():
        return False
    owner = User.objects.filter(username=demo.owner.username).first() or user_create(
        username=demo.owner.username,
        email=f"{demo.owner.username}@example.org",
        password=MEMBER_PASSWORD,
        display_name=demo.owner.display_name,
    )
    organisation = services.organisation_request(
        user=owner,
        name=demo.name,
        description=demo.description,
        website=demo.website,
        logo=demo_avatar(name=demo.name),
    )
    services.organisation_approve(user=_user(MODERATOR), organisation=organisation)
    return True


def _owner(organisation_name: str) -> User:
    organisation = Organisation.objects.get(name=organisation_name)
    return organisation.memberships.select_related("user").get(role="owner").user


@transaction.atomic
def _call(demo: DemoCall) -> tuple[CallForProjectsPage, bool]:
    existing = CallForProjectsPage.objects.filter(title=demo.title).first()
    if existing is not None:
        return existing, False
    organisation = Organisation.objects.get(name=demo.organisation)
    owner = _owner(demo.organisation)
    call = services.call_create(
        user=owner,
        organisation=organisation,
        submit=True,
        title=demo.title,
        brief=demo.brief,
        deliverables=demo.deliverables,
        reward_kind="money" if demo.reward_amount is not None else "in_kind",
        reward_amount=demo.reward_amount,
        reward_in_kind=demo.reward_in_kind,
        deadline=timezone.now() + timedelta(days=demo.deadline_days),
        tags=demo.tags,
        eligible_tribes=list(TribePage.objects.filter(title__in=demo.eligible_tribes)),
        ip_terms=demo.ip_terms,
        licence=demo.licence,
        contact=demo.contact,
    )
    if demo.final_state != CallStatus.SUBMITTED:
        task_state = services.call_workflow_state(call).current_task_state
        task_state.approve(user=_user(MODERATOR))
    return CallForProjectsPage.objects.get(pk=call.pk), True


@transaction.atomic
def _application(call: CallForProjectsPage, demo: DemoCall, wanted: DemoApplication) -> bool:
    tribe = None
    if wanted.applicant.startswith("tribe:"):
        tribe = TribePage.objects.get(title=wanted.applicant.removeprefix("tribe:"))
        user = tribe.memberships.filter(role="admin", state="active").first().user
        existing = Application.objects.filter(call=call, applicant_tribe=tribe)
    else:
        user = _user(wanted.applicant)
        existing = Application.objects.filter(call=call, applicant_user=user)
    if existing.exists():
        return False
    projects = list(attachable_projects(call=call, user=user, tribe=tribe).order_by("pk")[:2])
    application = services.application_submit(
        user=user, call=call, pitch=wanted.pitch, projects=projects, tribe=tribe
    )
    owner = _owner(demo.organisation)
    if wanted.status == ApplicationStatus.SHORTLISTED:
        services.application_shortlist(user=owner, application=application, message=wanted.message)
    elif wanted.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        services.application_shortlist(user=owner, application=application)
        services.application_decide(
            user=owner, application=application, status=wanted.status, message=wanted.message
        )
    return True
