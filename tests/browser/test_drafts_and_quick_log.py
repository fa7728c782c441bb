"""Two flows of a new member on a phone, in French: signing up, writing a draft project nobody
else sees, with a captioned photo, previewing and publishing it; and logging a running job,
which lands under the project its file names, never shown on the kiosk before the member chose
it.

Real server (uvicorn, ASGI), real browser (Chromium, 390×844). Fields are found by their
labels, as a member reads them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from machines import services as machine_services
from machines.factories import MachineFactory
from machines.models import MachineJob
from projects.factories import ProjectPageFactory
from projects.models import JournalEntry, ProjectPage
from tests.helpers import image_bytes
from users.factories import UserFactory

from .conftest import PHONE, TABLET
from .test_machine_prompt import LIVE_TIMEOUT_MS, post_event, session_cookie

pytestmark = pytest.mark.browser

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}


def test_sign_up_then_a_draft_only_its_author_sees_then_publish(orm, live_url, browser):
    phone = browser.new_context(**PHONE, **FRENCH).new_page()
    visitor = browser.new_context(**PHONE, **FRENCH).new_page()

    phone.goto(f"{live_url}/accounts/signup/")
    phone.get_by_label(re.compile("^Votre nom")).fill("Léo Dubois")
    phone.get_by_label(re.compile("^Choisissez un mot de passe")).fill("cerf-volant-rouge-42")
    phone.get_by_label(re.compile("^Le même mot de passe")).fill("cerf-volant-rouge-42")
    phone.get_by_role("button", name="S'inscrire").tap()

    # Straight to the new project form.
    phone.get_by_label(re.compile("^Nom du projet")).fill("Cerf-volant delta")
    phone.get_by_label(re.compile("^En une phrase")).fill("Un cerf-volant en toile de spi.")
    phone.get_by_role("button", name="Créer le projet").tap()

    bar = phone.locator(".publish-bar")
    expect(bar).to_contain_text("Brouillon")
    expect(bar).to_contain_text("tout le monde pourra le voir")
    project_url = phone.url
    assert re.search(r"/projects/cerf-volant-delta/$", project_url), project_url
    project = orm(ProjectPage.objects.get, slug="cerf-volant-delta")
    assert project.live is False

    # Nobody else sees the draft: not its page, not the listings.
    assert visitor.goto(project_url).status == 404
    visitor.goto(f"{live_url}/projects/")
    expect(visitor.locator("main")).not_to_contain_text("Cerf-volant delta")

    # The bar says it will not be listed without content, and leads to the presentation.
    bar.get_by_role("link", name="présentation").tap()
    phone.locator("textarea").first.fill("Avec Léo, un delta de 1,20 m, cousu à la main.")
    phone.get_by_role("button", name="Enregistrer").tap()
    expect(bar).to_contain_text("Il apparaîtra aussi dans les listes de projets")

    # A first trial in the draft's journal, with a photo and its caption.
    phone.goto(f"{project_url}journal/new/")
    phone.get_by_role("textbox", name=re.compile("^Que s'est-il passé")).fill("Premier vol.")
    jpeg = image_bytes(size=(640, 480), image_format="JPEG")
    phone.locator("input[type=file][data-photo-input]").set_input_files(
        [{"name": "vol.jpg", "mimeType": "image/jpeg", "buffer": jpeg}]
    )
    phone.get_by_label("Légende (facultative)").fill("Le delta au-dessus de la plage")
    phone.get_by_role("button", name="Enregistrer").tap()
    expect(phone.locator(".gallery figcaption")).to_have_text("Le delta au-dessus de la plage")

    # The preview: the page as others will see it, without the editing links.
    bar.get_by_role("link", name="Aperçu").tap()
    expect(phone.locator(".publish-bar--preview")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("cousu à la main")
    expect(phone.locator("main")).to_contain_text("Le delta au-dessus de la plage")
    expect(phone.locator(".edit-link")).to_have_count(0)
    expect(phone.locator(".completeness")).to_have_count(0)
    phone.get_by_role("button", name="Publier").tap()

    expect(phone.get_by_text("Votre projet est publié.")).to_be_visible()
    assert orm(ProjectPage.objects.get, slug="cerf-volant-delta").live is True
    assert visitor.goto(project_url).status == 200
    expect(visitor.get_by_role("img", name="Le delta au-dessus de la plage")).to_be_visible()
    visitor.goto(f"{live_url}/projects/")
    expect(visitor.locator("main")).to_contain_text("Cerf-volant delta")

    # And back to draft, in one tap.
    phone.locator(".publish-bar--live").get_by_role("button").tap()
    expect(phone.locator(".publish-bar")).to_contain_text("Brouillon")
    assert visitor.goto(project_url).status == 404


def build_lab():
    member = UserFactory(display_name="Inès Martin", badge_uid="04:A1:B2:C3")
    box = ProjectPageFactory(owner=member, title="Boîte à bijoux en contreplaqué")
    lamp = ProjectPageFactory(owner=member, title="Lampe origami")
    # Another member's project she helps with, changed last of all.
    shared = ProjectPageFactory(title="Borne d'arcade bartop")
    shared.collaborators.set([member])
    shared.save()
    now = timezone.now()
    for minutes, project in ((30, box), (20, lamp), (0, shared)):  # the box changed first
        ProjectPage.objects.filter(pk=project.pk).update(
            latest_revision_created_at=now - timedelta(minutes=minutes)
        )
    machine = MachineFactory(name="Trotec Speedy 300", slug="trotec-speedy-300")
    event_token = machine_services.machine_token_rotate(machine=machine)
    machine_services.machine_kiosk_token_rotate(machine=machine)
    return member, box, machine, event_token


def test_a_quick_log_from_a_running_job_files_it_under_the_project_its_file_names(
    orm, live_url, browser
):
    member, box, machine, event_token = orm(build_lab)
    titles = ("Boîte à bijoux", "Lampe origami", "Borne d'arcade")

    phone_context = browser.new_context(**PHONE, **FRENCH)
    phone_context.add_cookies([orm(session_cookie, live_url, member)])
    phone = phone_context.new_page()
    phone.goto(f"{live_url}/projects/")
    kiosk = browser.new_context(**TABLET, **FRENCH).new_page()
    kiosk.goto(f"{live_url}{machine.kiosk_url}")

    post_event(
        live_url,
        machine,
        event_token,
        event="start",
        job_id="cut-7",
        badge_uid="04a1b2c3",
        file_name="boite-a-bijoux_v2.svg",
        estimated_seconds=20 * 60,
    )
    job = orm(MachineJob.objects.get, machine=machine, external_id="cut-7")
    running = kiosk.locator(f'main[data-live] [data-job="{job.pk}"]')
    expect(running).to_contain_text("Inès Martin", timeout=LIVE_TIMEOUT_MS)
    for title in titles:  # no guess on a screen everyone sees
        expect(running).not_to_contain_text(title)

    banner = phone.locator(".job-banner")
    banner.get_by_role("link", name="Noter ce que vous essayez").tap(timeout=LIVE_TIMEOUT_MS)
    # The guess from the file, in a select she may change in the same form.
    expect(phone.get_by_label(re.compile("^Projet"))).to_have_value(str(box.pk))
    phone.get_by_label(re.compile("^Qu'est-ce que vous essayez")).fill("Charnière vivante.")
    phone.get_by_role("button", name="Enregistrer dans mon journal").tap()
    expect(phone.get_by_text("Bonne découpe")).to_be_visible()

    entry = orm(JournalEntry.objects.get, job=job)
    assert (entry.project_id, entry.author_id) == (box.pk, member.pk)
    # Logged: the banner invites no second entry; the kiosk names the chosen project.
    expect(banner).to_contain_text("Noté dans votre journal", timeout=LIVE_TIMEOUT_MS)
    expect(banner.get_by_role("link", name="Noter ce que vous essayez")).to_have_count(0)
    expect(running).to_contain_text("Boîte à bijoux", timeout=LIVE_TIMEOUT_MS)

    # The machine reports a failure: no green tick on the phone, one word on the kiosk.
    post_event(live_url, machine, event_token, event="finish", job_id="cut-7", outcome="failed")
    expect(banner).to_contain_text("a échoué", timeout=LIVE_TIMEOUT_MS)
    expect(banner).not_to_contain_text("✓")
    expect(kiosk.locator(".kiosk-job__status")).to_have_text("Échoué", timeout=LIVE_TIMEOUT_MS)
    phone_context.close()
