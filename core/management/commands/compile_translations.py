"""Compile the translation catalogues (.po → .mo) with polib, so no gettext tools are needed."""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile every locale/<lang>/LC_MESSAGES/*.po under LOCALE_PATHS into the .mo file "
        "next to it. Pure Python (polib): unlike compilemessages, it needs no gettext tools."
    )

    def handle(self, *args, **options):
        catalogues = sorted(
            po
            for locale_dir in settings.LOCALE_PATHS
            for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:
            searched = ", ".join(str(path) for path in settings.LOCALE_PATHS) or "(none)"
            self.stdout.write(f"No .po catalogue found under LOCALE_PATHS: {searched}")
            return
        for po_path in catalogues:
            mo_path = po_path.with_suffix(".mo")
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: {exc}") from exc
            binary = catalogue.to_binary()
            summary = (
                f"{len(catalogue.translated_entries())} translated, "
                f"{len(catalogue.fuzzy_entries())} fuzzy (skipped), "
                f"{len(catalogue.untranslated_entries())} untranslated"
            )
            if mo_path.exists() and mo_path.read_bytes() == binary:
                self.stdout.write(f"Up to date {mo_path} ({summary})")
                continue
            _write_atomically(mo_path, binary)
            self.stdout.write(self.style.SUCCESS(f"Compiled {po_path} -> {mo_path} ({summary})"))


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target then rename, so a running server never reads half a file."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
