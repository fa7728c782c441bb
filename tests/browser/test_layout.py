"""Layouts on a phone (390 × 844): no main page scrolls sideways, none moves while it loads
(the menu is folded by the style sheet from the first paint), and search shows its results
before its filters."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.factories import JournalEntryFactory, ProjectPageFactory
from tests.browser.conftest import PHONE
from tests.browser.main_pages import USERNAMES, VISITOR, build_main_pages, log_in

pytestmark = pytest.mark.browser

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
CLS_TARGET = 0.05
# Sums the layout shifts of the page's life (those not caused by the reader's input), as
# Lighthouse's cumulative layout shift does, from before the first paint.
MEASURE_LAYOUT_SHIFT = """
window.__layoutShift = 0;
new PerformanceObserver(function (list) {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""
# Elements wider than the window, named for the failure message.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return Array.from(document.querySelectorAll("body *"))
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase() + "." + element.className);
}"""


def build_laser_projects():
    """Enough to search for "laser": two projects and their journal entries (two facet types)."""
    for title in ("Boîte gravée au laser", "Lampe découpée au laser"):
        JournalEntryFactory(project=ProjectPageFactory(title=title), title=f"{title} : réglages")


def test_no_main_page_scrolls_sideways_or_shifts_while_loading_on_a_phone(orm, live_url, browser):
    pages = orm(build_main_pages)
    problems = []
    for who in [VISITOR, *USERNAMES]:
        context = browser.new_context(**PHONE, **FRENCH)
        context.add_init_script(MEASURE_LAYOUT_SHIFT)
        page = context.new_page()
        if who != VISITOR:
            log_in(page, live_url, USERNAMES[who])
        for main_page in (p for p in pages if p.who == who):
            page.goto(f"{live_url}{main_page.path}", wait_until="load")
            if wider := page.evaluate(OVERFLOWING):
                problems.append(f"{main_page.name} ({main_page.path}) scrolls sideways: {wider}")
            shift = page.evaluate("window.__layoutShift")
            if shift >= CLS_TARGET:
                problems.append(f"{main_page.name} ({main_page.path}) shifts by {shift:.3f}")
            expect(page.locator("#site-menu")).to_be_hidden()
        context.close()
    assert not problems, "\n".join(problems)


def test_phone_menu_is_folded_without_javascript_too_and_opens_from_its_button(
    orm, live_url, browser
):
    orm(build_laser_projects)
    # Without the script: folded by the style sheet alone, unfolded by the ☰ link.
    context = browser.new_context(**PHONE, **FRENCH, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/")
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()
    page.locator(".menu-toggle").click()
    expect(menu.get_by_role("link", name="Projets", exact=True)).to_be_visible()
    context.close()

    # With it: a toggle button that says whether it is open.
    context = browser.new_context(**PHONE, **FRENCH)
    page = context.new_page()
    page.goto(f"{live_url}/")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.locator("#site-menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Projets", exact=True)).to_be_visible()
    assert page.url == f"{live_url}/"
    toggle.click()
    expect(menu).to_be_hidden()
    context.close()


def test_search_on_a_phone_shows_results_first_and_folds_the_filters(orm, live_url, browser):
    orm(build_laser_projects)
    context = browser.new_context(**PHONE, **FRENCH)
    page = context.new_page()
    page.goto(f"{live_url}{reverse('search:search')}?q=laser")
    results = page.locator(".results > li")
    expect(results.first).to_be_visible()
    filters = page.locator("details.search-filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator(".facet").first).to_be_hidden()
    # The first result starts within the first screen.
    assert results.first.bounding_box()["y"] < PHONE["viewport"]["height"] / 2

    # A filter chosen: still folded, and its summary counts it.
    page.locator("#facets-title").click()
    page.locator(".facet a").first.click()
    expect(page.locator("#facets-title")).to_contain_text("1 filtre")
    expect(page.locator(".facet").first).to_be_hidden()
    expect(page.locator(".results > li").first).to_be_visible()
    context.close()


def test_search_filters_are_an_open_column_on_a_wide_screen(orm, live_url, browser):
    orm(build_laser_projects)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **FRENCH)
    page = context.new_page()
    page.goto(f"{live_url}{reverse('search:search')}?q=laser")
    expect(page.locator(".facet").first).to_be_visible()
    expect(page.locator("details.search-filters")).to_have_attribute("open", "")
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".search-results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"], (facets, results)
    context.close()
