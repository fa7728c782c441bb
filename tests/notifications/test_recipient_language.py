"""Notifications and e-mails are worded in their recipient's language (User.language), whatever
the language of the member whose action sent them."""

import re

from django.core import mail
from django.test import TestCase
from django.utils import translation
from django.utils.translation import gettext_lazy

from calls import services as call_services
from calls.factories import OrganisationFactory, OrganisationMembershipFactory
from core.i18n import interpolate_lazy
from members.services import contact_message_send
from notifications.models import Notification
from notifications.services import notification_send
from tests.helpers import EnglishClient
from tribes import services as tribe_services
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

WORDING = {
    "fr": {"approved": "est validée", "contact": "Message de", "footer": "À lire sur Carnet"},
    "en": {"approved": "is approved", "contact": "Message from", "footer": "Read it on Carnet"},
}


class TestWordedForTheRecipient(TestCase):
    def readers(self):
        return {
            code: UserFactory(language=code, email=f"{code}@example.org", open_to_contact=True)
            for code in WORDING
        }

    def assert_each_reads_their_language(self, readers, key):
        for code, reader in readers.items():
            other = next(c for c in WORDING if c != code)
            with self.subTest(reader=code):
                note = Notification.objects.filter(recipient=reader).latest("pk")
                self.assertIn(WORDING[code][key], note.title)
                self.assertNotIn(WORDING[other][key], note.title)
                (message,) = [m for m in mail.outbox if m.to == [reader.email]]
                self.assertIn(WORDING[code][key], message.subject)
                self.assertIn(WORDING[code]["footer"], message.body)

    def test_whatever_the_language_of_the_page_that_sent_it(self):
        for writer_language in WORDING:
            with self.subTest(writer=writer_language):
                mail.outbox.clear()
                readers = self.readers()
                organisation = OrganisationFactory(pending=True)
                for reader in readers.values():
                    OrganisationMembershipFactory(organisation=organisation, user=reader)
                staff = UserFactory(staff=True)
                with (
                    translation.override(writer_language),
                    self.captureOnCommitCallbacks(execute=True),
                ):
                    call_services.organisation_approve(user=staff, organisation=organisation)
                self.assert_each_reads_their_language(readers, "approved")

    def test_a_message_between_members(self):
        readers = self.readers()
        sender = UserFactory(language="en", is_staff=True)
        with translation.override("en"), self.captureOnCommitCallbacks(execute=True):
            for reader in readers.values():
                contact_message_send(
                    sender=sender, recipient=reader, subject="Bonjour", body="Un mot."
                )
        self.assert_each_reads_their_language(readers, "contact")

    def test_parameters_are_worded_in_the_same_language(self):
        reader = UserFactory(language="fr")
        with translation.override("en"):
            notification_send(
                recipient=reader,
                title=interpolate_lazy(
                    gettext_lazy("%(name)s is approved"), {"name": gettext_lazy("Members")}
                ),
                email=False,
            )
        self.assertEqual(Notification.objects.get().title, "Membres est validée")


class TestEmailsOutsideNotifications(TestCase):
    def test_the_password_reset_e_mail_speaks_the_accounts_language(self):
        for code, words in {"fr": "Bonjour", "en": "Hello"}.items():
            with self.subTest(code):
                mail.outbox.clear()
                UserFactory(language=code, email=f"reset-{code}@example.org")
                EnglishClient().post(
                    "/accounts/password-reset/", {"email": f"reset-{code}@example.org"}
                )
                self.assertTrue(mail.outbox[0].body.startswith(words), mail.outbox[0].body)

    def test_a_tribe_invitation_speaks_the_accounts_language_else_the_inviters(self):
        tribe = TribePageFactory(title="Atelier couture")
        admin = UserFactory()
        TribeMembershipFactory(tribe=tribe, user=admin, admin=True)
        UserFactory(language="fr", email="lou@example.org")
        with translation.override("en"):
            for address in ("lou@example.org", "guest@example.org"):
                tribe_services.tribe_member_invite(tribe=tribe, user=admin, email=address)
        bodies = {message.to[0]: message.body for message in mail.outbox}
        self.assertTrue(bodies["lou@example.org"].startswith("Bonjour"))
        self.assertTrue(bodies["guest@example.org"].startswith("Hello"))

    def test_the_profile_sets_the_language_and_login_brings_it_back(self):
        member = UserFactory(language="en")
        client = EnglishClient()
        client.force_login(member)
        response = client.post("/accounts/profile/", {"display_name": "Lou", "language": "fr"})
        self.assertEqual(response.cookies["django_language"].value, "fr")
        member.refresh_from_db()
        self.assertEqual(member.language, "fr")
        client.logout()
        response = EnglishClient().post(
            "/accounts/login/", {"username": member.username, "password": "a-long-test-password"}
        )
        self.assertEqual(response.cookies["django_language"].value, "fr")
        client.force_login(member)
        page = client.get("/accounts/profile/")
        self.assertTrue(re.search(r'<option value="fr" selected>Français</option>', page.text))
