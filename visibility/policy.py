"""Who may see what: the one place that decides, for every surface of Carnet.

Pages, listings, search, the API, feeds, sitemaps, exports and media files all ask here, either
one object at a time (`can_view_*`) or as a queryset (`*_visible_to`). Nothing else filters on
visibility, and templates never do.

Projects
    staff: everything · owner and collaborators: their projects, drafts included ·
    everyone: public published projects · active members of one of the project's tribes:
    its published tribe-only projects. Private projects: owner, collaborators, staff.
Journal entries follow their project. Photos and files follow what uses them (see Media files).
Tribes
    public tribes: everyone · private tribes: staff and the people with a membership
    (invited, asked or active), who alone see its name where a project, call or machine
    names its tribes (`tribes_shown_to`).
Organisations
    approved: everyone · waiting for approval or refused: their members and staff.
Calls for projects
    published calls (open, closed, awarded): everyone · drafts and calls under review: the
    members of the organisation and staff.
Applications
    the applicant (the member, or the active admins of the applying tribe), the members of the
    call's organisation, staff. An organisation sees only the public projects of an application.
Member profiles
    active members: everyone.
Hidden by the moderators (moderation/, docs/moderation.md)
    a hidden project, journal entry, call or profile is seen by staff and by the people who
    may fix it only (the project's owner and collaborators, the call's organisation, the
    member), who see the moderators' message; nobody else, on any surface.
Public-only surfaces (API v2, feeds, sitemaps) use `*_public()`: what an anonymous visitor sees.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from calls.models import (
    Application,
    CallForProjectsPage,
    CallStatus,
    Organisation,
    OrganisationMembership,
    OrganisationStatus,
)
from projects.models import JournalEntry, ProjectPage, ProjectVisibility
from tribes.models import (
    MembershipRole,
    MembershipState,
    TribeMembership,
    TribePage,
    TribeVisibility,
)


def is_staff(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)
    )


def _is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _active_tribe_ids(user) -> QuerySet:
    return TribeMembership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
        "tribe_id"
    )


# Projects -----------------------------------------------------------------------------------


def project_is_public(project: ProjectPage) -> bool:
    return project.live and project.visibility == ProjectVisibility.PUBLIC and not project.hidden


def can_edit_project(user, project: ProjectPage) -> bool:
    """Owner, collaborators and staff; a tribe admin gains no rights over others' projects."""
    if not _is_member(user):
        return False
    if is_staff(user) or project.owner_id == user.pk:
        return True
    # .all() so a prefetched list (the project page prefetches it) costs no query.
    return any(person.pk == user.pk for person in project.collaborators.all())


def can_view_project(user, project: ProjectPage) -> bool:
    if project_is_public(project):
        return True
    if can_edit_project(user, project):
        return True
    if (
        project.hidden
        or not project.live
        or project.visibility != ProjectVisibility.TRIBE
        or not _is_member(user)
    ):
        return False
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, tribe__in=project.tribes.all()
    ).exists()


def projects_visible_to(user) -> QuerySet[ProjectPage]:
    projects = ProjectPage.objects.all()
    if is_staff(user):
        return projects
    rule = Q(live=True, visibility=ProjectVisibility.PUBLIC, hidden=False)
    if _is_member(user):
        rule |= Q(owner=user)
        rule |= Q(
            pk__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
        rule |= Q(
            live=True,
            visibility=ProjectVisibility.TRIBE,
            hidden=False,
            pk__in=ProjectPage.tribes.through.objects.filter(
                tribepage_id__in=_active_tribe_ids(user)
            ).values("projectpage_id"),
        )
    return projects.filter(rule)


def projects_public() -> QuerySet[ProjectPage]:
    return projects_visible_to(AnonymousUser())


# Journal entries ----------------------------------------------------------------------------


def can_view_journal_entry(user, entry: JournalEntry) -> bool:
    """As its project; a hidden entry only for those who may edit the project (and staff)."""
    if entry.hidden and not can_edit_project(user, entry.project):
        return False
    return can_view_project(user, entry.project)


def journal_entries_visible_to(user) -> QuerySet[JournalEntry]:
    entries = JournalEntry.objects.all()
    if is_staff(user):
        return entries
    entries = entries.filter(project__in=projects_visible_to(user).values("pk"))
    rule = Q(hidden=False)
    if _is_member(user):
        rule |= Q(project__owner=user) | Q(
            project_id__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
    return entries.filter(rule)


def journal_entries_public() -> QuerySet[JournalEntry]:
    return journal_entries_visible_to(AnonymousUser())


def journal_entries_of_project_visible_to(user, project: ProjectPage) -> QuerySet[JournalEntry]:
    """The entries of a project this user may see (they may see the project): all of them for
    those who may edit it, the ones not hidden by the moderators for the others."""
    entries = JournalEntry.objects.filter(project=project)
    return entries if can_edit_project(user, project) else entries.filter(hidden=False)


# Tribes -------------------------------------------------------------------------------------


def tribe_is_public(tribe: TribePage) -> bool:
    return tribe.live and tribe.visibility == TribeVisibility.PUBLIC


def tribes_public() -> QuerySet[TribePage]:
    return tribes_visible_to(AnonymousUser())


def can_view_tribe(user, tribe: TribePage) -> bool:
    if tribe_is_public(tribe) or is_staff(user):
        return True
    if not _is_member(user):
        return False
    return tribe.memberships.filter(user=user).exists()


def tribes_shown_to(user, tribes) -> list[TribePage]:
    """The tribes of a list (a project's, prefetched) this user may see, in the same order: a
    private tribe's name is never shown to outsiders. No query unless a tribe is private."""
    tribes = list(tribes)
    if is_staff(user):
        return tribes
    hidden = {tribe.pk for tribe in tribes if not tribe_is_public(tribe)}
    if hidden and _is_member(user):
        hidden -= set(
            TribeMembership.objects.filter(user=user, tribe_id__in=hidden).values_list(
                "tribe_id", flat=True
            )
        )
    return [tribe for tribe in tribes if tribe.pk not in hidden]


def tribes_visible_to(user) -> QuerySet[TribePage]:
    tribes = TribePage.objects.all()
    if is_staff(user):
        return tribes
    rule = Q(live=True, visibility=TribeVisibility.PUBLIC)
    if _is_member(user):
        rule |= Q(pk__in=TribeMembership.objects.filter(user=user).values("tribe_id"))
    return tribes.filter(rule)


# Organisations, calls for projects, applications -------------------------------------------

PUBLIC_CALL_STATUSES = (CallStatus.OPEN, CallStatus.CLOSED, CallStatus.AWARDED)


def is_organisation_member(user, organisation: Organisation) -> bool:
    """Any member of the organisation, owner or not."""
    if not _is_member(user):
        return False
    return OrganisationMembership.objects.filter(
        organisation_id=organisation.pk, user=user
    ).exists()


def _organisation_ids(user) -> QuerySet:
    return OrganisationMembership.objects.filter(user=user).values("organisation_id")


def can_view_organisation(user, organisation: Organisation) -> bool:
    if organisation.status == OrganisationStatus.APPROVED or is_staff(user):
        return True
    return is_organisation_member(user, organisation)


def call_is_public(call: CallForProjectsPage) -> bool:
    return call.live and call.status in PUBLIC_CALL_STATUSES and not call.hidden


def can_view_call(user, call: CallForProjectsPage) -> bool:
    if call_is_public(call) or is_staff(user):
        return True
    return is_organisation_member(user, call.organisation)


def calls_visible_to(user) -> QuerySet[CallForProjectsPage]:
    calls = CallForProjectsPage.objects.all()
    if is_staff(user):
        return calls
    rule = Q(live=True, status__in=PUBLIC_CALL_STATUSES, hidden=False)
    if _is_member(user):
        rule |= Q(organisation_id__in=_organisation_ids(user))
    return calls.filter(rule)


def calls_public() -> QuerySet[CallForProjectsPage]:
    return calls_visible_to(AnonymousUser())


def _admin_tribe_ids(user) -> QuerySet:
    return TribeMembership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
    ).values("tribe_id")


def can_view_application(user, application: Application) -> bool:
    if is_staff(user):
        return True
    if not _is_member(user):
        return False
    if application.applicant_user_id == user.pk:
        return True
    if (
        application.applicant_tribe_id
        and _admin_tribe_ids(user).filter(tribe_id=application.applicant_tribe_id).exists()
    ):
        return True
    return OrganisationMembership.objects.filter(
        organisation_id=application.call.organisation_id, user=user
    ).exists()


def applications_visible_to(user) -> QuerySet[Application]:
    applications = Application.objects.all()
    if is_staff(user):
        return applications
    if not _is_member(user):
        return applications.none()
    return applications.filter(
        Q(applicant_user=user)
        | Q(applicant_tribe_id__in=_admin_tribe_ids(user))
        | Q(call__organisation_id__in=_organisation_ids(user))
    )


def projects_visible_to_organisation(organisation: Organisation) -> QuerySet[ProjectPage]:
    """What every member of an organisation may see, whatever tribes they belong to: the
    public projects. Only these may be attached to an application."""
    return projects_public()


# Member profiles ----------------------------------------------------------------------------


def profile_is_public(member) -> bool:
    return member.is_active and not member.hidden


def can_view_profile(user, member) -> bool:
    """Active members' profiles are public; a hidden one is seen by its member and staff."""
    if profile_is_public(member) or (member.is_active and is_staff(user)):
        return True
    return member.is_active and _is_member(user) and user.pk == member.pk


def profiles_public() -> QuerySet:
    from users.models import User

    return User.objects.filter(is_active=True, hidden=False)


# Media files --------------------------------------------------------------------------------
# A photo or a file is as visible as what uses it, and public only when something public does.
# Its owners: its project (cover, steps, files, journal entries), a tribe (logo), an
# organisation (logo), a machine (photo, machines are public), a showcase (hero image, public
# once live). A photo that only hidden journal entries use is seen as those entries are. A
# photo or file that nothing owns (an upload whose form was never sent, a row left behind) is
# private: staff and the member who uploaded it. Each rule is a queryset, so the media view,
# the API and the per-object checks ask the same question, each in one query.


def _image_model():
    from images.models import CarnetImage

    return CarnetImage


def _document_model():
    from documents.models import CarnetDocument

    return CarnetDocument


def _projects_edited_by(user) -> QuerySet:
    """The projects whose hidden journal entries this member may still see (owner,
    collaborators): those can_edit_project allows, staff aside."""
    return ProjectPage.objects.filter(
        Q(owner=user)
        | Q(
            pk__in=ProjectPage.collaborators.through.objects.filter(user=user).values(
                "projectpage_id"
            )
        )
    )


def _organisations_visible_to(user) -> QuerySet:
    rule = Q(status=OrganisationStatus.APPROVED)
    if _is_member(user):
        rule |= Q(pk__in=_organisation_ids(user))
    return Organisation.objects.filter(rule)


def _image_users() -> dict[str, QuerySet]:
    """Everything but a project that may use a photo, as "who uses it" → ids of the photos."""
    from machines.models import Machine
    from showcases.models import ShowcasePage

    return {
        "tribe": TribePage.objects.filter(logo__isnull=False).values("logo_id"),
        "organisation": Organisation.objects.filter(logo__isnull=False).values("logo_id"),
        "machine": Machine.objects.filter(photo__isnull=False).values("photo_id"),
        "showcase": ShowcasePage.objects.filter(hero_image__isnull=False).values("hero_image_id"),
    }


def _only_in_hidden_journal_entries() -> Q:
    """Photos of hidden journal entries that no visible entry and no cover shows."""
    through = JournalEntry.photos.through
    return (
        Q(pk__in=through.objects.filter(journalentry__hidden=True).values("carnetimage_id"))
        & ~Q(pk__in=through.objects.filter(journalentry__hidden=False).values("carnetimage_id"))
        & ~Q(pk__in=ProjectPage.objects.filter(cover_image__isnull=False).values("cover_image_id"))
    )


def _image_rule(user) -> Q:
    from showcases.models import ShowcasePage

    users = _image_users()
    # As can_view_journal_entry: a hidden entry's photos for those who may edit the project.
    hidden = _only_in_hidden_journal_entries()
    if _is_member(user):
        hidden &= ~Q(project__in=_projects_edited_by(user).values("pk"))
    rule = (
        (Q(project__in=projects_visible_to(user).values("pk")) & ~hidden)
        | Q(pk__in=users["machine"])
        | Q(pk__in=tribes_visible_to(user).filter(logo__isnull=False).values("logo_id"))
        | Q(pk__in=_organisations_visible_to(user).filter(logo__isnull=False).values("logo_id"))
        | Q(
            pk__in=ShowcasePage.objects.live()
            .filter(hero_image__isnull=False)
            .values("hero_image_id")
        )
    )
    if _is_member(user):
        owned = Q(project__isnull=False)
        for photo_ids in users.values():
            owned |= Q(pk__in=photo_ids)
        rule |= Q(uploaded_by_user=user) & ~owned
    return rule


def _document_rule(user) -> Q:
    rule = Q(project__in=projects_visible_to(user).values("pk"))
    if _is_member(user):
        rule |= Q(project__isnull=True, uploaded_by_user=user)
    return rule


def images_visible_to(user) -> QuerySet:
    images = _image_model().objects.all()
    return images if is_staff(user) else images.filter(_image_rule(user))


def images_public() -> QuerySet:
    return images_visible_to(AnonymousUser())


def documents_visible_to(user) -> QuerySet:
    documents = _document_model().objects.all()
    return documents if is_staff(user) else documents.filter(_document_rule(user))


def documents_public() -> QuerySet:
    return documents_visible_to(AnonymousUser())


def _media_visible_to(user, model) -> QuerySet:
    if issubclass(model, _image_model()):
        return images_visible_to(user)
    if issubclass(model, _document_model()):
        return documents_visible_to(user)
    raise TypeError(f"No visibility rule for the files of {model.__name__}")


def can_view_image(user, image) -> bool:
    return is_staff(user) or images_visible_to(user).filter(pk=image.pk).exists()


def can_view_document(user, document) -> bool:
    return is_staff(user) or documents_visible_to(user).filter(pk=document.pk).exists()


def media_is_public(obj) -> bool:
    """Whether a photo or file may be kept by shared caches: anyone may see it."""
    return _media_visible_to(AnonymousUser(), type(obj)).filter(pk=obj.pk).exists()


def media_access(user, queryset: QuerySet, *, ref: str = "pk") -> list[tuple[bool, bool]]:
    """For each row of `queryset` (photos, files, or renditions with ref="image"): (may `user`
    see the photo or file it refers to, may shared caches keep it), all in one query."""
    model = queryset.model._meta.get_field(ref).related_model if ref != "pk" else queryset.model
    field = "pk" if ref == "pk" else f"{ref}_id"
    rows = queryset.annotate(
        visible=Exists(_media_visible_to(user, model).filter(pk=OuterRef(field))),
        public=Exists(_media_visible_to(AnonymousUser(), model).filter(pk=OuterRef(field))),
    ).values_list("visible", "public")
    return [(bool(visible), bool(visible and public)) for visible, public in rows]


# Dispatch -----------------------------------------------------------------------------------


def can_view(user, obj) -> bool:
    from documents.models import CarnetDocument
    from images.models import CarnetImage
    from users.models import User

    checks = {
        ProjectPage: can_view_project,
        JournalEntry: can_view_journal_entry,
        TribePage: can_view_tribe,
        Organisation: can_view_organisation,
        CallForProjectsPage: can_view_call,
        Application: can_view_application,
        CarnetImage: can_view_image,
        CarnetDocument: can_view_document,
        User: can_view_profile,
    }
    for model, check in checks.items():
        if isinstance(obj, model):
            return check(user, obj)
    raise TypeError(f"No visibility rule for {type(obj).__name__}")


# Search audiences ---------------------------------------------------------------------------
# Search indexes cannot call can_view() for every hit, so each indexed object carries the
# tokens of the people who may see it, and each reader the tokens they hold: a hit is shown when
# the two sets meet. For every non-staff user and object,
# can_view(user, obj) == bool(audiences_for(obj) & audiences_of(user)); the tests check it.

PUBLIC_AUDIENCE = "public"
# The name of search terms that carry audiences (search.models.SearchTerm).
AUDIENCE_TERM = "audience"


def audiences_for(obj) -> set[str]:
    from users.models import User

    # Hidden content (moderation/) keeps only the audience of those who may still see it.
    if isinstance(obj, JournalEntry):
        if obj.hidden:
            return _project_editors(obj.project)
        return audiences_for(obj.project)
    if isinstance(obj, ProjectPage):
        if project_is_public(obj):
            return {PUBLIC_AUDIENCE}
        tokens = _project_editors(obj)
        if obj.live and obj.visibility == ProjectVisibility.TRIBE and not obj.hidden:
            tokens |= {f"tribe:{tribe.pk}" for tribe in obj.tribes.all()}
        return tokens
    if isinstance(obj, TribePage):
        return {PUBLIC_AUDIENCE} if tribe_is_public(obj) else {f"tribe-any:{obj.pk}"}
    if isinstance(obj, User):
        if profile_is_public(obj):
            return {PUBLIC_AUDIENCE}
        return {f"user:{obj.pk}"} if obj.is_active else set()
    if isinstance(obj, CallForProjectsPage):
        return {PUBLIC_AUDIENCE} if call_is_public(obj) else {f"organisation:{obj.organisation_id}"}
    raise TypeError(f"No search audience for {type(obj).__name__}")


def _project_editors(project: ProjectPage) -> set[str]:
    tokens = {f"user:{project.owner_id}"} if project.owner_id else set()
    return tokens | {f"user:{person.pk}" for person in project.collaborators.all()}


def audiences_of(user) -> set[str] | None:
    """The tokens this reader holds; None for staff, who see everything."""
    if is_staff(user):
        return None
    if not _is_member(user):
        return {PUBLIC_AUDIENCE}
    tokens = {PUBLIC_AUDIENCE, f"user:{user.pk}"}
    for tribe_id, state in TribeMembership.objects.filter(user=user).values_list(
        "tribe_id", "state"
    ):
        tokens.add(f"tribe-any:{tribe_id}")
        if state == MembershipState.ACTIVE:
            tokens.add(f"tribe:{tribe_id}")
    tokens |= {
        f"organisation:{pk}"
        for pk in _organisation_ids(user).values_list("organisation_id", flat=True)
    }
    return tokens
