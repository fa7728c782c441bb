"""The Content-Security-Policy blocks nothing Carnet needs: in Chromium, the home page, a
project page, a journal entry form with the Markdown preview in use, the kiosk's live screen
and the Wagtail admin (dashboard, page editor and its preview panel) load and work with no CSP
violation reported."""

import pytest
from playwright.sync_api import expect

from machines import services as machine_services
from machines.factories import MachineFactory, MachineJobFactory
from projects.factories import JournalEntryFactory, ProjectPageFactory
from users.factories import DEFAULT_PASSWORD, UserFactory

from .conftest import ENGLISH

pytestmark = pytest.mark.browser

# Registered before any page script runs; CSP does not apply to scripts the browser injects.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def build_lab():
    member = UserFactory(username="camille", display_name="Camille")
    staff = UserFactory(username="chef", staff=True, is_superuser=True)
    project = ProjectPageFactory(title="Lampe en bois", slug="lampe-en-bois", owner=member)
    JournalEntryFactory(project=project, title="Premier essai", body="Découpe **nette**.")
    machine = MachineFactory(name="Prusa MK4", slug="prusa-mk4")
    machine_services.machine_kiosk_token_rotate(machine=machine)
    MachineJobFactory(machine=machine, file_name="engrenage.gcode")
    return member, staff, project, machine


class Violations:
    """CSP violations seen by a browser context: its pages' events and console messages."""

    def __init__(self, context):
        self.found: list[str] = []
        context.add_init_script(LISTEN_FOR_VIOLATIONS)
        context.on("page", self.watch)

    def watch(self, page):
        page.on(
            "console",
            lambda message: (
                self.found.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def collect(self, page, where: str) -> None:
        for violation in page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{where}: {violation}")


def log_in(page, live_url, username, next_url="/"):
    page.goto(f"{live_url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_url}{next_url}")


def test_carnet_pages_and_the_admin_raise_no_csp_violation(orm, live_url, browser):
    member, staff, project, machine = orm(build_lab)

    visitor = browser.new_context(**ENGLISH)
    violations = Violations(visitor)
    page = visitor.new_page()
    page.goto(f"{live_url}/")
    page.wait_for_load_state("networkidle")
    violations.collect(page, "home")
    page.goto(f"{live_url}/projects/{project.slug}/")
    expect(page.get_by_role("heading", name="Lampe en bois")).to_be_visible()
    violations.collect(page, "project")
    # The kiosk streams its state (server-sent events) and shows the running job.
    page.goto(f"{live_url}/machines/{machine.slug}/kiosk/?token={machine.kiosk_token}")
    expect(page.get_by_text("engrenage.gcode")).to_be_visible()
    page.wait_for_timeout(500)
    violations.collect(page, "kiosk")
    visitor.close()

    maker = browser.new_context(**ENGLISH)
    violations_maker = Violations(maker)
    page = maker.new_page()
    log_in(page, live_url, member.username)
    page.wait_for_load_state("networkidle")  # the job banner's stream
    violations_maker.collect(page, "home, logged in")
    page.goto(f"{live_url}/projects/{project.slug}/journal/new/")
    textarea = page.locator("textarea[data-markdown-preview]").first
    textarea.fill("Un texte **en gras** et `du code`.")
    preview = page.locator(".markdown-preview .prose").first
    expect(preview.locator("strong")).to_have_text("en gras")
    violations_maker.collect(page, "journal entry form with the Markdown preview")
    maker.close()

    admin = browser.new_context(**ENGLISH)
    violations_admin = Violations(admin)
    page = admin.new_page()
    page.goto(f"{live_url}/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_url}/admin/")
    page.wait_for_load_state("networkidle")
    violations_admin.collect(page, "admin dashboard")
    page.goto(f"{live_url}/admin/pages/{project.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value("Lampe en bois")
    page.wait_for_load_state("networkidle")
    violations_admin.collect(page, "admin page editor")
    # The preview panel frames the admin's own preview of the page.
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name="Lampe en bois").first).to_be_visible()
    page.wait_for_timeout(500)
    violations_admin.collect(page, "admin page editor, preview panel")
    admin.close()

    found = violations.found + violations_maker.found + violations_admin.found
    assert found == [], "\n".join(found)
