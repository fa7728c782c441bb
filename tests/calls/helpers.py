"""Shared builders for the calls tests."""

from datetime import timedelta

from django.utils import timezone

from calls.factories import OrganisationFactory, OrganisationMembershipFactory
from projects import services as project_services
from tests.helpers import published
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


def call_fields(**overrides) -> dict:
    fields = {
        "title": "Un luminaire pour notre hall",
        "brief": "Nous cherchons un **luminaire** découpé au laser.",
        "deliverables": "Un prototype, les fichiers SVG.",
        "reward_kind": "money",
        "reward_amount": 1200,
        "reward_currency": "EUR",
        "deadline": in_days(30),
        "tags": ["découpe laser", "design"],
        "ip_terms": "Les fichiers restent sous CC BY-SA.",
        "licence": "CC-BY-SA-4.0",
        "contact": "Claire, claire@example.org",
    }
    fields.update(overrides)
    return fields


class World:
    """An approved organisation (owner + member), a rival organisation, a tribe with its admin
    and member, an outsider and staff; each applicant has a public and a private project."""

    def __init__(self):
        self.organisation = OrganisationFactory(name="Lumière SA")
        self.owner = UserFactory(username="owner", display_name="Claire")
        self.colleague = UserFactory(username="colleague")
        OrganisationMembershipFactory(organisation=self.organisation, user=self.owner, owner=True)
        OrganisationMembershipFactory(organisation=self.organisation, user=self.colleague)
        self.rival_organisation = OrganisationFactory(name="Rival SARL")
        self.rival = UserFactory(username="rival")
        OrganisationMembershipFactory(
            organisation=self.rival_organisation, user=self.rival, owner=True
        )
        self.tribe = TribePageFactory(title="La Machinerie")
        self.other_tribe = TribePageFactory(title="Autre tribu")
        self.tribe_admin = UserFactory(username="tribe-admin")
        self.member = UserFactory(username="maker", display_name="Camille")
        self.outsider = UserFactory(username="outsider")
        self.staff = UserFactory(username="staff", staff=True, is_superuser=True)
        TribeMembershipFactory(tribe=self.tribe, user=self.tribe_admin, admin=True)
        TribeMembershipFactory(tribe=self.tribe, user=self.member)
        self.public_project = published(
            project_services.project_create(
                owner=self.member, title="Lampe origami", summary="Une lampe pliée."
            )
        )
        self.private_project = published(
            project_services.project_create(
                owner=self.member, title="Carnet secret", summary="Privé."
            )
        )
        project_services.project_update(
            project=self.private_project, user=self.member, visibility="private"
        )
        self.tribe_project = published(
            project_services.project_create(
                owner=self.tribe_admin, title="Table du lab", summary="Pour le lab."
            )
        )
        project_services.project_update(
            project=self.tribe_project, user=self.tribe_admin, tribes=[self.tribe]
        )
        self.outsider_project = published(
            project_services.project_create(owner=self.outsider, title="Robot", summary="Un robot.")
        )
