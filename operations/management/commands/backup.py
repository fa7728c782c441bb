from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.progress import ProgressBars
from operations.services import backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) of the database and the media folder, with a manifest of "
        "checksums, while the site runs. docs/deployment.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="the archive to write (default: carnet-backup-<date>.tar.gz here)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, output=None, no_progress=False, verbosity=1, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or f"carnet-backup-{stamp}.tar.gz")
        bars = ProgressBars(self.stderr, enabled=not no_progress and verbosity > 0)
        try:
            summary = backup_create(output=path, progress=bars)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        finally:
            bars.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {summary.path}: {summary.database_vendor} database and "
                f"{summary.files} media files, {summary.size / 1e6:.1f} MB."
            )
        )
