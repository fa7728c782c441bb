"""notifications: one service tells a member something, on the site and by e-mail."""

from django.core import mail
from django.test import TestCase

from notifications.factories import NotificationFactory
from notifications.models import Notification
from notifications.selectors import notification_unread_count
from notifications.services import notification_mark_read, notification_send
from tests.helpers import EnglishClient, login
from users.factories import UserFactory


class TestSend(TestCase):
    def test_a_notification_is_stored_and_mailed_with_a_link_back(self):
        member = UserFactory(email="lou@example.org")
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(
                recipient=member, title="Candidature retenue", body="Bravo.", url="/calls/x/"
            )
        self.assertEqual(Notification.objects.get().title, "Candidature retenue")
        (message,) = mail.outbox
        self.assertEqual(message.to, ["lou@example.org"])
        self.assertIn("Candidature retenue", message.subject)
        self.assertIn("/calls/x/", message.body)

    def test_a_title_with_line_breaks_still_makes_a_valid_mail_subject(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(recipient=UserFactory(email="a@example.org"), title="Deux\nlignes")
        self.assertEqual(mail.outbox[0].subject, "[Carnet] Deux lignes")

    def test_no_mail_when_asked_or_without_address(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(recipient=UserFactory(email=""), title="Sans adresse")
            notification_send(recipient=UserFactory(), title="Sur le site", email=False)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Notification.objects.count(), 2)


class TestUnreadCount(TestCase):
    def test_the_count_follows_sending_and_reading_despite_the_cache(self):
        member = UserFactory()
        self.assertEqual(notification_unread_count(member), 0)
        notification_send(recipient=member, title="Un", email=False)
        notification_send(recipient=member, title="Deux", email=False)
        self.assertEqual(notification_unread_count(member), 2)
        self.assertEqual(notification_mark_read(user=member), 2)
        self.assertEqual(notification_unread_count(member), 0)

    def test_the_cached_count_costs_no_query(self):
        member = UserFactory()
        notification_unread_count(member)
        with self.assertNumQueries(0):
            notification_unread_count(member)


class TestPages(TestCase):
    client_class = EnglishClient

    def test_members_see_only_their_own_and_the_header_shows_the_unread_count(self):
        member = UserFactory()
        NotificationFactory(recipient=member, title="Pour moi")
        NotificationFactory(title="Pour quelqu'un d'autre")
        login(self.client, member)
        response = self.client.get("/notifications/")
        self.assertContains(response, "Pour moi")
        self.assertNotContains(response, "Pour quelqu&#x27;un d&#x27;autre")
        self.assertContains(response, '1<span class="visually-hidden"> unread')

    def test_opening_one_marks_it_read_and_follows_its_link(self):
        notification = NotificationFactory(url="/projects/")
        login(self.client, notification.recipient)
        response = self.client.get(f"/notifications/{notification.pk}/")
        self.assertRedirects(response, "/projects/", fetch_redirect_response=False)
        notification.refresh_from_db()
        self.assertTrue(notification.is_read)

    def test_another_members_notification_is_404_and_an_outside_link_is_not_followed(self):
        mine = NotificationFactory(url="https://evil.example/")
        login(self.client, mine.recipient)
        self.assertEqual(
            self.client.get(f"/notifications/{NotificationFactory().pk}/").status_code, 404
        )
        self.assertRedirects(
            self.client.get(f"/notifications/{mine.pk}/"),
            "/notifications/",
            fetch_redirect_response=False,
        )
