from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from operations.progress import ProgressBars
from operations.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and the media folder from an archive of `manage.py backup`, "
        "after checking its checksums. Refuses a database that holds content unless --force. "
        "Stop the site and the task worker first. docs/deployment.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds members or pages",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, archive, force=False, no_progress=False, verbosity=1, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        bars = ProgressBars(self.stderr, enabled=not no_progress and verbosity > 0)
        try:
            manifest = backup_restore(archive=path, force=force, progress=bars)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        finally:
            bars.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} (Carnet "
                f"{manifest['carnet_version']}, {len(manifest['files']) - 1} media files). "
                "Run `manage.py migrate` if this version of Carnet is newer."
            )
        )
