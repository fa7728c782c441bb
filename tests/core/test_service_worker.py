"""/sw.js: the service worker of static/js/offline.js, served from the root so that its scope
covers every page, asked again at every visit, and precaching only files that exist."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import TestCase

from core.views import OFFLINE_ASSETS
from tests.helpers import EnglishClient
from users.factories import UserFactory


class TestServiceWorker(TestCase):
    def get(self, client=None):
        return (client or EnglishClient()).get("/sw.js")

    def test_it_is_a_script_for_the_whole_site_that_browsers_ask_for_again(self):
        member_client = EnglishClient()
        member_client.force_login(UserFactory())
        for who, client in (("visitor", EnglishClient()), ("member", member_client)):
            with self.subTest(who):
                response = self.get(client)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response["Content-Type"].startswith("text/javascript"))
                self.assertEqual(response["Service-Worker-Allowed"], "/")
                self.assertIn("no-cache", response["Cache-Control"])
                self.assertNotIn("public", response["Cache-Control"])
                self.assertNotIn("s-maxage", response["Cache-Control"])
                self.assertFalse(response.cookies)

    def test_every_file_it_keeps_for_offline_use_exists(self):
        # One missing file and the browser refuses the whole worker.
        script = self.get().content.decode()
        assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", script).group(1))
        self.assertTrue(assets)
        for url in assets:
            with self.subTest(url):
                self.assertTrue(url.startswith(settings.STATIC_URL))
                self.assertTrue(finders.find(url.removeprefix(settings.STATIC_URL)), url)

    def test_it_keeps_every_file_that_every_page_loads(self):
        base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
        loaded = set(re.findall(r"\{% static '([^']+)' %\}", base))
        self.assertTrue(loaded)
        self.assertLessEqual(loaded, set(OFFLINE_ASSETS))

    def test_only_reading_is_allowed(self):
        self.assertEqual(EnglishClient().post("/sw.js").status_code, 405)

    def test_members_pages_register_it_and_visitors_pages_do_not(self):
        client = EnglishClient()
        visitor_page = client.get("/").content.decode()
        self.assertNotIn("offline.js", visitor_page)
        self.assertNotIn('id="outbox"', visitor_page)
        client.force_login(UserFactory())
        member_page = client.get("/").content.decode()
        self.assertIn('data-service-worker="/sw.js"', member_page)
        self.assertIn("js/drafts.js", member_page)
        self.assertIn("js/offline.js", member_page)
