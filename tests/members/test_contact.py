"""The Contact button: who may write to whom, what the recipient receives (never an e-mail
address), the reply rule, the rate limits and bad input."""

from datetime import timedelta

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import formats, timezone, translation

from members import services
from members.selectors import REPLY_WINDOW
from notifications.models import Notification
from tests.helpers import EnglishClient, login
from users.factories import UserFactory
from users.models import ContactMessage


def contact_url(member) -> str:
    return f"/members/{member.username}/contact/"


def message_data(**changes) -> dict:
    return {
        "subject": "Un boîtier pour nos capteurs",
        "body": "Bonjour, nous cherchons quelqu'un pour dessiner un boîtier découpé au laser.",
        "organisation": "Picardie Capteurs",
        **changes,
    }


def send(sender, recipient, **changes) -> ContactMessage:
    data = message_data(**changes)
    return services.contact_message_send(sender=sender, recipient=recipient, **data)


def _when(moment) -> str:
    with translation.override("en"):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class ContactTestCase(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.open = UserFactory(
            username="camille", display_name="Camille L.", email="camille@private.example",
            open_to_contact=True,
        )  # fmt: skip
        cls.closed = UserFactory(username="bernard", email="bernard@private.example")
        cls.company = UserFactory(
            username="acme", display_name="Alice de Picardie Capteurs",
            email="alice@company.example",
        )  # fmt: skip
        cls.staff = UserFactory(username="karim", staff=True, email="karim@private.example")


class TestContactButton(ContactTestCase):
    def test_logged_in_member_sees_contact_on_a_profile_open_to_contact(self):
        login(self.client, self.company)
        self.assertContains(
            self.client.get("/members/camille/"), 'href="/members/camille/contact/"'
        )

    def test_no_button_on_ones_own_profile_nor_on_a_closed_one(self):
        login(self.client, self.open)
        self.assertNotContains(self.client.get("/members/camille/"), "/contact/")
        self.assertNotContains(self.client.get("/members/bernard/"), "/contact/")

    def test_visitor_is_asked_to_log_in(self):
        response = self.client.get("/members/camille/")
        self.assertNotContains(response, 'href="/members/camille/contact/"')
        self.assertContains(response, "Log in to contact this member.")
        self.assertRedirects(
            self.client.get(contact_url(self.open)),
            "/accounts/login/?next=/members/camille/contact/",
            fetch_redirect_response=False,
        )

    def test_form_is_shown_for_a_member_open_to_contact(self):
        login(self.client, self.company)
        response = self.client.get(contact_url(self.open))
        self.assertContains(response, "Write to Camille L.")
        self.assertNotContains(response, "camille@private.example")

    def test_member_not_open_to_contact_unknown_or_deactivated_is_404(self):
        gone = UserFactory(username="gone", open_to_contact=True, is_active=False)
        login(self.client, self.company)
        for member in (self.closed, gone):
            with self.subTest(member=member.username):
                self.assertEqual(self.client.get(contact_url(member)).status_code, 404)
                response = self.client.post(contact_url(member), message_data())
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get("/members/nobody-here/contact/").status_code, 404)
        self.assertFalse(ContactMessage.objects.exists())


class TestSendingAMessage(ContactTestCase):
    def _post(self, **changes):
        login(self.client, self.company)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(contact_url(self.open), message_data(**changes))

    def test_stores_the_message_and_goes_back_to_the_profile(self):
        response = self._post()
        self.assertRedirects(response, "/members/camille/", fetch_redirect_response=False)
        message = ContactMessage.objects.get()
        self.assertEqual(
            (message.sender, message.recipient, message.subject, message.organisation),
            (self.company, self.open, "Un boîtier pour nos capteurs", "Picardie Capteurs"),
        )
        self.assertIn("boîtier découpé au laser", message.body)
        self.assertContains(self.client.get("/members/camille/"), "Message sent to Camille L.")

    def test_recipient_is_notified_with_the_senders_name_and_profile_not_their_address(self):
        self._post()
        notification = Notification.objects.get(recipient=self.open)
        self.assertIn("Alice de Picardie Capteurs (Picardie Capteurs)", notification.title)
        self.assertIn("Un boîtier pour nos capteurs", notification.title)
        self.assertIn("boîtier découpé au laser", notification.body)
        self.assertIn("/members/acme/", notification.body)
        self.assertEqual(notification.url, "/members/acme/contact/")
        self.assertNotIn("alice@company.example", notification.title + notification.body)

    def test_recipient_gets_an_email_that_never_reveals_the_senders_address(self):
        self._post()
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["camille@private.example"])
        self.assertIn("Un boîtier pour nos capteurs", email.subject)
        self.assertIn("boîtier découpé au laser", email.body)
        self.assertIn("/members/acme/contact/", email.body)
        whole = email.message().as_string()
        self.assertNotIn("alice@company.example", whole)
        self.assertEqual(email.reply_to, [])

    def test_sender_never_sees_the_recipients_address(self):
        self._post()
        for page in (self.client.get("/members/camille/"), self.client.get(
            contact_url(self.open)
        )):  # fmt: skip
            self.assertNotContains(page, "camille@private.example")

    def test_both_see_their_conversation_on_the_contact_page(self):
        self._post()
        response = self.client.get(contact_url(self.open))
        self.assertContains(response, "boîtier découpé au laser")
        login(self.client, self.open)
        response = self.client.get(contact_url(self.company))
        self.assertContains(response, "boîtier découpé au laser")
        login(self.client, self.closed)
        self.assertNotContains(self.client.get(contact_url(self.open)), "boîtier découpé")

    def test_staff_see_the_message_in_the_admin(self):
        self._post()
        message = ContactMessage.objects.get()
        login(self.client, UserFactory(staff=True, is_superuser=True))
        response = self.client.get("/admin/snippets/users/contactmessage/")
        self.assertContains(response, "Un boîtier pour nos capteurs")
        inspect = self.client.get(f"/admin/snippets/users/contactmessage/inspect/{message.pk}/")
        self.assertContains(inspect, "boîtier découpé au laser")
        # Wagtail turns a refused permission into a redirect with a message: no add form.
        refused = self.client.get("/admin/snippets/users/contactmessage/add/")
        self.assertRedirects(refused, "/admin/", fetch_redirect_response=False)


class TestReplies(ContactTestCase):
    def test_recipient_may_reply_to_a_sender_who_is_not_open_to_contact(self):
        send(self.company, self.open)
        login(self.client, self.open)
        self.assertContains(self.client.get("/members/acme/"), "Reply")
        response = self.client.get(contact_url(self.company))
        self.assertContains(response, "Reply to Alice de Picardie Capteurs")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(contact_url(self.company), message_data(organisation=""))
        self.assertRedirects(response, "/members/acme/")
        self.assertEqual(
            Notification.objects.get(recipient=self.company).url, "/members/camille/contact/"
        )
        self.assertEqual(mail.outbox[-1].to, ["alice@company.example"])

    def test_nobody_else_may_write_to_the_sender(self):
        send(self.company, self.open)
        login(self.client, self.closed)
        self.assertNotContains(self.client.get("/members/acme/"), "/contact/")
        self.assertEqual(self.client.get(contact_url(self.company)).status_code, 404)

    def test_replies_are_allowed_for_ninety_days(self):
        message = send(self.company, self.open)
        ContactMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - REPLY_WINDOW - timedelta(minutes=1)
        )
        login(self.client, self.open)
        self.assertEqual(self.client.get(contact_url(self.company)).status_code, 404)


class TestRateLimit(ContactTestCase):
    def test_one_message_per_recipient_per_day_by_default(self):
        first = send(self.company, self.open)
        login(self.client, self.company)
        typed = message_data(body="Une relance, au cas où : le boîtier est toujours à faire.")
        response = self.client.post(contact_url(self.open), typed)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ContactMessage.objects.count(), 1)
        when = _when(first.created_at + timedelta(hours=24))
        self.assertContains(response, "You may send Camille L. 1 message per 24 hours.")
        self.assertContains(response, f"You can write to them again on {when}.")
        self.assertContains(response, "Une relance, au cas où")  # what they typed is kept

    def test_the_page_says_when_before_one_types(self):
        first = send(self.company, self.open)
        login(self.client, self.company)
        response = self.client.get(contact_url(self.open))
        when = _when(first.created_at + timedelta(hours=24))
        self.assertContains(response, f"You can write to them again on {when}.")

    def test_the_window_rolls(self):
        first = send(self.company, self.open)
        ContactMessage.objects.filter(pk=first.pk).update(
            created_at=timezone.now() - timedelta(hours=24, minutes=1)
        )
        send(self.company, self.open)
        self.assertEqual(ContactMessage.objects.count(), 2)

    @override_settings(CARNET_CONTACT_PER_DAY=2)
    def test_at_most_the_daily_limit_in_all_then_says_when(self):
        others = [UserFactory(open_to_contact=True) for _ in range(3)]
        oldest = send(self.company, others[0])
        ContactMessage.objects.filter(pk=oldest.pk).update(
            created_at=timezone.now() - timedelta(hours=5)
        )
        oldest.refresh_from_db()
        send(self.company, others[1])
        with self.assertRaises(services.ContactRateLimited) as caught:
            send(self.company, others[2])
        self.assertEqual(caught.exception.wait.reason, "per_day")
        self.assertEqual(caught.exception.wait.until, oldest.created_at + timedelta(hours=24))
        login(self.client, self.company)
        response = self.client.post(contact_url(others[2]), message_data())
        self.assertContains(response, "You may send 2 messages per 24 hours through Carnet.")
        self.assertContains(
            response, f"You can write again on {_when(oldest.created_at + timedelta(hours=24))}."
        )
        self.assertEqual(ContactMessage.objects.count(), 2)

    @override_settings(CARNET_CONTACT_PER_DAY=1, CARNET_CONTACT_PER_RECIPIENT_PER_DAY=1)
    def test_staff_are_not_limited(self):
        for _ in range(3):
            send(self.staff, self.open)
        self.assertEqual(ContactMessage.objects.filter(sender=self.staff).count(), 3)

    def test_the_limit_counts_messages_stored_by_any_process(self):
        # Another process stored it: no cache is involved, the table is the truth.
        ContactMessage.objects.create(
            sender=self.company, recipient=self.open, subject="Bonjour", body="Déjà écrit."
        )
        with self.assertRaises(services.ContactRateLimited):
            send(self.company, self.open)


class TestBadInput(ContactTestCase):
    def setUp(self):
        login(self.client, self.company)

    def _refused(self, **changes):
        response = self.client.post(contact_url(self.open), message_data(**changes))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ContactMessage.objects.exists())
        return response

    def test_empty_or_blank_subject_and_message_are_refused(self):
        for changes in ({"subject": ""}, {"body": ""}, {"subject": "   "}, {"body": " \n\t "}):
            with self.subTest(changes=changes):
                response = self._refused(**changes)
                self.assertContains(response, "This field is required.")

    def test_too_long_message_is_refused_and_kept(self):
        long_body = "Bonjour ! " + "x" * 5000
        response = self._refused(body=long_body)
        self.assertContains(response, "Ensure this value has at most 5000 characters")
        self.assertContains(response, long_body)

    def test_too_long_subject_and_organisation_are_refused(self):
        self.assertContains(self._refused(subject="s" * 151), "at most 150 characters")
        self.assertContains(self._refused(organisation="o" * 121), "at most 120 characters")

    def test_line_breaks_in_the_subject_become_spaces(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(contact_url(self.open), message_data(subject="Bonjour\r\nBcc: x@y"))
        self.assertEqual(ContactMessage.objects.get().subject, "Bonjour Bcc: x@y")
        self.assertEqual(len(mail.outbox), 1)

    def test_writing_to_oneself_is_refused_with_a_message(self):
        login(self.client, self.open)
        response = self.client.post(contact_url(self.open), message_data(), follow=True)
        self.assertRedirects(response, "/members/camille/")
        self.assertContains(response, "you cannot write to yourself")
        with self.assertRaises(ValidationError) as caught:
            send(self.open, self.open)
        self.assertEqual(caught.exception.code, "self")
        self.assertFalse(ContactMessage.objects.exists())

    def test_a_recipient_deactivated_meanwhile_is_refused(self):
        self.open.is_active = False
        self.open.save()
        self.assertEqual(self.client.post(contact_url(self.open), message_data()).status_code, 404)
        with self.assertRaises(ValidationError) as caught:
            send(self.company, self.open)
        self.assertEqual(caught.exception.code, "inactive")

    def test_a_recipient_who_closed_contact_meanwhile_is_refused(self):
        self.open.open_to_contact = False
        self.open.save()
        self.assertEqual(self.client.post(contact_url(self.open), message_data()).status_code, 404)
        with self.assertRaises(ValidationError) as caught:
            send(self.company, self.open)
        self.assertEqual(caught.exception.code, "closed")

    def test_a_deactivated_sender_is_logged_out_and_refused(self):
        self.company.is_active = False
        self.company.save()
        response = self.client.post(contact_url(self.open), message_data())
        self.assertRedirects(
            response,
            "/accounts/login/?next=/members/camille/contact/",
            fetch_redirect_response=False,
        )
        with self.assertRaises(PermissionDenied):
            send(self.company, self.open)
        self.assertFalse(ContactMessage.objects.exists())
