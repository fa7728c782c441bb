"""`manage.py close_expired_calls`: record the closing of every open call whose deadline has
passed and tell each organisation. Calls already count as closed the moment their deadline
passes; this writes it down. Safe to run as often as you like (cron: every few minutes)."""

from django.core.management.base import BaseCommand

from calls.services import calls_close_expired


class Command(BaseCommand):
    help = (
        "Ferme les appels à projets dont la date limite est passée et prévient chaque "
        "organisation. Relançable sans risque."
    )

    def handle(self, *args, **options):
        closed = calls_close_expired()
        if options["verbosity"]:
            for call in closed:
                self.stdout.write(f"Fermé : {call.title}")
            self.stdout.write(self.style.SUCCESS(f"{len(closed)} appel(s) fermé(s)."))
