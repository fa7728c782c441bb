"""`manage.py simulate_machine_job <slug>`: pretend to be a machine running one job.

It sends the events a real machine would (start, progress with the time left, finish) to
the real HTTP API of a running Carnet (`make demo`), so the kiosk and the member's banner
can be watched live. See docs/machines.md."""

import json
import time
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from machines.models import Machine
from machines.services import machine_kiosk_token_rotate, machine_token_rotate
from machines.simulation import (
    EventRefused,
    ServerUnreachable,
    check_server,
    example_for,
    job_events,
    post_event,
    simulated_member,
)


class Command(BaseCommand):
    help = (
        "Drive one job through the machine event API of a running Carnet (start, progress, "
        "finish), to watch the kiosk and the member's banner live. Run `make demo` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The machine's slug, e.g. trotec-speedy-300.")
        parser.add_argument(
            "--minutes", type=float, default=3.0, help="How long the job lasts (default: 3)."
        )
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--member", metavar="USERNAME", help="The member running the job.")
        who.add_argument("--badge", metavar="UID", help="Or the UID of the badge they tap.")
        parser.add_argument("--file", dest="file_name", help="The file being made.")
        parser.add_argument("--material", help="The material in the machine.")
        parser.add_argument(
            "--fail", action="store_true", help="The job fails halfway instead of completing."
        )
        parser.add_argument(
            "--base-url",
            default=settings.WAGTAILADMIN_BASE_URL,
            help="Where Carnet runs (default: the site's address, WAGTAILADMIN_BASE_URL; "
            "`make demo` sets it from DEMO_ADDRESS).",
        )
        parser.add_argument(
            "--token",
            help="The machine's event token. Without it, a new one is made (the old one stops "
            "working).",
        )
        parser.add_argument(
            "--step-seconds",
            type=float,
            default=5.0,
            help="Seconds between progress events (default: 5).",
        )

    def handle(self, *args, **options):
        machine = Machine.objects.filter(slug=options["slug"]).first()
        if machine is None:
            known = ", ".join(Machine.objects.values_list("slug", flat=True)[:20]) or "-"
            raise CommandError(
                _("No machine with the slug %(slug)s. Machines: %(known)s.")
                % {"slug": options["slug"], "known": known}
            )
        if options["minutes"] < 0 or options["step_seconds"] <= 0:
            raise CommandError(_("--minutes must be 0 or more and --step-seconds more than 0."))
        base_url = options["base_url"].rstrip("/") + "/"
        who = self._member_fields(options)
        try:  # before making a new token: a real device would lose its token for nothing
            check_server(base_url=base_url)
        except ServerUnreachable as error:
            raise self._unreachable(base_url, error) from None
        token = options["token"] or self._new_token(machine)
        if not machine.kiosk_token:
            machine_kiosk_token_rotate(machine=machine)
        self._print_where_to_watch(machine, base_url, who)

        example = example_for(machine.kind)
        details = {
            **who,
            "file_name": options["file_name"] or example.files[0],
            "material": options["material"] or next(iter(example.materials), None),
            "settings": example.settings or None,
        }
        events = job_events(
            job_id=f"sim-{timezone.now():%Y%m%d-%H%M%S-%f}",
            total_seconds=options["minutes"] * 60,
            step_seconds=options["step_seconds"],
            fail=options["fail"],
            details={name: value for name, value in details.items() if value is not None},
        )
        url = urljoin(base_url, reverse("machines_api:record_event", kwargs={"slug": machine.slug}))
        self._run(url, token, events, base_url)

    def _member_fields(self, options) -> dict:
        """How the events name the member: --member, --badge, or a demo member's badge."""
        User = get_user_model()
        if options["member"]:
            if not User.objects.filter(username=options["member"], is_active=True).exists():
                raise CommandError(
                    _("No active member with the username %(username)s.")
                    % {"username": options["member"]}
                )
            return {"username": options["member"]}
        if options["badge"]:
            return {"badge_uid": options["badge"]}
        member = simulated_member()
        return {"badge_uid": member.badge_uid} if member else {}

    def _new_token(self, machine: Machine) -> str:
        token = machine_token_rotate(machine=machine)
        self.stdout.write(
            self.style.WARNING(
                _(
                    "A new event token was made for this machine; a real device using the old "
                    "one must be given the new one."
                )
            )
        )
        return token

    def _print_where_to_watch(self, machine: Machine, base_url: str, who: dict) -> None:
        self.stdout.write(
            _("Watch it live on the kiosk: %(url)s") % {"url": self._kiosk(machine, base_url)}
        )
        job_url = urljoin(base_url, reverse("machines:job_here", kwargs={"slug": machine.slug}))
        if who.get("username") or who.get("badge_uid"):
            member = who.get("username") or self._username_for_badge(who["badge_uid"])
            if member:
                self.stdout.write(
                    _("Member: %(member)s (logged in as them, every page shows the job banner)")
                    % {"member": member}
                )
            else:
                self.stdout.write(
                    _("No member has this badge: the job waits to be claimed at %(url)s")
                    % {"url": job_url}
                )
        else:
            self.stdout.write(
                _("No member given: the job waits to be claimed at %(url)s") % {"url": job_url}
            )

    @staticmethod
    def _kiosk(machine: Machine, base_url: str) -> str:
        return urljoin(base_url, machine.kiosk_url)

    @staticmethod
    def _username_for_badge(badge_uid: str) -> str:
        from users.badges import normalise_badge_uid

        user = (
            get_user_model()
            .objects.filter(badge_uid=normalise_badge_uid(badge_uid), is_active=True)
            .first()
        )
        return user.username if user else ""

    def _run(self, url: str, token: str, events, base_url: str) -> None:
        started = time.monotonic()
        job_id = None
        try:
            for planned in events:
                job_id = planned.payload["job_id"]
                delay = started + planned.at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                self._send(url, token, planned.payload, base_url, elapsed=planned.at)
        except KeyboardInterrupt:
            if job_id is not None:
                stop = {"event": "finish", "job_id": job_id, "outcome": "cancelled"}
                self._send(url, token, stop, base_url, elapsed=time.monotonic() - started)
            raise CommandError(_("Stopped: the job was reported as cancelled.")) from None

    @staticmethod
    def _unreachable(base_url: str, error: Exception) -> CommandError:
        return CommandError(
            _(
                "Carnet does not answer at %(url)s (%(reason)s). Start it with `make demo`, "
                "or give its address with --base-url."
            )
            % {"url": base_url, "reason": error}
        )

    def _send(self, url: str, token: str, payload: dict, base_url: str, *, elapsed: float):
        try:
            answer = post_event(url=url, token=token, payload=payload)
        except ServerUnreachable as error:
            raise self._unreachable(base_url, error) from None
        except EventRefused as error:
            hint = ""
            if error.status == 403:
                hint = " " + _(
                    "If this server uses another database than this command, give the "
                    "machine's token with --token."
                )
            raise CommandError(
                _("The server refused the %(event)s event (HTTP %(status)s): %(detail)s")
                % {"event": payload["event"], "status": error.status, "detail": error.detail}
                + hint
            ) from None
        line = f"{elapsed:7.1f} s  {json.dumps(payload, ensure_ascii=False)}"
        result = f"job {answer.get('job')}, {answer.get('state')} {answer.get('outcome', '')}"
        self.stdout.write(f"{line}  -> {result.strip()}")
        return answer
