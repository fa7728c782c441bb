"""Factories for organisations, calls and applications. Like the other page factories they
write rows directly, without revisions or workflow: tests about the call services and the
moderation build their data through `calls.services`, as the views do."""

from datetime import timedelta
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from users.factories import UserFactory

from .models import (
    Application,
    ApplicationStatus,
    CallForProjectsPage,
    CallIndexPage,
    CallStatus,
    Organisation,
    OrganisationMembership,
    OrganisationRole,
    OrganisationStatus,
    RewardKind,
)


class OrganisationFactory(DjangoModelFactory):
    """An approved organisation; `OrganisationFactory(pending=True)` for one awaiting approval."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.LazyAttribute(lambda organisation: slugify(organisation.name))
    description = "Une entreprise qui aime les makers."
    website = "https://example.org"
    status = OrganisationStatus.APPROVED

    class Params:
        pending = factory.Trait(status=OrganisationStatus.PENDING)


class OrganisationMembershipFactory(DjangoModelFactory):
    """A plain member; `OrganisationMembershipFactory(owner=True)` for an owner."""

    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationRole.MEMBER

    class Params:
        owner = factory.Trait(role=OrganisationRole.OWNER)


class CallForProjectsPageFactory(wagtail_factories.PageFactory):
    """A published, open call under the call index, closing in 30 days, open to everyone."""

    class Meta:
        model = CallForProjectsPage

    parent = factory.LazyFunction(CallIndexPage.objects.get)
    title = factory.Sequence(lambda n: f"Appel {n}")
    slug = factory.LazyAttribute(lambda call: slugify(call.title))
    organisation = factory.SubFactory(OrganisationFactory)
    brief = "Nous cherchons un **prototype**."
    deliverables = "Un prototype et ses fichiers."
    reward_kind = RewardKind.MONEY
    reward_amount = Decimal("1500.00")
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    status = CallStatus.OPEN
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda call: call.first_published_at)

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT, live=False, first_published_at=None)
        expired = factory.Trait(
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )


class ApplicationFactory(DjangoModelFactory):
    """A submitted application by a member."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallForProjectsPageFactory)
    applicant_user = factory.SubFactory(UserFactory)
    submitted_by = factory.LazyAttribute(lambda application: application.applicant_user)
    pitch = "Voici ce que je propose."
    status = ApplicationStatus.SUBMITTED

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(list(extracted))
