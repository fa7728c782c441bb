"""Notification e-mails leave the request: it only queues them (django_tasks_db), the worker
sends them, a mail server that fails is tried again later with longer and longer waits, a
bounded number of times, and a task that failed for good is listed for staff in the admin.

The mail servers here are real sockets on loopback: one that never answers (a stalled server),
a closed port (a server that is down) and a tiny SMTP server that refuses the recipient."""

import socket
import socketserver
import threading

from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from core.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from notifications.models import Notification
from notifications.services import notification_send
from tests.helpers import EnglishClient, login
from tests.task_worker import database_tasks, make_deferred_tasks_due, run_task_worker
from users.factories import UserFactory

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_server_down():
    return override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port(), EMAIL_TIMEOUT=2
    )


class RefusingSMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to refuse every recipient for good (550)."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 carnet-test ESMTP")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 carnet-test")
            elif command.startswith("RCPT"):
                self.reply("550 5.1.1 No such mailbox")
            elif command.startswith("QUIT"):
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


def tasks(status=None):
    results = DBTaskResult.objects.filter(task_path__endswith="notification_email_task")
    return results.filter(status=status) if status else results


@database_tasks
class TestTheRequestOnlyQueues(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.sender = UserFactory(username="acme", email="acme@example.org")
        cls.recipient = UserFactory(
            username="camille", email="camille@example.org", open_to_contact=True
        )

    def test_a_stalled_mail_server_is_not_contacted_by_the_request(self):
        with socket.socket() as stalled:  # accepts connections, never says a word
            stalled.bind(("127.0.0.1", 0))
            stalled.listen(8)
            stalled.setblocking(False)
            port = stalled.getsockname()[1]
            with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
                login(self.client, self.sender)
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(
                        "/members/camille/contact/",
                        {"subject": "Un boîtier", "body": "Bonjour, un boîtier ?"},
                    )
                self.assertRedirects(response, "/members/camille/", fetch_redirect_response=False)
                with self.assertRaises(BlockingIOError):
                    stalled.accept()  # nobody connected
        self.assertTrue(Notification.objects.filter(recipient=self.recipient).exists())
        (queued,) = tasks(TaskResultStatus.READY)
        self.assertEqual(queued.args_kwargs["args"], [Notification.objects.get().pk])
        self.assertEqual(mail.outbox, [])

    def test_the_worker_sends_what_the_request_queued(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(recipient=self.recipient, title="Candidature retenue", url="/c/")
        self.assertEqual(mail.outbox, [])
        run_task_worker()
        (message,) = mail.outbox
        self.assertEqual(
            (message.to, message.subject), (["camille@example.org"], "[Carnet] Candidature retenue")
        )
        self.assertIn("/c/", message.body)
        self.assertEqual(tasks(TaskResultStatus.SUCCESSFUL).count(), 1)

    def test_nothing_is_queued_when_the_change_is_rolled_back(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    notification_send(recipient=self.recipient, title="Annulé")
                    raise RuntimeError("the action failed after notifying")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertFalse(tasks().exists())


@database_tasks
class TestRetries(TestCase):
    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.recipient = UserFactory(username="camille", email="camille@example.org")
        cls.staff = UserFactory(username="karim", staff=True, is_superuser=True)

    def queue_one(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(recipient=self.recipient, title="Votre impression est finie")

    def test_a_mail_server_down_is_tried_again_later_then_the_mail_goes(self):
        self.queue_one()
        with mail_server_down():
            before = timezone.now()
            run_task_worker()
        first = tasks(TaskResultStatus.SUCCESSFUL).get()
        self.assertIn("retry queued", first.return_value)
        retry = tasks(TaskResultStatus.READY).get()
        self.assertEqual(retry.args_kwargs["kwargs"]["attempt"], 2)
        self.assertGreaterEqual(retry.run_after, before + RETRY_DELAYS[0])
        run_task_worker()  # not due yet: the worker leaves it
        self.assertEqual(tasks(TaskResultStatus.READY).get(), retry)
        make_deferred_tasks_due()
        run_task_worker()  # the server is back
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(tasks(TaskResultStatus.SUCCESSFUL).count(), 2)

    def test_attempts_are_bounded_the_waits_grow_and_the_last_failure_is_kept(self):
        self.queue_one()
        waits = []
        with mail_server_down():
            for _ in range(MAX_ATTEMPTS + 3):
                run_task_worker()
                for queued in tasks(TaskResultStatus.READY):
                    waits.append(queued.run_after - queued.enqueued_at)
                if not make_deferred_tasks_due():
                    break
        self.assertEqual(tasks().count(), MAX_ATTEMPTS)
        failed = tasks(TaskResultStatus.FAILED).get()
        self.assertEqual(failed.args_kwargs["kwargs"]["attempt"], MAX_ATTEMPTS)
        self.assertEqual(failed.exception_class_path, "builtins.ConnectionRefusedError")
        self.assertEqual(len(waits), MAX_ATTEMPTS - 1)
        for wait, delay in zip(waits, RETRY_DELAYS, strict=True):
            self.assertAlmostEqual(wait.total_seconds(), delay.total_seconds(), delta=5)
        self.assertEqual(mail.outbox, [])

    def test_a_refused_recipient_fails_at_once(self):
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTPHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.queue_one()
        with override_settings(
            EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=server.server_address[1]
        ):
            run_task_worker()
        failed = tasks().get()
        self.assertEqual(failed.status, TaskResultStatus.FAILED)
        self.assertEqual(failed.exception_class_path, "smtplib.SMTPRecipientsRefused")

    def test_staff_see_the_failed_task_in_the_admin_and_members_do_not(self):
        self.queue_one()
        with mail_server_down():
            for _ in range(MAX_ATTEMPTS):
                run_task_worker()
                make_deferred_tasks_due()
        url = reverse("operations_failed_tasks")
        response = login(self.client, self.staff).get(url)
        self.assertContains(response, "Failed tasks")
        self.assertContains(response, "notification_email_task")
        self.assertContains(response, "ConnectionRefusedError")
        self.assertContains(login(self.client, self.staff).get(reverse("wagtailadmin_home")), url)
        editor = UserFactory(username="editor")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        response = login(self.client, editor).get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "ConnectionRefusedError", status_code=response.status_code)

    def test_the_list_says_when_nothing_failed(self):
        self.queue_one()
        run_task_worker()
        response = login(self.client, self.staff).get(reverse("operations_failed_tasks"))
        self.assertContains(response, "No failed task.")
        self.assertNotContains(response, "notification_email_task")


class TestImmediateBackend(TestCase):
    """The test settings' backend, and CARNET_TASKS=immediate: the e-mail goes once the change
    commits, and its retries run at once, as many as the queue would run."""

    def test_retries_run_at_once_and_stay_bounded(self):
        finished = []

        def record(sender, task_result, **kwargs):
            if task_result.task.name == "notification_email_task":
                finished.append(task_result.status)

        task_finished.connect(record)
        self.addCleanup(task_finished.disconnect, record)
        with mail_server_down(), self.captureOnCommitCallbacks(execute=True):
            notification_send(recipient=UserFactory(email="lou@example.org"), title="Bonjour")
        expected = [TaskResultStatus.SUCCESSFUL] * (MAX_ATTEMPTS - 1) + [TaskResultStatus.FAILED]
        # Nested retries finish innermost first.
        self.assertEqual(finished, expected[::-1])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Notification.objects.count(), 1)
