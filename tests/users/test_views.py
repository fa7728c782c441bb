"""Accounts: log in and out, password reset, the member's own profile edit (sign-up is in
test_signup.py; the public profile in tests/members)."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import TestCase

from tests.helpers import EnglishClient, image_upload, login, text_upload
from users.factories import DEFAULT_PASSWORD, UserFactory
from users.models import User


class TestLoginLogout(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="dominique")

    def test_login_form_is_shown(self):
        self.assertEqual(self.client.get("/accounts/login/").status_code, 200)

    def test_right_password_logs_in_and_follows_next(self):
        response = self.client.post(
            "/accounts/login/",
            {"username": "dominique", "password": DEFAULT_PASSWORD, "next": "/projects/new/"},
        )
        self.assertRedirects(response, "/projects/new/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.member.pk)

    def test_wrong_password_shows_the_form_again(self):
        response = self.client.post(
            "/accounts/login/", {"username": "dominique", "password": "wrong"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_logout_by_post_logs_out(self):
        login(self.client, self.member)
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotIn(SESSION_KEY, self.client.session)


class TestPasswordReset(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(email="alex@example.org")

    def test_form_is_shown(self):
        self.assertEqual(self.client.get("/accounts/password-reset/").status_code, 200)

    def test_sends_a_working_link_that_sets_a_new_password(self):
        response = self.client.post("/accounts/password-reset/", {"email": "alex@example.org"})
        self.assertRedirects(response, "/accounts/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alex@example.org"])
        self.assertNotIn("\n", message.subject)
        link = re.search(
            r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)", message.body
        )
        self.assertIsNotNone(link, message.body)

        form_page = self.client.get(link.group(1), follow=True)
        self.assertEqual(form_page.status_code, 200)
        self.assertTrue(form_page.context["validlink"])
        set_password_url = form_page.redirect_chain[-1][0]
        response = self.client.post(
            set_password_url,
            {"password1": "new-birch-plywood-9", "password2": "new-birch-plywood-9"},
        )
        self.assertRedirects(response, "/accounts/password-reset/complete/")
        self.member.refresh_from_db()
        self.assertTrue(self.member.check_password("new-birch-plywood-9"))

    def test_unknown_address_sends_nothing_but_looks_the_same(self):
        response = self.client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
        self.assertRedirects(response, "/accounts/password-reset/sent/")
        self.assertEqual(mail.outbox, [])

    def test_tampered_link_is_refused(self):
        response = self.client.get("/accounts/password-reset/MQ/bad-token/")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["validlink"])


class TestProfileEdit(TestCase):
    client_class = EnglishClient
    url = "/accounts/profile/"

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(username="sacha")

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(self.url)
        self.assertRedirects(
            response, "/accounts/login/?next=/accounts/profile/", fetch_redirect_response=False
        )

    def test_form_is_shown_with_current_values(self):
        login(self.client, self.member)
        response = self.client.get(self.url)
        self.assertContains(response, self.member.display_name)

    def test_saves_profile_and_shows_the_public_page(self):
        login(self.client, self.member)
        response = self.client.post(
            self.url,
            {
                "display_name": "Sacha L.",
                "bio": "Je *découpe*.",
                "skills": "laser, impression 3D",
                "badge_uid": "  04aa-bb  ",
                "avatar": image_upload("me.png"),
            },
        )
        self.assertRedirects(response, "/members/sacha/")
        member = User.objects.get(pk=self.member.pk)
        self.assertEqual(member.display_name, "Sacha L.")
        # Stored in the one spelling the machines' events are matched against.
        self.assertEqual(member.badge_uid, "04:AA:BB")
        self.assertEqual(sorted(t.name for t in member.skills.all()), ["impression 3D", "laser"])
        self.assertTrue(member.avatar.name.startswith("avatars/"))

    def test_empty_badge_is_stored_as_null_so_many_members_can_have_none(self):
        # The usual case: the browser sends badge_uid="" when the member has no badge.
        UserFactory(badge_uid=None)
        login(self.client, self.member)
        response = self.client.post(self.url, {"display_name": "Sacha", "badge_uid": ""})
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(User.objects.get(pk=self.member.pk).badge_uid)

    def test_avatar_that_is_not_an_image_is_refused_and_text_is_kept(self):
        login(self.client, self.member)
        response = self.client.post(
            self.url,
            {
                "display_name": "Sacha typed this",
                "badge_uid": "B1",
                "avatar": text_upload("me.jpg"),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("avatar", response.context["form"].errors)
        self.assertContains(response, "Sacha typed this")
        self.assertFalse(User.objects.get(pk=self.member.pk).avatar)

    def test_the_username_can_be_changed_but_not_to_one_taken(self):
        UserFactory(username="Camille")
        login(self.client, self.member)
        response = self.client.post(self.url, {"display_name": "Sacha", "username": "camille"})
        self.assertContains(response, "Another member already uses this username.")
        self.assertContains(response, 'value="camille"')
        response = self.client.post(self.url, {"display_name": "Sacha", "username": "sacha-l"})
        self.assertRedirects(response, "/members/sacha-l/", fetch_redirect_response=False)
        self.assertEqual(User.objects.get(pk=self.member.pk).username, "sacha-l")

    def test_a_badge_number_already_used_is_refused_in_plain_words(self):
        UserFactory(badge_uid="04:AA:BB")
        login(self.client, self.member)
        response = self.client.post(self.url, {"display_name": "Sacha", "badge_uid": "04aabb"})
        self.assertContains(response, "Another member already has this badge number.")
        self.assertNotContains(response, "UID")
