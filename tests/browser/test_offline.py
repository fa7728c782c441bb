"""Work is never lost, at phone size: a journal entry saved without network waits in the phone,
survives a reload with its text and photo, and is sent once when the network returns; a form
left with unsaved text warns, and keeps a draft that comes back.

Real server (uvicorn), real browser (Chromium). Playwright's offline mode leaves a service
worker's own requests alone, so the test cuts those too: the worker's network events are
turned on for this module, and its requests are refused while the phone is offline."""

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import JournalEntry
from tests.helpers import image_bytes
from users.factories import UserFactory

from .conftest import ENGLISH, PHONE
from .test_machine_prompt import session_cookie

pytestmark = pytest.mark.browser

ENTRY_TEXT = "Découpe du couvercle : le bouleau a brûlé sur les bords."
SECTION_TEXT = "Une boîte à bijoux en bouleau, gravée au laser."


@pytest.fixture(autouse=True)
def service_worker_requests_visible(monkeypatch):
    # Read by Playwright's driver when the `browser` fixture starts it.
    monkeypatch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


def build_project():
    member = UserFactory(display_name="Léa Martin")
    project = services.project_create(
        owner=member, title="Boîte à bijoux", summary="Une boîte gravée."
    )
    return member, project


def phone_of(browser, orm, live_url, member):
    context = browser.new_context(**PHONE, **ENGLISH)
    context.add_cookies([orm(session_cookie, live_url, member)])
    return context


class Network:
    """The phone's network; `refused` lists what the service worker asked for while offline."""

    def __init__(self, context):
        self.context = context
        self.refused = []

    def refuse_worker_requests(self, route):
        if route.request.service_worker:
            self.refused.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.fallback()

    def cut(self):
        self.context.set_offline(True)
        self.context.route("**/*", self.refuse_worker_requests)

    def restore(self):
        self.context.unroute("**/*", self.refuse_worker_requests)
        self.context.set_offline(False)


def kept_for_offline(page):
    """Waits until the service worker controls the page and the page is kept for offline use."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "async () => Boolean(await (await caches.open('carnet-pages')).match(location.href))"
    )


def chosen_photos(page) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelector('input[type=file][name=photos]').files, (f) => f.name)"
    )


def test_a_journal_entry_saved_offline_survives_a_reload_and_is_sent_once(orm, live_url, browser):
    member, project = orm(build_project)
    form_url = f"{live_url}/projects/{project.slug}/journal/new/"
    phone_context = phone_of(browser, orm, live_url, member)
    phone = phone_context.new_page()
    phone.goto(form_url)
    kept_for_offline(phone)

    phone.locator("textarea[name=body]").fill(ENTRY_TEXT)
    phone.locator("input[type=file][name=photos]").set_input_files(
        {"name": "couvercle.png", "mimeType": "image/png", "buffer": image_bytes((64, 48))}
    )
    network = Network(phone_context)
    network.cut()
    phone.get_by_role("button", name="Save").click()
    outbox = phone.locator("#outbox")
    expect(outbox).to_contain_text("Waiting for the network — it will be sent")
    assert phone.url == form_url

    # Without network, the page comes back from the phone itself, with the text and the photo.
    phone.reload()
    assert form_url in network.refused  # so the page came from what the phone kept
    expect(phone.locator("textarea[name=body]")).to_have_value(ENTRY_TEXT)
    expect(phone.locator(".draft-note")).to_contain_text("Draft restored")
    expect(outbox).to_contain_text("Waiting for the network — it will be sent")
    assert chosen_photos(phone) == ["couvercle.png"]
    assert orm(JournalEntry.objects.count) == 0

    # The network returns while a second page is open too: both try to send, one entry is made.
    other_page = phone_context.new_page()
    network.restore()
    other_page.goto(f"{live_url}{project.url}")
    expect(outbox).to_contain_text("Sent: it is in the journal.")
    expect(outbox).not_to_contain_text("Waiting for the network")
    expect(phone.locator("textarea[name=body]")).to_have_value("")
    assert chosen_photos(phone) == []

    entry = orm(JournalEntry.objects.get)
    assert entry.body == ENTRY_TEXT
    assert orm(lambda: [photo.title for photo in entry.photos.all()]) != []
    # Opened again, the form is empty: the draft went with the sending.
    phone.goto(form_url)
    expect(phone.locator("textarea[name=body]")).to_have_value("")
    expect(phone.locator(".draft-note")).to_have_count(0)
    other_page.reload()
    assert orm(JournalEntry.objects.count) == 1
    phone_context.close()


def test_leaving_a_form_with_unsaved_text_warns_and_the_draft_comes_back(orm, live_url, browser):
    member, project = orm(build_project)
    edit_url = f"{live_url}/projects/{project.slug}/edit/presentation/"
    context = phone_of(browser, orm, live_url, member)
    page = context.new_page()
    dialogs = []

    def answer(dialog, stay: bool):
        dialogs.append(dialog.type)
        dialog.dismiss() if stay else dialog.accept()

    page.goto(edit_url)
    text = page.locator("textarea[name=text]")
    text.click()
    text.press_sequentially(SECTION_TEXT)

    # Leaving asks first; "stay" keeps the page and what is typed.
    page.once("dialog", lambda dialog: answer(dialog, stay=True))
    page.get_by_role("link", name="Cancel").click()
    expect(text).to_have_value(SECTION_TEXT)
    assert dialogs == ["beforeunload"]
    assert page.url == edit_url

    page.once("dialog", lambda dialog: answer(dialog, stay=False))
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"{live_url}{project.url}*")
    assert dialogs == ["beforeunload", "beforeunload"]

    # Back on the form: the draft is there, said plainly.
    page.goto(edit_url)
    expect(text).to_have_value(SECTION_TEXT)
    expect(page.locator(".draft-note")).to_contain_text("Draft restored")

    # Saving leaves without a warning, and the draft is forgotten once the server has it.
    page.on("dialog", lambda dialog: answer(dialog, stay=True))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_url}{project.url}*")
    expect(page.locator(".message--success")).to_be_visible()
    assert len(dialogs) == 2
    page.goto(edit_url)
    expect(text).to_have_value(SECTION_TEXT)
    expect(page.locator(".draft-note")).to_have_count(0)
    context.close()
