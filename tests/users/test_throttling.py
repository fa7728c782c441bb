"""Guessing is throttled: logins (Carnet's page and the Wagtail admin's) by account and by
address, sign-ups by address, password-reset requests by address and by e-mail. Whoever is
refused gets the page they were on, with what they typed and when to try again."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase, override_settings

from tests.helpers import EnglishClient, login
from users.factories import DEFAULT_PASSWORD, UserFactory
from users.models import User

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Too many failed attempts to log in"
OVER_RATE = "Too many attempts in a short time."


def _attempt(url, username, password, address, client=None):
    client = client or EnglishClient()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)
    return client, response


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


class TestLoginThrottling(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = UserFactory(username="alice")
        cls.bob = UserFactory(username="bob")

    def _fail(self, times, username="alice", address="10.0.0.1", url=LOGIN):
        for _ in range(times):
            _attempt(url, username, "wrong password", address)

    def test_forty_wrong_passwords_then_the_right_one_is_refused_with_the_reason(self):
        self._fail(40)
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(_logged_in(client))
        self.assertContains(response, LOCKED, status_code=429)
        self.assertContains(response, "Try again in 15 minutes.", status_code=429)
        # The normal login page, with the username typed kept.
        self.assertContains(response, 'name="username"', status_code=429)
        self.assertContains(response, 'value="alice"', status_code=429)

    def test_the_attempt_that_reaches_the_limit_already_says_why(self):
        self._fail(settings.AXES_FAILURE_LIMIT - 1)
        _, response = _attempt(LOGIN, "alice", "still wrong", "10.0.0.1")
        self.assertContains(response, LOCKED, status_code=429)

    def test_fewer_failures_than_the_limit_do_not_stop_a_member(self):
        self._fail(settings.AXES_FAILURE_LIMIT - 1)
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(_logged_in(client))

    def test_the_account_stays_locked_from_another_address(self):
        self._fail(settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "192.0.2.7")
        self.assertContains(response, LOCKED, status_code=429)
        self.assertFalse(_logged_in(client))
        # Another account from that other address is not concerned.
        client, response = _attempt(LOGIN, "bob", DEFAULT_PASSWORD, "192.0.2.7")
        self.assertEqual(response.status_code, 302)

    def test_an_address_is_locked_for_every_account_after_its_own_limit(self):
        per_address = settings.CARNET_LOGIN_FAILURES_PER_ADDRESS
        self.assertGreater(per_address, settings.AXES_FAILURE_LIMIT)
        # Each guess on another name: no account reaches its limit, the address does.
        for number in range(per_address - 1):
            _attempt(LOGIN, f"guess{number}", "wrong", "10.0.0.9")
        client, response = _attempt(LOGIN, "bob", DEFAULT_PASSWORD, "10.0.0.9")
        self.assertEqual(response.status_code, 302, "one failure short of the address's limit")
        _attempt(LOGIN, "last-guess", "wrong", "10.0.0.9")
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.9")
        self.assertContains(response, LOCKED, status_code=429)
        self.assertFalse(_logged_in(client))
        # The same account from elsewhere is not locked.
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.10")
        self.assertEqual(response.status_code, 302)

    def test_the_lock_ends_with_the_cool_off(self):
        self._fail(40)
        _, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertEqual(response.status_code, 429)
        # The cool-off counts from the last failure (the refused right password was one).
        past = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        for attempt in AccessAttempt.objects.all():
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                attempt_time=attempt.attempt_time - past
            )
        client, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(_logged_in(client))

    def test_the_message_is_in_french_for_french_speakers(self):
        self._fail(settings.AXES_FAILURE_LIMIT)
        client = Client(headers={"accept-language": "fr"})
        _, response = _attempt(LOGIN, "alice", DEFAULT_PASSWORD, "10.0.0.1", client=client)
        self.assertContains(response, "Trop de tentatives", status_code=429)
        self.assertContains(response, "Réessayez dans 15 minutes.", status_code=429)

    def test_the_wagtail_admin_login_is_throttled_the_same_way(self):
        staff = UserFactory(username="chef", staff=True)
        staff.user_permissions.add(*_admin_access())
        self._fail(40, username="chef", url=ADMIN_LOGIN)
        client, response = _attempt(ADMIN_LOGIN, "chef", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertContains(response, LOCKED, status_code=429)
        self.assertContains(response, 'value="chef"', status_code=429)
        self.assertFalse(_logged_in(client))
        # Failures on either door count for the account on both.
        client, response = _attempt(LOGIN, "chef", DEFAULT_PASSWORD, "10.0.0.2")
        self.assertContains(response, LOCKED, status_code=429)

    def test_the_admin_login_works_below_the_limit(self):
        staff = UserFactory(username="cheffe", staff=True)
        staff.user_permissions.add(*_admin_access())
        client, response = _attempt(ADMIN_LOGIN, "cheffe", DEFAULT_PASSWORD, "10.0.0.1")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(_logged_in(client))

    def test_logins_without_a_request_are_not_counted_nor_refused(self):
        # The test client's login() and force_login() (used across the test suite).
        self._fail(40)
        self.assertTrue(login(Client(), self.alice))
        client = Client()
        client.force_login(self.alice)
        self.assertTrue(_logged_in(client))


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )


class TestPasswordResetRateLimits(TestCase):
    url = "/accounts/password-reset/"

    @classmethod
    def setUpTestData(cls):
        cls.alice = UserFactory(username="alice", email="alice@example.org")

    def _request(self, email, address="10.0.0.1"):
        return EnglishClient().post(self.url, {"email": email}, REMOTE_ADDR=address)

    @override_settings(CARNET_PASSWORD_RESET_RATE_PER_EMAIL="3/h")
    def test_an_e_mail_address_gets_a_few_links_then_a_clear_refusal(self):
        for number in range(3):
            response = self._request("alice@example.org", address=f"10.0.1.{number}")
            self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 3)
        # From yet another address, and written differently: the same e-mail address.
        response = self._request("Alice@Example.org", address="10.0.1.99")
        self.assertContains(response, OVER_RATE, status_code=429)
        self.assertContains(response, "Try again in", status_code=429)
        self.assertContains(response, 'value="Alice@Example.org"', status_code=429)
        self.assertEqual(len(mail.outbox), 3)

    @override_settings(
        CARNET_PASSWORD_RESET_RATE_PER_ADDRESS="4/h", CARNET_PASSWORD_RESET_RATE_PER_EMAIL="9/h"
    )
    def test_an_address_gets_a_few_requests_then_a_clear_refusal(self):
        for number in range(4):
            response = self._request(f"someone{number}@example.org", address="10.0.2.1")
            self.assertEqual(response.status_code, 302)
        response = self._request("alice@example.org", address="10.0.2.1")
        self.assertContains(response, OVER_RATE, status_code=429)
        self.assertContains(response, 'value="alice@example.org"', status_code=429)
        self.assertEqual(len(mail.outbox), 0)  # the four others have no account
        response = self._request("alice@example.org", address="10.0.2.2")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)


class TestSignupRateLimit(TestCase):
    url = "/accounts/signup/"

    def _sign_up(self, username, address):
        data = {
            "email": f"{username}@example.org",
            "display_name": username,
            "password1": "a long Passphrase 42",
            "password2": "a long Passphrase 42",
        }
        return EnglishClient().post(self.url, data, REMOTE_ADDR=address)

    @override_settings(CARNET_SIGNUP_RATE_PER_ADDRESS="3/h")
    def test_an_address_may_sign_up_a_few_times_then_is_told_to_wait(self):
        for number in range(3):
            self.assertEqual(self._sign_up(f"maker{number}", "10.0.3.1").status_code, 302)
        response = self._sign_up("one-too-many", "10.0.3.1")
        self.assertContains(response, OVER_RATE, status_code=429)
        self.assertContains(response, 'value="one-too-many"', status_code=429)
        self.assertContains(response, 'value="one-too-many@example.org"', status_code=429)
        self.assertFalse(User.objects.filter(username="one-too-many").exists())
        # Elsewhere, sign-ups go on.
        self.assertEqual(self._sign_up("one-too-many", "10.0.3.2").status_code, 302)
        self.assertTrue(User.objects.filter(username="one-too-many").exists())


@override_settings(CARNET_PROXY_COUNT=1)
class TestAddressBehindTheProxy(TestCase):
    def test_the_address_is_the_one_the_proxy_saw_not_what_the_visitor_claims(self):
        from django.test import RequestFactory

        from users.throttling import client_ip

        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
        )
        self.assertEqual(client_ip(request), "203.0.113.5")
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
        self.assertEqual(client_ip(request), "127.0.0.1")
