"""Reads about members: the directory of members open to contact, and the contact rules that
the profile, the contact page and members.services share. Each read fetches what it needs in a
fixed number of queries; which projects show is decided by visibility.policy."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from projects.models import ProjectPage
from projects.selectors import project_cards
from projects.visibility import projects_public
from tribes.models import MembershipState, TribeMembership
from tribes.visibility import tribes_public
from users.models import ContactMessage, User, UserSkill
from users.roles import is_active_member, is_staff

from .visibility import profiles_public

DIRECTORY_CARDS_PER_MEMBER = 3
DIRECTORY_SKILL_CHOICES = 30
DIRECTORY_QUERY_MAX_LENGTH = 100
# A member who wrote to you may be answered for this long, even if they are not open to contact.
REPLY_WINDOW = timedelta(days=90)
RATE_WINDOW = timedelta(hours=24)


# Directory ----------------------------------------------------------------------------------


def _public_projects():
    return projects_public().live()


def _public_project_count() -> Coalesce:
    """How many public projects a member owns or collaborates on, as a subquery on User."""
    collaborations = ProjectPage.collaborators.through.objects.filter(
        user_id=OuterRef(OuterRef("pk"))
    ).values("projectpage_id")
    mine = (
        _public_projects()
        .filter(Q(owner_id=OuterRef("pk")) | Q(pk__in=collaborations))
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT"))
        .values("total")
    )
    return Coalesce(Subquery(mine[:1], output_field=IntegerField()), 0)


def member_directory_members() -> QuerySet[User]:
    """Active members who opted in to calls and contact: the only ones the directory lists."""
    return profiles_public().filter(open_to_contact=True)


def member_directory(*, skill: str = "", tribe: str = "", query: str = "") -> QuerySet[User]:
    """The directory at /members/: members open to contact, those with the most public projects
    first, filtered by a skill (slug), a public tribe (slug) and a text on name and skills.

    Each member carries `public_project_count`; pass a page of them to
    `member_directory_attach_cards` for their project cards and skills."""
    members = member_directory_members()
    if skill:
        members = members.filter(
            pk__in=UserSkill.objects.filter(tag__slug=skill).values("content_object_id")
        )
    if tribe:
        members = members.filter(
            pk__in=TribeMembership.objects.filter(
                state=MembershipState.ACTIVE,
                tribe__in=tribes_public().live().filter(slug=tribe).values("pk"),
            ).values("user_id")
        )
    query = " ".join(query.split())[:DIRECTORY_QUERY_MAX_LENGTH]
    if query:
        members = members.filter(
            Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(username__icontains=query)
            | Q(
                pk__in=UserSkill.objects.filter(tag__name__icontains=query).values(
                    "content_object_id"
                )
            )
        )
    return members.annotate(public_project_count=_public_project_count()).order_by(
        "-public_project_count", "display_name", "username", "pk"
    )


def member_directory_attach_cards(members: list[User]) -> list[User]:
    """Give each member of a directory page `directory_skills` and `directory_projects` (their
    newest public projects, ready for project cards), in four queries plus the cards' own,
    whatever the number of members or projects."""
    by_id = {member.pk: member for member in members}
    for member in members:
        member.directory_skills = []
        member.directory_projects = []
    if not by_id:
        return members
    for tagged in (
        UserSkill.objects.filter(content_object_id__in=by_id)
        .select_related("tag")
        .order_by("tag__name")
    ):
        by_id[tagged.content_object_id].directory_skills.append(tagged.tag)

    # (project, member, published) pairs, newest first: the projects each member owns or shares.
    public = _public_projects()
    owned = public.filter(owner_id__in=by_id).values_list("pk", "owner_id", "last_published_at")
    shared = ProjectPage.collaborators.through.objects.filter(
        user_id__in=by_id, projectpage__in=public.values("pk")
    ).values_list("projectpage_id", "user_id", "projectpage__last_published_at")
    chosen: dict[int, list[int]] = {pk: [] for pk in by_id}
    oldest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    pairs = {*owned, *shared}
    for project_id, member_id, _published in sorted(
        pairs, key=lambda row: (row[2] or oldest, row[0]), reverse=True
    ):
        picks = chosen[member_id]
        if len(picks) < DIRECTORY_CARDS_PER_MEMBER and project_id not in picks:
            picks.append(project_id)
    wanted = {pk for picks in chosen.values() for pk in picks}
    if wanted:
        cards = {project.pk: project for project in project_cards(public.filter(pk__in=wanted))}
        for member_id, picks in chosen.items():
            by_id[member_id].directory_projects = [cards[pk] for pk in picks if pk in cards]
    return members


def member_directory_filter_choices(*, skill: str = "") -> dict:
    """What the directory's filters offer: the skills most used by members open to contact
    (and the selected one, always), and the published public tribes."""
    listed = member_directory_members().values("pk")
    skills = list(
        Tag.objects.filter(users_userskill_items__content_object__in=listed)
        .annotate(uses=Count("users_userskill_items"))
        .order_by("-uses", "name")[:DIRECTORY_SKILL_CHOICES]
    )
    if skill and skill not in {tag.slug for tag in skills}:
        skills += list(Tag.objects.filter(slug=skill))
    skills.sort(key=lambda tag: tag.name.lower())
    tribes = list(tribes_public().live().order_by("title").only("pk", "title", "slug"))
    return {"skills": skills, "tribes": tribes}


# Contact ------------------------------------------------------------------------------------


def contact_is_reply(*, sender, recipient) -> bool:
    """Whether `recipient` wrote to `sender` lately, so `sender` may answer them."""
    return ContactMessage.objects.filter(
        sender=recipient, recipient=sender, created_at__gte=timezone.now() - REPLY_WINDOW
    ).exists()


def contact_allowed(*, sender, recipient) -> bool:
    """Whether `sender` may write to `recipient` at all (the rate limit aside): both active,
    two different people, and the recipient open to contact or answered back."""
    if not is_active_member(sender):
        return False
    if not recipient.is_active or recipient.hidden or recipient.pk == sender.pk:
        return False
    return recipient.open_to_contact or contact_is_reply(sender=sender, recipient=recipient)


@dataclass(frozen=True)
class ContactWait:
    """Why `sender` must wait, and until when."""

    reason: str  # "per_day" or "per_recipient"
    limit: int
    until: datetime


def _wait(messages: QuerySet[ContactMessage], limit: int, now: datetime) -> datetime | None:
    """When the oldest message that keeps the count at `limit` leaves the window, if it is."""
    times = list(
        messages.filter(created_at__gt=now - RATE_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    return times[-1] + RATE_WINDOW


def contact_wait(*, sender, recipient) -> ContactWait | None:
    """None when `sender` may send a message to `recipient` now; else the longest of the limits
    they are over (CARNET_CONTACT_PER_DAY, CARNET_CONTACT_PER_RECIPIENT_PER_DAY). Counted
    from the stored messages, so it holds across processes. Staff are not limited."""
    if is_staff(sender):
        return None
    now = timezone.now()
    sent = ContactMessage.objects.filter(sender=sender)
    waits = []
    for reason, limit, messages in (
        ("per_day", settings.CARNET_CONTACT_PER_DAY, sent),
        (
            "per_recipient",
            settings.CARNET_CONTACT_PER_RECIPIENT_PER_DAY,
            sent.filter(recipient=recipient),
        ),
    ):
        limit = max(int(limit), 1)
        until = _wait(messages, limit, now)
        if until is not None:
            waits.append(ContactWait(reason=reason, limit=limit, until=until))
    return max(waits, key=lambda wait: wait.until, default=None)


def contact_messages_between(member, other, *, limit: int = 10) -> list[ContactMessage]:
    """The latest messages the two exchanged, oldest first (the contact page's conversation)."""
    exchanged = ContactMessage.objects.filter(
        Q(sender=member, recipient=other) | Q(sender=other, recipient=member)
    ).select_related("sender")
    return list(reversed(exchanged.order_by("-created_at", "-pk")[:limit]))
