"""Photos first, at phone size: a member adds several photos to a journal entry with the large
button, sees them before saving, captions, removes and reorders them, saves; the journal shows
them large enough to tap, with their captions, and a tap opens the lightbox, which goes to the
next photo and closes with Esc, giving the focus back.

Real server (uvicorn), real browser (Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import JournalEntry
from tests.helpers import image_bytes
from users.factories import UserFactory

from .conftest import ENGLISH, PHONE
from .test_machine_prompt import session_cookie

pytestmark = pytest.mark.browser

MIN_TARGET = 44  # px: the smallest target a thumb hits reliably


def build_project():
    member = UserFactory(display_name="Léa Martin")
    project = services.project_create(
        owner=member, title="Boîte à bijoux", summary="Une boîte gravée."
    )
    return member, project


def photo(name: str, color: str) -> dict:
    return {
        "name": name,
        "mimeType": "image/jpeg",
        "buffer": image_bytes(size=(640, 480), image_format="JPEG", color=color),
    }


def saved_photos(entry_id: int) -> list[tuple[str, str]]:
    entry = JournalEntry.objects.get(pk=entry_id)
    return [
        (image.description, image.get_rendition("width-1200").url) for image in entry.photos.all()
    ]


def test_photos_with_captions_on_a_journal_entry_then_the_lightbox(orm, live_url, browser):
    member, project = orm(build_project)
    context = browser.new_context(**PHONE, **ENGLISH)
    context.add_cookies([orm(session_cookie, live_url, member)])
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_url}/projects/{project.slug}/journal/new/")

    # One large labelled button, the width of the phone's form.
    add = page.get_by_text("Add photos", exact=False)
    expect(add).to_be_visible()
    box = add.bounding_box()
    assert box["height"] >= MIN_TARGET
    assert box["width"] >= 300

    page.get_by_role("textbox", name="What happened?").fill(
        "Découpe du couvercle : le bouleau a brûlé."
    )
    file_input = page.locator("input[type=file][data-photo-input]")
    file_input.set_input_files([photo("lid.jpg", "teal"), photo("edges.jpg", "orange")])
    file_input.set_input_files([photo("blurry.jpg", "gray")])  # chosen later, added to the others

    rows = page.locator("[data-photo-item]")
    expect(rows).to_have_count(3)
    # Previews drawn in the page before anything is sent.
    for index in range(3):
        preview = rows.nth(index).locator("img")
        expect(preview).to_have_attribute("src", re.compile(r"^blob:"))
        assert preview.evaluate("image => image.complete && image.naturalWidth > 0")

    rows.nth(2).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_label("Caption").fill("The lid")
    rows.nth(1).get_by_label("Caption").fill("Burnt edges")
    up = rows.nth(1).get_by_role("button", name="Move this photo up")
    assert up.bounding_box()["height"] >= MIN_TARGET
    assert up.bounding_box()["width"] >= MIN_TARGET
    up.click()
    expect(rows.nth(0).get_by_label("Caption")).to_have_value("Burnt edges")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/projects/{project.slug}/#journal-\d+$"))

    entry_id = orm(lambda: JournalEntry.objects.get(project=project).pk)
    photos = orm(saved_photos, entry_id)
    assert [caption for caption, _url in photos] == ["Burnt edges", "The lid"]

    gallery = page.locator(f"#journal-{entry_id} [data-gallery]")
    thumbnails = gallery.locator("a[data-lightbox]")
    expect(thumbnails).to_have_count(2)
    expect(gallery.locator("figcaption").first).to_have_text("Burnt edges")
    for index in range(2):
        size = thumbnails.nth(index).locator("img").bounding_box()
        assert size["width"] > 160 and size["height"] > 120, size

    thumbnails.first.click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    image = dialog.locator("img")
    expect(image).to_have_attribute("src", photos[0][1])  # the large rendition, not the original
    expect(image).to_have_attribute("alt", "Burnt edges")
    expect(dialog.locator("figcaption")).to_have_text("Burnt edges")
    expect(dialog).to_contain_text("Photo 1 of 2")
    close = dialog.get_by_role("button", name="Close")
    assert close.bounding_box()["height"] >= MIN_TARGET

    page.keyboard.press("ArrowRight")
    expect(dialog.locator("figcaption")).to_have_text("The lid")
    expect(dialog).to_contain_text("Photo 2 of 2")
    expect(image).to_have_attribute("src", photos[1][1])
    # The focus stays in the dialog.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    dialog.get_by_role("button", name="Previous photo").click()
    expect(dialog.locator("figcaption")).to_have_text("Burnt edges")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('a[data-lightbox]')")
    assert blocked == []
    context.close()
