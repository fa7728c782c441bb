"""Factories for tribes. Like the project factories they write rows directly, without
revisions; tests about the tribe services build their data through `tribes.services`.

`TribeInvitationFactory(token="abc")` stores the hash of "abc", so a test can use the token."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from core.tokens import secret_digest
from users.factories import UserFactory

from .models import (
    JoinPolicy,
    MembershipRole,
    MembershipState,
    TribeIndexPage,
    TribeInvitation,
    TribeMembership,
    TribePage,
    TribeVisibility,
)


class TribePageFactory(wagtail_factories.PageFactory):
    """A live public tribe, on request, under the tribe index created by the data migration."""

    class Meta:
        model = TribePage

    parent = factory.LazyFunction(TribeIndexPage.objects.get)
    title = factory.Sequence(lambda n: f"Tribu {n}")
    slug = factory.LazyAttribute(lambda tribe: slugify(tribe.title))
    description = "Des makers qui font des choses ensemble."
    place = "Amiens"
    visibility = TribeVisibility.PUBLIC
    join_policy = JoinPolicy.REQUEST
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda tribe: tribe.first_published_at)

    class Params:
        private = factory.Trait(visibility=TribeVisibility.PRIVATE)


class TribeMembershipFactory(DjangoModelFactory):
    """An active plain member; `TribeMembershipFactory(admin=True)` for an admin."""

    class Meta:
        model = TribeMembership

    tribe = factory.SubFactory(TribePageFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
    state = MembershipState.ACTIVE

    class Params:
        admin = factory.Trait(role=MembershipRole.ADMIN)
        requested = factory.Trait(state=MembershipState.REQUESTED)
        invited = factory.Trait(state=MembershipState.INVITED)


class TribeInvitationFactory(DjangoModelFactory):
    """A pending e-mail invitation, valid 14 days; `email=""` for a shareable link."""

    class Meta:
        model = TribeInvitation
        exclude = ["token"]

    tribe = factory.SubFactory(TribePageFactory)
    email = factory.Sequence(lambda n: f"guest{n}@example.org")
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda invitation: secret_digest(invitation.token))
    created_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )
        link = factory.Trait(email="")
