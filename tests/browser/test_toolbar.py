"""The formatting toolbar above long text fields, on a phone: select words, tap a button, the
marks appear around them; saved, the page shows the formatting. Keyboard users reach every
button from one tab stop.

Real server (uvicorn), real browser (Chromium, phone viewport, English)."""

import pytest
from playwright.sync_api import expect

from projects import services
from users.factories import UserFactory

from .conftest import ENGLISH, PHONE
from .test_machine_prompt import session_cookie

pytestmark = pytest.mark.browser

# The smallest comfortable touch target (WCAG 2.5.5).
TOUCH_TARGET_PX = 44


def build_project():
    member = UserFactory(display_name="Léa Martin")
    project = services.project_create(
        owner=member, title="Lampe de chevet", summary="Une lampe en bouleau."
    )
    return member, project.get_url(), project.slug


def select_last_characters(page, count: int) -> None:
    page.keyboard.press("End")
    for _ in range(count):
        page.keyboard.press("Shift+ArrowLeft")


def test_tap_bold_on_selected_words_then_save_shows_them_bold(orm, live_url, browser):
    member, project_url, slug = orm(build_project)
    context = browser.new_context(**PHONE, **ENGLISH)
    context.add_cookies([orm(session_cookie, live_url, member)])
    page = context.new_page()
    page.goto(f"{live_url}/projects/{slug}/edit/presentation/")

    field = page.get_by_role("textbox", name="Presentation")
    toolbar = page.get_by_role("toolbar", name="Formatting: Presentation")
    expect(toolbar).to_be_visible()
    # Right above the text it formats, every button big enough for a thumb.
    assert toolbar.bounding_box()["y"] < field.bounding_box()["y"]
    for button in toolbar.get_by_role("button").all():
        box = button.bounding_box()
        assert box["width"] >= TOUCH_TARGET_PX and box["height"] >= TOUCH_TARGET_PX, box

    field.fill("A sturdy lamp")
    select_last_characters(page, len("sturdy lamp"))
    toolbar.get_by_role("button", name="Bold").tap()
    expect(field).to_have_value("A **sturdy lamp**")
    # The words stay selected and the field focused: typing goes on where the member was.
    assert page.evaluate("document.activeElement.id") == field.get_attribute("id")

    page.get_by_role("button", name="Save").tap()
    expect(page).to_have_url(f"{live_url}{project_url}#presentation")
    expect(page.locator("#presentation .prose strong")).to_have_text("sturdy lamp")
    context.close()


def test_every_button_from_the_keyboard(orm, live_url, browser):
    member, _project_url, slug = orm(build_project)
    context = browser.new_context(**PHONE, **ENGLISH)
    context.add_cookies([orm(session_cookie, live_url, member)])
    page = context.new_page()
    page.goto(f"{live_url}/projects/{slug}/edit/methodology/")
    field = page.get_by_role("textbox", name="Methodology")
    toolbar = page.get_by_role("toolbar")
    buttons = toolbar.get_by_role("button")

    # Each button, on the word "glue" selected at the end of the text, and what it writes.
    expected = {
        "Bold": "Sand then **glue**",
        "Italics": "Sand then *glue*",
        "Heading": "## Sand then glue",
        "Bulleted list": "- Sand then glue",
        "Numbered list": "1. Sand then glue",
        "Link": "Sand then [glue](https://)",
        "Code": "Sand then `glue`",
    }
    assert [button.get_attribute("aria-label") for button in buttons.all()] == list(expected)
    for position, (name, result) in enumerate(expected.items()):
        field.fill("Sand then glue")
        select_last_characters(page, len("glue"))
        # One tab stop for the whole toolbar, then the arrow keys.
        page.keyboard.press("Shift+Tab")
        expect(toolbar.locator(":focus")).to_have_count(1)
        page.keyboard.press("Home")
        for _ in range(position):
            page.keyboard.press("ArrowRight")
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        expect(field).to_have_value(result)
        expect(field).to_be_focused()

    # The shortcut, pressed again on marked words, takes the marks away.
    field.fill("Sand then glue")
    select_last_characters(page, len("glue"))
    page.keyboard.press("Control+B")
    expect(field).to_have_value("Sand then **glue**")
    page.keyboard.press("Control+B")
    expect(field).to_have_value("Sand then glue")
    context.close()
