"""Carnet's main pages, as a visitor, a member and staff see them, on the small lab of
test_staff_pages.build_lab: the pages the accessibility and layout checks walk through."""

from dataclasses import dataclass

from django.urls import reverse
from playwright.sync_api import expect

from calls.models import CallForProjectsPage
from machines import services as machine_services
from machines.models import Machine
from projects.models import JournalEntry, ProjectPage
from tests.browser.test_staff_pages import build_lab
from tribes.models import TribePage
from users.factories import DEFAULT_PASSWORD
from users.models import User

VISITOR, MEMBER, STAFF = "visitor", "member", "staff"
MEMBER_USERNAME = "camille"  # owns the documented "Boîte à bijoux" in build_lab


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    who: str = VISITOR


def build_main_pages() -> list[MainPage]:
    """Build the lab, then list its main pages (run it through the `orm` fixture)."""
    _staff, showcase = build_lab()
    project = ProjectPage.objects.get(slug__startswith="boite-a-bijoux")
    entry = JournalEntry.objects.filter(project=project).order_by("pk").first()
    machine = Machine.objects.get(slug="trotec")
    machine_services.machine_kiosk_token_rotate(machine=machine)
    tribe = TribePage.objects.get(title="La Machinerie")
    call = CallForProjectsPage.objects.live().get()
    member = User.objects.get(username=MEMBER_USERNAME)
    return [
        MainPage("home", "/"),
        MainPage("projects", "/projects/"),
        MainPage("project", project.url),
        MainPage("journal entry", entry.get_absolute_url()),
        MainPage("search", "/search/?q=laser"),
        MainPage("tribes", "/tribes/"),
        MainPage("tribe", tribe.url),
        MainPage("calls", "/calls/"),
        MainPage("call", call.url),
        MainPage("members", reverse("members:directory")),
        MainPage("member profile", member.get_absolute_url()),
        MainPage("machines", reverse("machines:list")),
        MainPage("machine", reverse("machines:detail", kwargs={"slug": machine.slug})),
        MainPage("kiosk", machine.kiosk_url),
        MainPage("showcases", "/showcases/"),
        MainPage("showcase", showcase.url),
        MainPage("login", reverse("users:login")),
        MainPage("sign-up", reverse("users:signup")),
        MainPage("new project", reverse("projects:create"), MEMBER),
        MainPage(
            "new journal entry",
            reverse("projects:journal_entry_add", kwargs={"slug": project.slug}),
            MEMBER,
        ),
        MainPage("profile form", reverse("users:profile_edit"), MEMBER),
        MainPage("notifications", reverse("notifications:list"), MEMBER),
        MainPage("documentation rate", reverse("machines:documentation_rate"), STAFF),
        MainPage("statistics", reverse("stats:index"), STAFF),
    ]


USERNAMES = {MEMBER: MEMBER_USERNAME, STAFF: "equipe"}  # build_lab's member and staff


def log_in(page, live_url: str, username: str) -> None:
    page.goto(f"{live_url}{reverse('users:login')}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).not_to_have_url(f"{live_url}{reverse('users:login')}")
