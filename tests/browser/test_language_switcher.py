"""The language switcher on a phone: links in the menu and the footer, reached by keyboard,
switching the page's language; an anonymous visitor gets no cookie until they use it."""

import pytest
from playwright.sync_api import expect

from projects.factories import ProjectPageFactory

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_visitor_on_a_phone_switches_to_english_and_back(orm, live_url, browser):
    project = orm(ProjectPageFactory, title="Lampe en bois", slug="lampe-en-bois")
    # French first, like the lab's members; no Accept-Language preference for English.
    context = browser.new_context(**PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_url}/projects/{project.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert context.cookies() == []

    footer = page.locator(".site-footer .language-switcher")
    expect(footer.locator('a[aria-current="true"]')).to_have_text("FR")
    english = footer.get_by_role("link", name="EN")
    english.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/projects/{project.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(footer.locator('a[aria-current="true"]')).to_have_text("EN")
    assert [cookie["name"] for cookie in context.cookies()] == ["django_language"]

    # The menu folded behind its button holds the same links.
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-menu .language-switcher").get_by_role("link", name="FR").click()
    page.wait_for_url(f"{live_url}/projects/{project.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    context.close()
