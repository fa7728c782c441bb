"""The demo members. Looked up by username, so loading twice creates nobody twice (and leaves the
password of an existing account alone)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from users.models import User
from users.services import user_create, user_profile_update

from ..photos import demo_avatar
from ..reader import DemoContent, DemoMember
from .missing import create_missing

# Public demo passwords, printed at the end of the load: never use them on a real site.
MEMBER_PASSWORD = "carnet-demo"  # noqa: S105
ADMIN_PASSWORD = "carnet-admin"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    profile: str  # who this is


def demo_logins(content: DemoContent) -> list[DemoLogin]:
    """The demo accounts, members then the organisations' owners, as the logins table shows them."""
    members = [
        DemoLogin(
            member.username,
            ADMIN_PASSWORD if member.staff else MEMBER_PASSWORD,
            "administrateur (staff)" if member.staff else "membre",
            member.profile,
        )
        for member in content.members
    ]
    owners = [
        DemoLogin(o.owner.username, MEMBER_PASSWORD, "entreprise", o.owner.profile)
        for o in content.organisations
    ]
    return [*members, *owners]


def load_members(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo members; yield (username, created) for each, skipping existing ones."""
    return create_missing(
        content.members,
        model=User,
        field="username",
        key=lambda member: member.username,
        create=_create_member,
    )


@transaction.atomic
def _create_member(member: DemoMember) -> User:
    user = user_create(
        username=member.username,
        email=f"{member.username}@example.org",
        password=ADMIN_PASSWORD if member.staff else MEMBER_PASSWORD,
        display_name=member.display_name,
    )
    user = user_profile_update(
        user=user,
        first_name=member.first_name,
        last_name=member.last_name,
        bio=member.bio,
        badge_uid=member.badge_uid,
        avatar=demo_avatar(name=member.avatar_name or f"{member.first_name} {member.last_name}"),
        is_staff=member.staff,
        is_superuser=member.staff,
        skills=member.skills,
        open_to_contact=member.open_to_contact,
    )
    User.objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=member.joined_days_ago)
    )
    return user
