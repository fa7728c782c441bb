"""Sign-up: a name in free text, the username made from it, an optional e-mail address, one
plain password rule, and nothing to type again after an error (forms of users/ alike)."""

import inspect
import re
from unittest import mock

from django import forms
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.utils.html import escape

from tests.helpers import EnglishClient
from users import forms as user_forms
from users.factories import UserFactory
from users.models import User

URL = "/accounts/signup/"
PASSWORD = "plywood and leds 2024"


def sign_up_data(**changes):
    return {
        "display_name": "Léa Martin",
        "email": "lea@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def typed_value_kept(response, name: str, value: str) -> bool:
    """Whether the field `name` comes back holding `value` (a text box's value attribute)."""
    html = response.content.decode()
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    return bool(field) and f'value="{escape(value)}"' in field.group(0)


class TestNothingIsRetypedAfterAnError(TestCase):
    client_class = EnglishClient

    # One case per kind of error the form can meet: each field's own, the two fields that must
    # agree, the validators of the password, and the rate limit (a whole-form error).
    ERRORS = {
        "name left blank": {"display_name": "   "},
        "name too long": {"display_name": "L" * 81},
        "malformed e-mail address": {"email": "lea at example"},
        "e-mail address already used": {"email": "taken@example.org"},
        "password too short": {"password1": "Lé 4", "password2": "Lé 4"},
        "password too common": {"password1": "password123", "password2": "password123"},
        "password only digits": {"password1": "20242024987", "password2": "20242024987"},
        "password like the name": {"password1": "lea martin", "password2": "lea martin"},
        "passwords differ": {"password2": "plywood and leds 2025"},
        "second password missing": {"password2": ""},
    }

    @classmethod
    def setUpTestData(cls):
        UserFactory(email="taken@example.org")

    def assert_everything_kept(self, response, data):
        for name in user_forms.SignupForm().fields:
            if data[name].strip():
                self.assertTrue(typed_value_kept(response, name, data[name]), name)

    def test_every_field_survives_every_kind_of_error(self):
        for case, change in self.ERRORS.items():
            with self.subTest(case):
                data = sign_up_data(**change)
                response = self.client.post(URL, data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
                self.assert_everything_kept(response, data)
                self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(User.objects.count(), 1)

    @override_settings(CARNET_SIGNUP_RATE_PER_ADDRESS="1/h")
    def test_every_field_survives_the_rate_limit(self):
        self.client.post(URL, sign_up_data(), REMOTE_ADDR="10.9.0.1")
        self.client.logout()
        data = sign_up_data(display_name="Noé Petit", email="noe@example.org")
        response = self.client.post(URL, data, REMOTE_ADDR="10.9.0.1")
        self.assertEqual(response.status_code, 429)
        self.assert_everything_kept(response, data)

    def test_password_errors_are_plain_words_shown_only_when_a_rule_fails(self):
        page = self.client.get(URL).content.decode()
        self.assertEqual(page.count("At least 8 characters."), 1)
        # Django's four rules are not listed up front.
        for rule in ("too similar", "commonly used", "entirely numeric", "can’t"):
            self.assertNotIn(rule, page)
        response = self.client.post(URL, sign_up_data(**self.ERRORS["password too short"]))
        self.assertContains(response, "Too short: use at least 8 characters.")
        self.assertNotContains(response, "This password is too short")
        response = self.client.post(URL, sign_up_data(**self.ERRORS["password too common"]))
        self.assertContains(response, "Too easy to guess")
        response = self.client.post(URL, sign_up_data(**self.ERRORS["passwords differ"]))
        self.assertContains(response, "The two passwords are not the same")


class TestEveryPasswordFieldOfUsersFormsKeepsItsValue(TestCase):
    def forms_of_users(self):
        member = UserFactory()
        return {
            user_forms.LoginForm: user_forms.LoginForm(),
            user_forms.AdminLoginForm: user_forms.AdminLoginForm(),
            user_forms.SignupForm: user_forms.SignupForm(),
            user_forms.NewPasswordForm: user_forms.NewPasswordForm(member),
            user_forms.MemberLanguagePasswordResetForm: (
                user_forms.MemberLanguagePasswordResetForm()
            ),
            user_forms.ProfileForm: user_forms.ProfileForm(instance=member),
        }

    def test_no_password_field_comes_back_empty(self):
        instances = self.forms_of_users()
        defined_here = {
            form
            for _name, form in inspect.getmembers(user_forms, inspect.isclass)
            if issubclass(form, forms.BaseForm) and form.__module__ == user_forms.__name__
        }
        # A new form in users/forms.py joins this list, so its password fields are checked too.
        self.assertEqual(defined_here, set(instances))
        for form_class, form in instances.items():
            for name, field in form.fields.items():
                if isinstance(field.widget, forms.PasswordInput):
                    with self.subTest(form=form_class.__name__, field=name):
                        self.assertTrue(field.widget.render_value)

    def test_a_wrong_password_keeps_the_username_and_the_password(self):
        UserFactory(username="dominique")
        response = EnglishClient().post(
            "/accounts/login/", {"username": "dominique", "password": "wrong password"}
        )
        self.assertTrue(typed_value_kept(response, "username", "dominique"))
        self.assertTrue(typed_value_kept(response, "password", "wrong password"))

    def test_a_refused_new_password_is_kept_in_both_fields(self):
        member = UserFactory(email="alex@example.org")
        client = EnglishClient()
        client.post("/accounts/password-reset/", {"email": "alex@example.org"})
        link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
        form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
        response = client.post(form_url, {"password1": "short", "password2": "shorter"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Too short")
        self.assertTrue(typed_value_kept(response, "password1", "short"))
        self.assertTrue(typed_value_kept(response, "password2", "shorter"))
        member.refresh_from_db()
        self.assertFalse(member.check_password("short"))


class TestNames(TestCase):
    client_class = EnglishClient

    NAMES = {
        "Léa Martin": "lea-martin",
        "  Zoë   O'Connor ": "zoe-oconnor",
        "Jean-Pierre d’Aubigné": "jean-pierre-daubigne",
        "Club Jules-Verne (CM2)": "club-jules-verne-cm2",
        "Ольга Петрова": "ольга-петрова",
        "李小龍": "李小龍",
        "مريم": "مريم",
        "🙂": "member",
    }

    def test_any_name_gives_an_account_with_a_working_profile(self):
        for number, (name, username) in enumerate(self.NAMES.items()):
            with self.subTest(name):
                client = EnglishClient()
                data = sign_up_data(display_name=name, email=f"m{number}@example.org")
                response = client.post(URL, data)
                self.assertEqual(response.status_code, 302)
                member = User.objects.get(email=f"m{number}@example.org")
                self.assertEqual(member.display_name, " ".join(name.split()))
                self.assertEqual(member.username, username)
                member.full_clean(exclude=["password"])
                self.assertEqual(client.get(member.get_absolute_url()).status_code, 200)

    def test_the_same_name_gives_numbered_usernames_whatever_the_case(self):
        UserFactory(username="Lea-Martin", email="first@example.org")
        for number, name in enumerate(["Léa Martin", "LÉA MARTIN", "Lea  Martin"]):
            EnglishClient().post(
                URL, sign_up_data(display_name=name, email=f"lea{number}@example.org")
            )
        usernames = list(
            User.objects.filter(email__startswith="lea")
            .order_by("pk")
            .values_list("username", flat=True)
        )
        self.assertEqual(usernames, ["lea-martin-2", "lea-martin-3", "lea-martin-4"])

    def test_a_username_taken_between_the_check_and_the_save_is_drawn_again(self):
        """Two members of the same name signing up at the same instant: the second gets the next
        number, not an error."""
        checked = []

        def checked_then_taken(user, *args, **kwargs):
            original(user, *args, **kwargs)
            checked.append(user.username)
            if len(checked) == 1:
                # Another sign-up saves the same username between this check and the save.
                User.objects.create(username=user.username, email="other@example.org")

        original = User.full_clean
        with mock.patch.object(User, "full_clean", checked_then_taken):
            response = self.client.post(URL, sign_up_data())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(checked, ["lea-martin", "lea-martin-2"])
        self.assertTrue(User.objects.filter(username="lea-martin-2", email="lea@example.org"))

    def test_the_welcome_tells_the_username_for_the_next_login(self):
        response = self.client.post(URL, sign_up_data(), follow=True)
        self.assertContains(response, "your username is lea-martin")


class TestEmailAndLanguage(TestCase):
    def test_email_is_optional_and_says_what_it_is_for(self):
        client = EnglishClient()
        self.assertContains(client.get(URL), "reset your password")
        response = client.post(URL, sign_up_data(email=""))
        self.assertRedirects(response, "/projects/new/", fetch_redirect_response=False)
        self.assertEqual(User.objects.get().email, "")

    @override_settings(CARNET_SIGNUP_EMAIL_REQUIRED=True)
    def test_settings_may_require_the_email(self):
        response = EnglishClient().post(URL, sign_up_data(email=""))
        self.assertEqual(response.status_code, 200)
        self.assertIn("email", response.context["form"].errors)

    def test_the_language_of_the_page_becomes_the_members(self):
        EnglishClient().post(URL, sign_up_data(email="en@example.org"))
        Client(headers={"accept-language": "fr"}).post(
            URL, sign_up_data(display_name="Noé", email="fr@example.org")
        )
        self.assertEqual(User.objects.get(email="en@example.org").language, "en")
        self.assertEqual(User.objects.get(email="fr@example.org").language, "fr")

    def test_next_address_is_followed(self):
        response = EnglishClient().post(URL, {**sign_up_data(), "next": "/tribes/"})
        self.assertRedirects(response, "/tribes/", fetch_redirect_response=False)
