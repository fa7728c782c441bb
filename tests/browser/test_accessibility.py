"""axe-core (from npm: `make node_modules`) on Carnet's main pages, at phone and desktop width,
as a visitor, a member and staff: no critical and no serious violation.

axe is evaluated through the DevTools protocol, so the strict Content-Security-Policy stays on
and the pages are checked as served."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE
from tests.browser.main_pages import USERNAMES, VISITOR, build_main_pages, log_in
from tests.real_services import unavailable

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
BLOCKING = {"critical", "serious"}


def axe_violations(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(violation: dict) -> str:
    targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
    return f"{violation['impact']} {violation['id']} ({violation['help']}): {targets}"


def test_main_pages_have_no_critical_or_serious_axe_violation(orm, live_url, browser):
    if not AXE.exists():
        unavailable("axe-core not installed (make node_modules)")
    axe_source = AXE.read_text()
    pages = orm(build_main_pages)
    found = []
    for device_name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        for who in [VISITOR, *USERNAMES]:
            context = browser.new_context(**device, **FRENCH)
            page = context.new_page()
            if who != VISITOR:
                log_in(page, live_url, USERNAMES[who])
            for main_page in (p for p in pages if p.who == who):
                response = page.goto(f"{live_url}{main_page.path}")
                assert response.ok, (main_page, response.status)
                found += [
                    f"{device_name}, {main_page.name} ({main_page.path}): {describe(violation)}"
                    for violation in axe_violations(page, axe_source)
                    if violation["impact"] in BLOCKING
                ]
            context.close()
    assert not found, "\n".join(found)
