"""`manage.py machine_jobs_rebuild [SLUG ...]`: set every job again from the events kept for it.

Jobs recorded before events were applied in any order could end "interrupted" although their
finish arrived (after the next job's start). Their events were all kept, so rebuilding them
with today's rules (docs/machines.md) gives them their real outcome. Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from machines.models import Machine
from machines.services import machine_jobs_rebuild


class Command(BaseCommand):
    help = "Rebuild the jobs of every machine (or of the machines named) from their events."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Machine slugs; all machines by default.")

    def handle(self, *args, slugs, **options):
        machines = Machine.objects.order_by("slug")
        if slugs:
            machines = machines.filter(slug__in=slugs)
            missing = set(slugs) - set(machines.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No machine with the slug: {', '.join(sorted(missing))}")
        total = 0
        for machine in machines:
            changed = machine_jobs_rebuild(machine=machine)
            total += changed
            self.stdout.write(f"{machine.slug}: {changed} job(s) changed")
        self.stdout.write(f"{total} job(s) changed in all.")
