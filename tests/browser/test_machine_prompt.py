"""The prompt, end to end: a machine reports a job over HTTP; without a reload the kiosk beside
it shows the job and the member's phone shows the banner; three taps later the journal entry
exists, tied to the job; when the job ends the banner asks how it went.

Real server (uvicorn, ASGI: the screens stream), real browser (Chromium, phone viewport)."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from machines import services as machine_services
from machines.factories import MachineFactory
from machines.models import MachineJob
from projects.factories import ProjectPageFactory
from projects.models import JournalEntry
from users.factories import UserFactory

from .conftest import ENGLISH, PHONE, TABLET

pytestmark = pytest.mark.browser

# How long a screen may take to follow an event (the target is about a second).
LIVE_TIMEOUT_MS = 5000


def post_event(base_url: str, machine, token: str, **event) -> dict:
    """The machine's side: one event through the real HTTP API."""
    request = urllib.request.Request(  # noqa: S310 - the server under test
        f"{base_url}/api/machines/{machine.slug}/events",
        data=json.dumps(event).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200, response.status
        return json.loads(response.read())


def build_lab():
    member = UserFactory(display_name="Ada Martin", badge_uid="04:A1:B2:C3")
    project = ProjectPageFactory(owner=member, title="Lampe de chevet en bouleau")
    machine = MachineFactory(name="Trotec Speedy 300", slug="trotec-speedy-300")
    event_token = machine_services.machine_token_rotate(machine=machine)
    machine_services.machine_kiosk_token_rotate(machine=machine)
    return member, project, machine, event_token


def session_cookie(live_url: str, member) -> dict:
    """Log the member in on the server's database; the phone gets the session cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_url,
    }


def test_machine_job_prompts_kiosk_and_phone_live_and_logs_in_three_taps(
    orm, live_url, browser, screenshot
):
    member, project, machine, event_token = orm(build_lab)

    phone_context = browser.new_context(**PHONE, **ENGLISH)
    phone_context.add_cookies([orm(session_cookie, live_url, member)])
    phone = phone_context.new_page()
    phone.goto(f"{live_url}{orm(project.get_url)}")
    expect(phone.locator(".job-banner")).to_be_attached()
    expect(phone.locator(".job-banner")).to_be_empty()

    kiosk_context = browser.new_context(**TABLET, **ENGLISH)
    kiosk = kiosk_context.new_page()
    kiosk.goto(f"{live_url}{machine.kiosk_url}")
    expect(kiosk.locator(".kiosk-idle")).to_be_visible()
    # Marks that a reload would wipe out.
    for page in (phone, kiosk):
        page.evaluate("window.carnetNotReloaded = true")

    post_event(
        live_url,
        machine,
        event_token,
        event="start",
        job_id="print-42",
        badge_uid="04a1b2c3",
        file_name="lampe-de-chevet_abat-jour.svg",
        estimated_seconds=25 * 60,
        material="Contreplaqué bouleau 3 mm",
        settings={"power": "60 %", "speed": "20 mm/s"},
    )
    job = orm(MachineJob.objects.get, machine=machine, external_id="print-42")

    # The kiosk shows the running job, with a countdown that ticks.
    running = kiosk.locator(f'main[data-live] [data-job="{job.pk}"]')
    expect(running).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(running).to_contain_text("Running now")
    expect(running).to_contain_text("Ada Martin")
    expect(running).to_contain_text("lampe-de-chevet_abat-jour.svg")
    countdown = running.locator(".countdown")
    expect(countdown).to_have_text(re.compile(r"^2[45]:\d\d$"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first, timeout=3000)

    # The phone shows the banner.
    banner = phone.locator(".job-banner")
    log_link = banner.get_by_role("link", name="Log what you are trying")
    expect(log_link).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(banner).to_contain_text("Your job on Trotec Speedy 300")
    assert phone.evaluate("window.carnetNotReloaded") is True
    assert kiosk.evaluate("window.carnetNotReloaded") is True
    screenshot(kiosk, "kiosk.png")
    screenshot(phone, "phone-banner.png")

    # Three interactions: tap the banner, type one sentence, tap save.
    log_link.tap()
    phone.get_by_label("What are you trying?").fill("Gravure à 60 % : les veines du bouleau.")
    phone.get_by_role("button", name="Save in my journal").tap()
    expect(phone.get_by_text("Logged in your journal.")).to_be_visible()

    entry = orm(JournalEntry.objects.select_related("project").get, job=job)
    assert entry.author_id == member.pk
    assert entry.project_id == project.pk
    assert entry.machine_id == machine.pk
    assert entry.kind == "trial"
    assert entry.body == "Gravure à 60 % : les veines du bouleau."
    assert entry.parameters == {
        "material": "Contreplaqué bouleau 3 mm",
        "file": "lampe-de-chevet_abat-jour.svg",
        "power": "60 %",
        "speed": "20 mm/s",
    }
    assert phone.url == f"{live_url}{orm(entry.get_absolute_url)}"

    # The job ends: the banner, on the entry's page, asks how it went.
    phone.evaluate("window.carnetNotReloaded = true")
    post_event(live_url, machine, event_token, event="finish", job_id="print-42")
    expect(banner.get_by_role("link", name="How did it go?")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(banner).to_contain_text("Your job on Trotec Speedy 300 has ended.")
    expect(kiosk.locator(f'[data-job="{job.pk}"]')).to_contain_text("Finished")
    assert phone.evaluate("window.carnetNotReloaded") is True

    phone_context.close()
    kiosk_context.close()
