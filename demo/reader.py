"""Reads the demo content of demo/content/ (its format: demo/content/README.md) into plain
records, and checks every name a file refers to (members, machines, materials, tribes,
projects): a typo stops the reading with an error naming the file, before anything is written.

Files are read in the order of their names, which is the order the loader creates them in."""

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from calls.models import ApplicationStatus, CallStatus
from machines.models import Machine
from projects.models import (
    Difficulty,
    JournalEntryKind,
    JournalEntryOutcome,
    Licence,
    ProjectStatus,
    ProjectVisibility,
)
from tribes.models import JoinPolicy, TribeVisibility

from .photos import THEMES

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# The level-1 headings of a project's file and of a call's file, and the fields they fill.
PROJECT_SECTIONS = {
    "Présentation": "presentation",
    "Méthodologie": "methodology",
    "Architecture technique": "technical_architecture",
    "Étapes": "steps",
    "Journal": "journal",
}
CALL_SECTIONS = {"Cahier des charges": "brief", "Livrables": "deliverables"}
# The states a demo call is left in: submitted (waiting for the moderator), open, or awarded.
CALL_STATES = (CallStatus.SUBMITTED, CallStatus.OPEN, CallStatus.AWARDED)


class DemoContentError(ValueError):
    """A demo content file that cannot be read, or that names something that does not exist."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(f"{_shown(path)}: {message}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent.parent))
    except ValueError:
        return str(path)


# Records -------------------------------------------------------------------------------------


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
    staff: bool = False
    avatar_name: str = ""  # whose initials the avatar shows, when not the first and last name
    open_to_contact: bool = False
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoMachine:
    slug: str
    name: str
    kind: str
    location: str
    photo_theme: str
    regulars: tuple[str, ...]  # who runs the jobs nobody documented


@dataclass(frozen=True)
class DemoMaterial:
    name: str
    description: str


@dataclass(frozen=True)
class DemoHistory:
    """Machine jobs of the last `days`, drawn behind the journal entries written on machines."""

    days: int
    undocumented_jobs_per_week: tuple[int, ...]
    job_minutes: dict[str, tuple[int, int]]  # by machine kind: (shortest, longest)


@dataclass(frozen=True)
class DemoLab:
    machines: tuple[DemoMachine, ...]
    materials: tuple[DemoMaterial, ...]
    history: DemoHistory
    tribe: str  # the tribe the machines belong to
    watch_machine: str  # whose kiosk the end of the load points to
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoBillRow:
    item: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal | None = None
    supplier: str = ""
    link: str = ""


@dataclass(frozen=True)
class DemoStep:
    title: str
    body: str
    photos: tuple[str, ...] = ()  # captions of the drawn photos


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
    summary: str
    status: str
    difficulty: str
    duration: str
    cost: Decimal | None
    licence: str
    tags: tuple[str, ...]
    machines: tuple[str, ...]
    materials: tuple[str, ...]
    photo_theme: str
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
    visibility: str = ProjectVisibility.PUBLIC  # set once the tribes exist
    tribes: tuple[str, ...] = ()  # tribe titles, for a tribe-only project
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoTribe:
    title: str
    description: str
    place: str
    website: str
    visibility: str
    join_policy: str
    admins: tuple[str, ...]  # usernames; the first creates the tribe
    members: tuple[str, ...]
    shares_members_public_projects: bool = False
    pending_invitations: tuple[str, ...] = ()  # e-mail addresses
    pending_requests: tuple[str, ...] = ()  # usernames
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoCompanyAccount:
    username: str
    display_name: str
    profile: str  # who this is, in the demo logins table


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    description: str
    website: str
    owner: DemoCompanyAccount


@dataclass(frozen=True)
class DemoApplication:
    pitch: str
    member: str = ""  # a username, or
    tribe: str = ""  # a tribe title (its first active admin applies)
    status: str = ApplicationStatus.SUBMITTED
    message: str = ""


@dataclass(frozen=True)
class DemoCall:
    title: str
    organisation: str
    state: str
    deadline_days: int
    brief: str
    deliverables: str
    reward_amount: Decimal | None = None
    reward_in_kind: str = ""
    tags: tuple[str, ...] = ()
    eligible_tribes: tuple[str, ...] = ()
    ip_terms: str = ""
    licence: str = ""
    contact: str = ""
    applications: tuple[DemoApplication, ...] = ()
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoShowcase:
    title: str
    intro: str
    curator: str
    items: tuple[tuple[str, str], ...]  # (project title, curator's note)
    featured: bool = False
    source: Path = field(default=Path(), compare=False)


@dataclass(frozen=True)
class DemoContent:
    members: tuple[DemoMember, ...]
    lab: DemoLab
    projects: tuple[DemoProject, ...]
    tribes: tuple[DemoTribe, ...]
    moderator: str  # the staff member who approves organisations and calls
    organisations: tuple[DemoOrganisation, ...]
    calls: tuple[DemoCall, ...]
    showcases: tuple[DemoShowcase, ...]


# Reading -------------------------------------------------------------------------------------


def read_content(root: Path = CONTENT_DIR) -> DemoContent:
    """Every file of `root`, read and checked; raises DemoContentError naming the bad file.

    A folder or organisations.toml that is not there is read as empty (a smaller demo)."""
    organisations_path = root / "organisations.toml"
    organisations = _Fields(
        organisations_path, _read_toml(organisations_path) if organisations_path.exists() else {}
    )
    content = DemoContent(
        members=tuple(_member(path) for path in _files(root / "members")),
        lab=_lab(root / "machines.toml"),
        projects=tuple(_project(path) for path in _files(root / "projects")),
        tribes=tuple(_tribe(path) for path in _files(root / "tribes")),
        moderator=organisations.text("moderator", ""),
        organisations=tuple(_organisation(f) for f in organisations.tables("organisations")),
        calls=tuple(_call(path) for path in _files(root / "calls")),
        showcases=tuple(_showcase(path) for path in _files(root / "showcases")),
    )
    organisations.done()
    _check_references(content, organisations_path)
    return content


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def _read_toml(path: Path, text: str | None = None, where: str = "") -> dict:
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
        # Decimal, so that prices and quantities are kept exactly as written.
        return tomllib.loads(text, parse_float=Decimal)
    except OSError as error:
        raise DemoContentError(path, f"cannot be read ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoContentError(path, f"{where}not valid TOML: {error}") from error


_ABSENT = object()  # an optional number that is not given


class _Fields:
    """The settings of one TOML table, taken one by one: a missing setting, one of the wrong type
    and one nobody takes (a typo in its name) are errors naming the file."""

    def __init__(self, path: Path, table: dict, where: str = ""):
        self.path, self.settings, self.where, self.taken = path, table, where, set()

    def _error(self, message: str) -> DemoContentError:
        return DemoContentError(self.path, f"{self.where}{message}")

    def _get(self, key: str, kinds: type | tuple, default, what: str):
        self.taken.add(key)
        if key not in self.settings:
            if default is None:
                misspelt = difflib.get_close_matches(key, set(self.settings) - self.taken, n=1)
                hint = f" (misspelt {misspelt[0]!r}?)" if misspelt else ""
                raise self._error(f"the setting {key!r} is missing{hint}")
            return default
        value = self.settings[key]
        # TOML's true and false are Python ints too: only a flag takes them.
        if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
            raise self._error(f"{key!r} should be {what}, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        return self._get(key, str, default, "text in quotes").strip()

    def integer(self, key: str, default: int | None = None) -> int:
        return self._get(key, int, default, "a whole number")

    def flag(self, key: str) -> bool:
        return self._get(key, bool, False, "true or false")

    def number(self, key: str, required: bool = False) -> Decimal | None:
        value = self._get(key, (int, Decimal), None if required else _ABSENT, "a number")
        return None if value is _ABSENT else Decimal(str(value))

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, [], "a list of texts in quotes")
        if not all(isinstance(value, str) for value in values):
            raise self._error(f"{key!r} should be a list of texts in quotes")
        return tuple(values)

    def numbers(self, key: str) -> tuple[int, ...]:
        values = self._get(key, list, None, "a list of whole numbers")
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
            raise self._error(f"{key!r} should be a list of whole numbers")
        return tuple(values)

    def choice(self, key: str, choices, default: str | None = None) -> str:
        value = self.text(key, default)
        allowed = [str(choice) for choice in choices]
        if value not in allowed:
            raise self._error(f"{key!r} is {value!r}; choose one of {', '.join(allowed)}")
        return value

    def mapping(self, key: str) -> dict:
        return self._get(key, dict, {}, "a table")

    def table(self, key: str) -> "_Fields":
        return _Fields(self.path, self._get(key, dict, None, "a table"), f"{self.where}[{key}] ")

    def tables(self, key: str) -> list["_Fields"]:
        values = self._get(key, list, [], f"a list of [[{key}]] tables")
        if not all(isinstance(value, dict) for value in values):
            raise self._error(f"{key!r} should be a list of [[{key}]] tables")
        return [
            _Fields(self.path, value, f"{self.where}[[{key}]] number {number}: ")
            for number, value in enumerate(values, start=1)
        ]

    def done(self) -> None:
        if unknown := sorted(set(self.settings) - self.taken):
            known = ", ".join(sorted(self.taken))
            raise self._error(f"unknown setting {unknown[0]!r} (known settings: {known})")


# Markdown files: front matter, then headings ---------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")


def _document(path: Path) -> tuple[_Fields, str]:
    """The front matter (TOML between two `+++` lines, first thing in the file) and the rest."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DemoContentError(path, f"cannot be read ({error.strerror})") from error
    front, body = _front_matter(path, text, "")
    if front is None:
        raise DemoContentError(path, "the file should start with a `+++` line (front matter)")
    return _Fields(path, front), body


def _front_matter(path: Path, text: str, where: str) -> tuple[dict | None, str]:
    lines = text.lstrip("\n").split("\n")
    if not lines or lines[0].strip() != "+++":
        return None, text.strip()
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "+++":
            settings = _read_toml(path, "\n".join(lines[1:number]), where)
            return settings, "\n".join(lines[number + 1 :]).strip()
    raise DemoContentError(path, f"{where}the `+++` block is not closed by a `+++` line")


def _sections(path: Path, text: str, level: int, where: str = "") -> list[tuple[str, str]]:
    """(heading, text under it) for each heading of `level` (`#` or `##`), outside code blocks."""
    marker = "#" * level + " "
    sections: list[tuple[str, list[str]]] = []
    before: list[str] = []
    in_code = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
        if not in_code and line.startswith(marker):
            sections.append((line[len(marker) :].strip(), []))
        else:
            (sections[-1][1] if sections else before).append(line)
    if "\n".join(before).strip():
        first = "\n".join(before).strip().split("\n")[0]
        raise DemoContentError(
            path, f"{where}text before the first {marker.strip()} heading: {first[:60]!r}"
        )
    return [(heading, "\n".join(lines).strip()) for heading, lines in sections]


def _named_sections(path: Path, body: str, names: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for heading, text in _sections(path, body, 1):
        if heading not in names:
            raise DemoContentError(
                path, f"unknown section '# {heading}' (sections: {', '.join(names)})"
            )
        if names[heading] in found:
            raise DemoContentError(path, f"the section '# {heading}' is there twice")
        found[names[heading]] = text
    return found


def _items(path: Path, text: str, section: str) -> list[tuple[str, _Fields, str]]:
    """The `## Title` items of a section, each with its optional `+++` settings and its text."""
    items = []
    for title, item_text in _sections(path, text, 2, f"section '# {section}': "):
        where = f"'## {title}': "
        settings, body = _front_matter(path, item_text, where)
        items.append((title, _Fields(path, settings or {}, where), body))
    return items


# One reader per kind of file -----------------------------------------------------------------


def _member(path: Path) -> DemoMember:
    fields, body = _document(path)
    member = DemoMember(
        username=fields.text("username"),
        first_name=fields.text("first_name"),
        last_name=fields.text("last_name"),
        display_name=fields.text("display_name"),
        profile=fields.text("profile"),
        bio=body,
        skills=fields.texts("skills"),
        badge_uid=fields.text("badge_uid", ""),
        joined_days_ago=fields.integer("joined_days_ago"),
        staff=fields.flag("staff"),
        avatar_name=fields.text("avatar_name", ""),
        open_to_contact=fields.flag("open_to_contact"),
        source=path,
    )
    fields.done()
    return member


def _lab(path: Path) -> DemoLab:
    fields = _Fields(path, _read_toml(path))
    machines = []
    for machine in fields.tables("machines"):
        machines.append(
            DemoMachine(
                slug=machine.text("slug"),
                name=machine.text("name"),
                kind=machine.choice("kind", Machine.Kind.values),
                location=machine.text("location", ""),
                photo_theme=machine.choice("photo_theme", sorted(THEMES)),
                regulars=machine.texts("regulars"),
            )
        )
        machine.done()
    materials = []
    for material in fields.tables("materials"):
        materials.append(DemoMaterial(material.text("name"), material.text("description", "")))
        material.done()
    history_fields = fields.table("history")
    minutes = history_fields.mapping("job_minutes")
    for kind, span in minutes.items():
        if kind not in Machine.Kind.values:
            raise DemoContentError(path, f"[history.job_minutes] unknown machine kind {kind!r}")
        if not (isinstance(span, list) and len(span) == 2 and all(type(n) is int for n in span)):
            raise DemoContentError(
                path, f"[history.job_minutes] {kind} should be [shortest, longest] in minutes"
            )
    if Machine.Kind.OTHER not in minutes:
        raise DemoContentError(path, "[history.job_minutes] needs `other`, for the other kinds")
    history = DemoHistory(
        days=history_fields.integer("days"),
        undocumented_jobs_per_week=history_fields.numbers("undocumented_jobs_per_week"),
        job_minutes={kind: tuple(span) for kind, span in minutes.items()},
    )
    history_fields.done()
    lab = DemoLab(
        machines=tuple(machines),
        materials=tuple(materials),
        history=history,
        tribe=fields.text("lab"),
        watch_machine=fields.text("watch_machine"),
        source=path,
    )
    fields.done()
    return lab


def _project(path: Path) -> DemoProject:
    fields, body = _document(path)
    sections = _named_sections(path, body, PROJECT_SECTIONS)
    steps = []
    for title, step, text in _items(path, sections.get("steps", ""), "Étapes"):
        steps.append(DemoStep(title, text, step.texts("photos")))
        step.done()
    journal = []
    for title, entry, text in _items(path, sections.get("journal", ""), "Journal"):
        parameters = entry.mapping("parameters")
        if not all(isinstance(value, str) for value in parameters.values()):
            raise DemoContentError(path, f"'## {title}': parameters should be texts in quotes")
        journal.append(
            DemoEntry(
                kind=entry.choice("kind", JournalEntryKind.values),
                title=title,
                body=text,
                author=entry.text("author", ""),
                machine=entry.text("machine", ""),
                parameters=parameters,
                outcome=entry.choice("outcome", ["", *JournalEntryOutcome.values], ""),
                photos=entry.texts("photos"),
                same_session=entry.flag("same_session"),
            )
        )
        entry.done()
    if not journal:
        raise DemoContentError(path, "a project needs at least one entry under '# Journal'")
    bill = []
    for row in fields.tables("bill_of_materials"):
        bill.append(
            DemoBillRow(
                item=row.text("item"),
                quantity=row.number("quantity", required=True),
                unit=row.text("unit", ""),
                unit_cost=row.number("unit_cost"),
                supplier=row.text("supplier", ""),
                link=row.text("link", ""),
            )
        )
        row.done()
    project = DemoProject(
        title=fields.text("title"),
        owner=fields.text("owner"),
        collaborators=fields.texts("collaborators"),
        summary=fields.text("summary"),
        status=fields.choice("status", ProjectStatus.values),
        difficulty=fields.choice("difficulty", Difficulty.values),
        duration=fields.text("duration", ""),
        cost=fields.number("cost"),
        licence=fields.choice("licence", Licence.values),
        tags=fields.texts("tags"),
        machines=fields.texts("machines"),
        materials=fields.texts("materials"),
        photo_theme=fields.choice("photo_theme", sorted(THEMES)),
        started_days_ago=fields.integer("started_days_ago"),
        last_days_ago=fields.integer("last_days_ago"),
        remixed_from=fields.text("remixed_from", ""),
        visibility=fields.choice("visibility", ProjectVisibility.values, ProjectVisibility.PUBLIC),
        tribes=fields.texts("tribes"),
        presentation=sections.get("presentation", ""),
        methodology=sections.get("methodology", ""),
        technical_architecture=sections.get("technical_architecture", ""),
        steps=tuple(steps),
        bill_of_materials=tuple(bill),
        journal=tuple(journal),
        source=path,
    )
    fields.done()
    if project.tribes and project.visibility != ProjectVisibility.TRIBE:
        raise DemoContentError(path, 'tribes are given only with visibility = "tribe"')
    if project.visibility == ProjectVisibility.TRIBE and not project.tribes:
        raise DemoContentError(path, 'visibility = "tribe" needs the tribes it is shared with')
    return project


def _tribe(path: Path) -> DemoTribe:
    fields, body = _document(path)
    tribe = DemoTribe(
        title=fields.text("title"),
        description=body,
        place=fields.text("place", ""),
        website=fields.text("website", ""),
        visibility=fields.choice("visibility", TribeVisibility.values),
        join_policy=fields.choice("join_policy", JoinPolicy.values),
        admins=fields.texts("admins"),
        members=fields.texts("members"),
        shares_members_public_projects=fields.flag("shares_members_public_projects"),
        pending_invitations=fields.texts("pending_invitations"),
        pending_requests=fields.texts("pending_requests"),
        source=path,
    )
    fields.done()
    if not tribe.admins:
        raise DemoContentError(path, "a tribe needs at least one admin")
    return tribe


def _organisation(fields: _Fields) -> DemoOrganisation:
    owner = fields.table("owner")
    organisation = DemoOrganisation(
        name=fields.text("name"),
        description=fields.text("description", ""),
        website=fields.text("website", ""),
        owner=DemoCompanyAccount(
            owner.text("username"), owner.text("display_name"), owner.text("profile")
        ),
    )
    owner.done()
    fields.done()
    return organisation


def _call(path: Path) -> DemoCall:
    fields, body = _document(path)
    sections = _named_sections(path, body, CALL_SECTIONS)
    applications = []
    for application in fields.tables("applications"):
        applications.append(
            DemoApplication(
                pitch=application.text("pitch"),
                member=application.text("member", ""),
                tribe=application.text("tribe", ""),
                status=application.choice(
                    "status", ApplicationStatus.values, ApplicationStatus.SUBMITTED
                ),
                message=application.text("message", ""),
            )
        )
        if bool(applications[-1].member) == bool(applications[-1].tribe):
            raise application._error("give either `member` or `tribe`")
        application.done()
    call = DemoCall(
        title=fields.text("title"),
        organisation=fields.text("organisation"),
        state=fields.choice("state", CALL_STATES),
        deadline_days=fields.integer("deadline_days"),
        brief=sections.get("brief", ""),
        deliverables=sections.get("deliverables", ""),
        reward_amount=fields.number("reward_amount"),
        reward_in_kind=fields.text("reward_in_kind", ""),
        tags=fields.texts("tags"),
        eligible_tribes=fields.texts("eligible_tribes"),
        ip_terms=fields.text("ip_terms", ""),
        licence=fields.choice("licence", ["", *Licence.values], ""),
        contact=fields.text("contact", ""),
        applications=tuple(applications),
        source=path,
    )
    fields.done()
    return call


def _showcase(path: Path) -> DemoShowcase:
    fields, body = _document(path)
    items = []
    for item in fields.tables("items"):
        items.append((item.text("project"), item.text("note", "")))
        item.done()
    showcase = DemoShowcase(
        title=fields.text("title"),
        intro=body,
        curator=fields.text("curator"),
        items=tuple(items),
        featured=fields.flag("featured"),
        source=path,
    )
    fields.done()
    if not showcase.items:
        raise DemoContentError(path, "a showcase needs at least one [[items]]")
    return showcase


# Checking names across files ---------------------------------------------------------------------


def _check_references(content: DemoContent, organisations_path: Path) -> None:
    members = {member.username: member for member in content.members}
    _unique([(m.source, m.username) for m in content.members], "member", "username")
    lab = content.lab
    machines = {machine.slug for machine in lab.machines}
    _unique([(lab.source, m.slug) for m in lab.machines], "machine", "slug")
    materials = {material.name for material in lab.materials}
    tribes = {tribe.title for tribe in content.tribes}
    _unique([(t.source, t.title) for t in content.tribes], "tribe", "title")
    _unique([(p.source, p.title) for p in content.projects], "project", "title")

    def known(path: Path, names, among, what: str) -> None:
        for name in names:
            if name not in among:
                raise DemoContentError(path, f"no {what} {name!r} in demo/content")

    for machine in lab.machines:
        known(lab.source, machine.regulars, members, "member")
    known(lab.source, [lab.tribe], tribes, "tribe")
    known(lab.source, [lab.watch_machine], machines, "machine")

    earlier: set[str] = set()
    for project in content.projects:
        path = project.source
        known(path, [project.owner, *project.collaborators], members, "member")
        people = {project.owner, *project.collaborators}
        for entry in project.journal:
            if entry.author and entry.author not in people:
                raise DemoContentError(
                    path,
                    f"'## {entry.title}': the author {entry.author!r} is neither the "
                    "project's owner nor one of its collaborators",
                )
        entry_machines = [entry.machine for entry in project.journal if entry.machine]
        known(path, [*project.machines, *entry_machines], machines, "machine")
        known(path, project.materials, materials, "material")
        known(path, project.tribes, tribes, "tribe")
        if project.remixed_from and project.remixed_from not in earlier:
            raise DemoContentError(
                path,
                f"remixed_from: no project {project.remixed_from!r} in a file before this "
                "one (an original comes before its remixes)",
            )
        earlier.add(project.title)

    for tribe in content.tribes:
        known(
            tribe.source,
            [*tribe.admins, *tribe.members, *tribe.pending_requests],
            members,
            "member",
        )

    moderator = members.get(content.moderator)
    if (content.organisations or content.calls) and not (moderator and moderator.staff):
        raise DemoContentError(
            organisations_path, f"the moderator {content.moderator!r} is not a staff member"
        )
    organisations = {organisation.name for organisation in content.organisations}
    for organisation in content.organisations:
        if organisation.owner.username in members:
            raise DemoContentError(
                organisations_path,
                f"the owner {organisation.owner.username!r} of {organisation.name!r} is also "
                "in members/: an organisation's owner account is made with the organisation",
            )
    for call in content.calls:
        known(call.source, [call.organisation], organisations, "organisation")
        known(call.source, call.eligible_tribes, tribes, "tribe")
        known(call.source, [a.member for a in call.applications if a.member], members, "member")
        known(call.source, [a.tribe for a in call.applications if a.tribe], tribes, "tribe")

    public = {p.title for p in content.projects if p.visibility == ProjectVisibility.PUBLIC}
    for showcase in content.showcases:
        known(showcase.source, [showcase.curator], members, "member")
        known(showcase.source, [title for title, _note in showcase.items], public, "public project")
    if sum(showcase.featured for showcase in content.showcases) > 1:
        featured = [s for s in content.showcases if s.featured]
        raise DemoContentError(featured[1].source, "only one showcase may be featured")


def _unique(names: list[tuple[Path, str]], what: str, key: str) -> None:
    seen: set[str] = set()
    for path, name in names:
        if name in seen:
            raise DemoContentError(path, f"another {what} has the {key} {name!r}")
        seen.add(name)
