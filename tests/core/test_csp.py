"""Every HTML page carries the strict Content-Security-Policy, and no template needs it to be
looser: no inline script without a nonce, no inline style, no on* event attribute."""

import base64
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.template import loader
from django.test import TestCase

from calls.factories import CallForProjectsPageFactory
from calls.models import CallIndexPage
from machines.factories import MachineFactory
from machines.services import machine_kiosk_token_rotate
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectIndexPage
from showcases.factories import ShowcasePageFactory
from showcases.models import ShowcaseIndexPage
from tests.helpers import EnglishClient, login
from tribes.factories import TribePageFactory
from tribes.models import TribeIndexPage
from users.factories import UserFactory

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
SITE_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' blob: data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    """{directive: its sources, sorted}; a page's nonce and script hashes left out."""
    parsed = {}
    for part in header.split(";"):
        name, _, sources = part.strip().partition(" ")
        kept = [s for s in sources.split() if not s.startswith(("'nonce-", "'sha256-"))]
        parsed[name] = " ".join(sorted(kept))
    return parsed


class TestEveryPageHasThePolicy(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = UserFactory(staff=True, is_superuser=True)
        cls.member = UserFactory()
        cls.project = ProjectPageFactory(title="Lampe en bois", owner=cls.member)
        cls.entry = JournalEntryFactory(project=cls.project, title="Premier essai")
        cls.tribe = TribePageFactory(title="La Machinerie")
        cls.call = CallForProjectsPageFactory(title="Une applique murale")
        cls.showcase = ShowcasePageFactory(title="Premiers pas", items=[cls.project])
        cls.machine = MachineFactory(slug="prusa")
        cls.kiosk_token = machine_kiosk_token_rotate(machine=cls.machine)

    def _pages(self):
        return {
            "home": (None, "/"),
            "projects": (None, ProjectIndexPage.objects.get().url),
            "project": (None, self.project.url),
            "journal entry": (None, self.entry.get_absolute_url()),
            "tribes": (None, TribeIndexPage.objects.get().url),
            "tribe": (None, self.tribe.url),
            "calls": (None, CallIndexPage.objects.get().url),
            "call": (None, self.call.url),
            "showcases": (None, ShowcaseIndexPage.objects.get().url),
            "showcase": (None, self.showcase.url),
            "search": (None, "/search/?q=lampe"),
            "login": (None, "/accounts/login/"),
            "sign-up": (None, "/accounts/signup/"),
            "password reset": (None, "/accounts/password-reset/"),
            "kiosk": (None, f"/machines/prusa/kiosk/?token={self.kiosk_token}"),
            "not found": (None, "/no-such-page/"),
            "new project": (self.member, "/projects/new/"),
            "journal entry form": (self.member, f"/projects/{self.project.slug}/journal/new/"),
            "member profile": (self.member, "/accounts/profile/"),
            "stats": (self.staff, "/stats/"),
            "admin login": (None, "/admin/login/"),
            "admin": (self.staff, "/admin/"),
            "admin page editor": (self.staff, f"/admin/pages/{self.project.pk}/edit/"),
        }

    def test_every_html_page_answers_with_the_policy(self):
        for name, (user, url) in self._pages().items():
            with self.subTest(page=name, url=url):
                client = EnglishClient()
                if user:
                    login(client, user)
                response = client.get(url)
                self.assertEqual(response.status_code, 404 if name == "not found" else 200)
                self.assertTrue(response["Content-Type"].startswith("text/html"))
                policy = directives(response["Content-Security-Policy"])
                for directive, sources in SITE_DIRECTIVES.items():
                    if url.startswith("/admin/") and directive in settings.CARNET_ADMIN_CSP:
                        continue
                    self.assertEqual(policy.get(directive), sources, directive)
                self.assertNotIn("'unsafe-inline'", response["Content-Security-Policy"])
                self.assertNotIn("'unsafe-eval'", response["Content-Security-Policy"])
                self.assertNotIn("http", response["Content-Security-Policy"])

    def test_the_admin_gets_only_its_measured_additions(self):
        client = login(EnglishClient(), self.staff)
        policy = directives(client.get("/admin/")["Content-Security-Policy"])
        for directive, sources in settings.CARNET_ADMIN_CSP.items():
            self.assertEqual(policy[directive], " ".join(sorted(sources)))
        self.assertEqual(policy["script-src"], "'self'")
        self.assertEqual(policy["style-src"], "'self'")
        self.assertEqual(policy["object-src"], "'none'")


class TestAdminChooserScripts(TestCase):
    def test_only_the_chooser_scripts_of_the_page_are_allowed_by_their_hash(self):
        staff = UserFactory(staff=True, is_superuser=True)
        project = ProjectPageFactory(title="Lampe")
        response = login(EnglishClient(), staff).get(f"/admin/pages/{project.pk}/edit/")
        html = response.content.decode()
        inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
        self.assertTrue(inline, "the page editor has chooser widgets")
        expected = {
            f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in inline
        }
        script_src = response["Content-Security-Policy"].split("script-src ")[1].split(";")[0]
        hashes = {source for source in script_src.split() if source.startswith("'sha256-")}
        self.assertEqual(hashes, expected)
        self.assertNotIn("'unsafe-inline'", script_src)

    def test_a_script_of_another_shape_gets_no_hash(self):
        from django.http import HttpResponse

        from core.csp import chooser_script_hashes

        for script in (
            "alert(1)",
            'new ImageChooser("id_x", {}); alert(1);',
            'new ImageChooser("id_x", {"a": 1}); fetch("//evil")',
            "new Chooser(document.cookie, {});",
        ):
            with self.subTest(script=script):
                response = HttpResponse(f"<p>x</p><script>{script}</script>")
                self.assertEqual(chooser_script_hashes(response), [])
        ok = HttpResponse('<script>new PageChooser("id_page", {"modalUrl": "/admin/"});</script>')
        self.assertEqual(len(chooser_script_hashes(ok)), 1)


class TestErrorPages(TestCase):
    def test_the_500_page_renders_without_the_database_or_inline_style(self):
        with self.assertNumQueries(0):
            html = loader.render_to_string("500.html")
        self.assertIn('rel="stylesheet"', html)
        self.assertNotIn("<style", html)


# An inline script (no src) without a nonce attribute, an inline <style> without one, an
# on*="…" event attribute, a style="…" attribute: each needs 'unsafe-inline' to work.
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
EVENT_OR_STYLE_ATTRIBUTE = re.compile(r"""\s(on[a-z]+|style)\s*=""", re.IGNORECASE)
OPENING = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def inline_code_problems(source: str) -> list[str]:
    problems = []
    for match in OPENING.finditer(source):
        element, attributes = match.group(1).lower(), match.group(2)
        if element == "script" and re.search(r"\ssrc\s*=", attributes):
            continue
        if element == "script" and re.search(
            r"""type\s*=\s*["']?application/(ld\+)?json""", attributes
        ):
            continue  # data, never run
        if "nonce" not in attributes:
            problems.append(f"inline <{element}> without a nonce: {match.group(0)}")
    for tag in TAG.finditer(source):
        attribute = EVENT_OR_STYLE_ATTRIBUTE.search(tag.group(0))
        if attribute:
            problems.append(f"{attribute.group(1)}= attribute: {tag.group(0)[:120]}")
    return problems


class TestTemplatesNeedNoInlineCode(TestCase):
    def test_the_scanner_finds_each_kind_of_inline_code(self):
        for bad in (
            "<script>alert(1)</script>",
            '<script type="module">x()</script>',
            "<style>body{}</style>",
            '<button onclick="go()">',
            "<img src=x onerror=alert(1)>",
            '<div class="a" style="color: red">',
            "<p\n  style='x'>",
        ):
            with self.subTest(bad=bad):
                self.assertTrue(inline_code_problems(bad))
        for good in (
            '<script src="/static/js/carnet.js" defer></script>',
            '<script nonce="{{ request.csp_nonce }}">x()</script>',
            '<script type="application/json" id="data">{}</script>',
            '<a href="/" data-onclick="x" aria-label="one=two">',
            "<p>online=yes</p>",
        ):
            with self.subTest(good=good):
                self.assertEqual(inline_code_problems(good), [])

    def test_no_template_has_inline_code_the_policy_would_block(self):
        templates = sorted(TEMPLATES_DIR.rglob("*.html"))
        self.assertGreater(len(templates), 50)
        problems = {
            str(path.relative_to(TEMPLATES_DIR)): found
            for path in templates
            if (found := inline_code_problems(path.read_text(encoding="utf-8")))
        }
        self.assertEqual(problems, {})
