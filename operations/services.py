"""Backups of a whole site, and their restore (docs/deployment.md).

One archive (tar.gz) holds the database, the media folder and `manifest.json`: the format,
Carnet's version, the date, the database vendor and the SHA-256 of every other file.
- SQLite: a copy made with SQLite's online backup API, consistent while the site runs (a copy
  of the file could catch a write halfway).
- PostgreSQL: `pg_dump --format=custom`, restored by `pg_restore`: consistent (one snapshot),
  compact, and restorable by another role (`--no-owner`). dumpdata/loaddata would hold the
  whole site in memory and lose what is not a model (search columns, extensions).
Restore checks every checksum before touching anything, and refuses a database that already
holds content unless forced."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024

# progress(done since the last call, total or None, stage, unit: "B" or "pages")
Progress = Callable[[int, int | None, str, str], None]


def _no_progress(done: int, total: int | None, label: str, unit: str) -> None:
    pass


@dataclass
class BackupSummary:
    path: Path
    database_vendor: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _carnet_version() -> str:
    try:
        return metadata.version("carnet")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(
        path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink()
    )


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore, from Django's connection settings."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _run_with_progress(command: list[str], *, watch: Path | None, progress: Progress, label: str):
    """Run a PostgreSQL client; while it runs, report the growth of `watch` (the dump)."""
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed program, arguments are ours
            command,
            env=_postgres_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except FileNotFoundError as exc:
        raise ValidationError(
            _("%(program)s was not found: install PostgreSQL's client programs.")
            % {"program": command[0]}
        ) from exc
    reported = 0
    while process.poll() is None:
        time.sleep(0.2)
        if watch is not None and watch.exists():
            size = watch.stat().st_size
            progress(size - reported, None, label, "B")
            reported = size
    errors = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise ValidationError(
            _("%(program)s failed: %(errors)s")
            % {"program": command[0], "errors": errors.strip()[-2000:]}
        )


def _dump_database(target: Path, progress: Progress) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            copied = 0

            # Page by page, so writers are not held up for the whole copy.
            def step(status, remaining, total):
                nonlocal copied
                progress(total - remaining - copied, total, _("database"), "pages")
                copied = total - remaining

            connection.connection.backup(destination, pages=256, progress=step)
        finally:
            destination.close()
        return
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file"]
        _run_with_progress(
            [*command, str(target)], watch=target, progress=progress, label=_("database")
        )
        return
    raise ValidationError(
        _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor}
    )


def backup_create(*, output: Path, progress: Progress = _no_progress) -> BackupSummary:
    """Write the archive of the database and the media folder to `output` (written under a
    temporary name first, so a half-written archive never carries the final name)."""
    output = Path(output)
    media_root = Path(settings.MEDIA_ROOT)
    database_name = DATABASE_FILES.get(connection.vendor, "database")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="carnet-backup-") as work:
        dump = Path(work) / database_name
        _dump_database(dump, progress)
        media = _media_files(media_root)
        checksums = {database_name: _sha256(dump)}
        total = sum(path.stat().st_size for path in media)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, arcname=database_name)
                for path in media:
                    name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                    checksums[name] = _sha256(path)
                    archive.add(path, arcname=name)
                    progress(path.stat().st_size, total, _("media"), "B")
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "carnet_version": _carnet_version(),
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connection.vendor,
                    "database_file": database_name,
                    "files": checksums,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(time.time())
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(
        path=output,
        database_vendor=connection.vendor,
        files=len(media),
        size=output.stat().st_size,
    )


def database_content() -> tuple[int, int]:
    """(members, pages someone wrote) in the current database: both 0 for a database just
    created or just migrated (the migrations' own pages, home and indexes, have no owner)."""
    if get_user_model()._meta.db_table not in connection.introspection.table_names():
        return 0, 0
    from wagtail.models import Page

    try:
        return (
            get_user_model().objects.count(),
            Page.objects.filter(owner__isnull=False).count(),
        )
    except DatabaseError:
        return 0, 0


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("This is not a Carnet backup: it has no readable manifest.")
        ) from exc
    if not isinstance(manifest, dict):
        raise ValidationError(_("This is not a Carnet backup: it has no readable manifest."))
    if (
        manifest.get("format") != ARCHIVE_FORMAT
        or not isinstance(manifest.get("files"), dict)
        or manifest.get("database_file") not in manifest["files"]
    ):
        raise ValidationError(
            _("This backup's format (%(format)s) is not one this version of Carnet reads.")
            % {"format": manifest.get("format")}
        )
    return manifest


def _verify(folder: Path, manifest: dict, progress: Progress) -> None:
    """Every file the manifest lists is there with its checksum, and nothing else is."""
    listed = set(manifest["files"])
    found = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    found.discard(MANIFEST)
    if missing := sorted(listed - found):
        raise ValidationError(
            _("The backup is incomplete: %(files)s missing.") % {"files": ", ".join(missing[:5])}
        )
    if extra := sorted(found - listed):
        raise ValidationError(
            _("The backup holds files its manifest does not list: %(files)s.")
            % {"files": ", ".join(extra[:5])}
        )
    for name, checksum in manifest["files"].items():
        path = folder / name
        if _sha256(path) != checksum:
            raise ValidationError(
                _("The backup is damaged: %(file)s does not match its checksum.") % {"file": name}
            )
        progress(path.stat().st_size, None, _("checking"), "B")


def _restore_database(dump: Path, vendor: str) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise ValidationError(_("Cannot restore inside a transaction."))
        source = sqlite3.connect(dump)
        try:
            # Replaces the whole database, page by page, through the live connection.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        connection.settings_dict["NAME"],
        str(dump),
    ]
    connection.close()  # pg_restore drops tables this connection may hold locks on
    _run_with_progress(command, watch=None, progress=_no_progress, label=_("database"))


def _restore_media(folder: Path, media_root: Path, progress: Progress) -> int:
    restored = 0
    source_root = folder / MEDIA
    for path in sorted(p for p in source_root.rglob("*") if p.is_file()):
        target = media_root / path.relative_to(source_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = path.stat().st_size
        shutil.move(path, target)
        progress(size, None, _("media"), "B")
        restored += 1
    return restored


def backup_restore(
    *, archive: Path, force: bool = False, progress: Progress = _no_progress
) -> dict:
    """Restore the database and the media folder from `archive`. Checks everything first: the
    manifest, every checksum, the database vendor, and that the database holds no content
    (members, pages) unless `force`. Returns the manifest."""
    archive = Path(archive)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the media folder, so the files are moved into it, not copied (in the
    # system's temporary folder if the media folder's parent is not writable).
    parent = media_root.parent if os.access(media_root.parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix=".carnet-restore-", dir=parent) as work:
        folder = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # The "data" filter refuses absolute paths, `..`, links out and device files.
                tar.extractall(folder, filter="data")
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise ValidationError(
                _("Cannot read the backup %(archive)s: %(error)s")
                % {"archive": archive, "error": exc}
            ) from exc
        manifest = _read_manifest(folder)
        _verify(folder, manifest, progress)
        vendor = manifest.get("database_vendor")
        if vendor != connection.vendor:
            raise ValidationError(
                _("This backup is of a %(archive)s database; this site uses %(current)s.")
                % {"archive": vendor, "current": connection.vendor}
            )
        members, pages = database_content()
        if (members or pages) and not force:
            raise ValidationError(
                _(
                    "The database already holds content (%(members)s members, %(pages)s pages): "
                    "restoring would replace it. Restore into an empty database, or use --force."
                )
                % {"members": members, "pages": pages}
            )
        _restore_database(folder / manifest["database_file"], vendor)
        _restore_media(folder, media_root, progress)
    # The pages kept rendered (core/render_cache.py) showed the database just replaced.
    caches["pages"].clear()
    return manifest
