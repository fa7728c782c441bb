"""The registry's promise (visibility/registry.py): a type with no registered rule is refused
everywhere — `can_view`, search audiences, the pages API, the sitemap — and every page type of
Carnet has a rule, the open ones included, so that "open" is a decision and not an omission."""

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase
from wagtail.models import Page, get_page_models

from home.models import HomePage
from tribes.models import TribeIndexPage, TribeMembership, TribePage
from users.factories import UserFactory
from visibility import registry
from visibility.policy import audiences_for, audiences_of, can_view
from visibility.registry import OpenPageRule

API = "/api/v2/pages"


class TestATypeWithoutARuleIsRefusedEverywhere(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()
        cls.staff = UserFactory(staff=True)
        cls.home = HomePage.objects.get()
        # Wagtail's plain Page: a published page of a type no app registered a rule for.
        cls.page = cls.home.add_child(instance=Page(title="Sans règle", slug="sans-regle"))
        cls.tribe = TribePage(title="Tribu publique", slug="tribu-publique")
        TribeIndexPage.objects.get().add_child(instance=cls.tribe)
        cls.readers = (AnonymousUser(), cls.member, cls.staff)

    def api_ids(self) -> set[int]:
        response = self.client.get(f"{API}/", {"limit": 20})
        self.assertEqual(response.status_code, 200)
        return {item["id"] for item in response.json()["items"]}

    def sitemap(self) -> str:
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_page_type_has_no_rule(self):
        self.assertIsNone(registry.rule_for(Page))

    def test_can_view_refuses_it_to_everyone_staff_included(self):
        for reader in self.readers:
            with self.subTest(reader=str(reader)):
                self.assertFalse(can_view(reader, self.page))

    def test_a_model_without_a_rule_is_refused_too(self):
        membership = TribeMembership.objects.create(tribe=self.tribe, user=self.member)
        self.assertIsNone(registry.rule_for(TribeMembership))
        for reader in self.readers:
            self.assertFalse(can_view(reader, membership))
        self.assertEqual(audiences_for(membership), set())

    def test_search_gives_it_no_audience(self):
        self.assertEqual(audiences_for(self.page), set())
        for reader in (AnonymousUser(), self.member):
            self.assertFalse(audiences_for(self.page) & audiences_of(reader))

    def test_the_pages_api_does_not_serve_it(self):
        self.assertNotIn(self.page.pk, self.api_ids())
        self.assertEqual(self.client.get(f"{API}/{self.page.pk}/").status_code, 404)
        found = self.client.get(f"{API}/find/", {"html_path": self.page.url})
        self.assertEqual(found.status_code, 404)
        # Its registered neighbours are served.
        self.assertLessEqual({self.home.pk, self.tribe.pk}, self.api_ids())

    def test_the_sitemap_does_not_list_it(self):
        body = self.sitemap()
        self.assertNotIn("/sans-regle/", body)
        self.assertIn("/tribu-publique/", body)

    def test_its_page_is_not_served_to_anyone(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(self.page.url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.page.url).status_code, 404)
        # Its registered neighbour is.
        self.assertEqual(self.client.get(self.tribe.url).status_code, 200)

    def test_a_public_tribe_whose_rule_is_removed_is_refused_everywhere(self):
        with mock.patch.dict(registry._rules):
            del registry._rules[TribePage]
            for reader in self.readers:
                self.assertFalse(can_view(reader, self.tribe))
            self.assertEqual(audiences_for(self.tribe), set())
            self.assertNotIn(self.tribe.pk, self.api_ids())
            self.assertEqual(self.client.get(f"{API}/{self.tribe.pk}/").status_code, 404)
            self.assertNotIn("/tribu-publique/", self.sitemap())
            self.assertEqual(self.client.get(self.tribe.url).status_code, 404)
        # And back once the rule is registered again.
        self.assertTrue(can_view(AnonymousUser(), self.tribe))
        self.assertIn(self.tribe.pk, self.api_ids())

    def test_what_is_not_a_model_is_a_programming_error(self):
        with self.assertRaises(TypeError):
            can_view(self.member, object())


class TestEveryPageTypeHasARule(TestCase):
    def carnet_page_types(self) -> list[type[Page]]:
        return [model for model in get_page_models() if model is not Page]

    def test_every_page_type_is_registered(self):
        missing = [m.__name__ for m in self.carnet_page_types() if registry.rule_for(m) is None]
        self.assertEqual(missing, [], "register a rule in the app's visibility.py")

    def test_the_open_page_types_are_open_on_purpose(self):
        """Open to anyone once published: a new open page type is added here deliberately."""
        open_types = {
            model.__name__
            for model in self.carnet_page_types()
            if isinstance(registry.rule_for(model), OpenPageRule)
        }
        self.assertEqual(
            open_types,
            {
                "HomePage",
                "ProjectIndexPage",
                "TribeIndexPage",
                "CallIndexPage",
                "ShowcaseIndexPage",
                "ShowcasePage",
            },
        )

    def test_every_page_type_is_served_by_the_api_when_public(self):
        """Every page type has a public face; which of its pages are public is its rule's."""
        for model in self.carnet_page_types():
            with self.subTest(model=model.__name__):
                self.assertTrue(registry.rule_for(model).serves_pages)
