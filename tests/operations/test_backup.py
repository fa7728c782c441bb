"""`manage.py backup` and `manage.py restore`: a site restored from its archive into a fresh
database and media folder serves the same project page, and the same files byte for byte.
The restored site runs in its own process (as after a move to a new server), on the database
vendor of the suite: SQLite in `make test`, PostgreSQL in `make test-postgres`."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from images.factories import CarnetImageFactory
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import ProjectPage
from users.factories import UserFactory

HOST = "localhost"
# What differs between two renderings of the same page: per-request tokens.
VOLATILE = re.compile(r'(nonce|csrfmiddlewaretoken" value|data-csrf)="[^"]*"')


def page_html(content: bytes) -> str:
    return VOLATILE.sub(r'\1=""', content.decode())


def media_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class FreshSite:
    """An empty database and media folder of the suite's vendor, driven by `manage.py` in
    another process."""

    def __init__(self, work: Path):
        self.work = work
        self.media_root = work / "media"
        self.database = None
        if connection.vendor == "sqlite":
            self.url = f"sqlite:///{work / 'fresh.sqlite3'}"
        else:
            self.database = f"carnet_restore_{uuid.uuid4().hex[:12]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.database}"')
            db = connection.settings_dict
            self.url = (
                f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
                f"/{self.database}?host={quote(db['HOST'] or '')}"
                + (f"&port={db['PORT']}" if db.get("PORT") else "")
            )
        (work / "fresh_settings.py").write_text(
            "from docs_platform.settings.test import *\n"
            f"MEDIA_ROOT = {str(self.media_root)!r}\n"
            "ALLOWED_HOSTS = ['localhost']\n"
        )

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fresh_settings",
            "PYTHONPATH": os.pathsep.join([str(self.work), str(settings.BASE_DIR)]),
            "DATABASE_URL": self.url,
        }
        return subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def get(self, path: str) -> str:
        script = (
            "import sys; from django.test import Client; "
            f"response = Client(HTTP_HOST={HOST!r}).get({path!r}); "
            "sys.stdout.write(str(response.status_code) + '\\n'); "
            "sys.stdout.write(response.content.decode())"
        )
        out = self.manage("shell", "--verbosity", "0", "-c", script).stdout
        status, _, body = out.partition("\n")
        assert status == "200", out[:2000]
        return page_html(body.encode())

    def drop(self):
        if self.database:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


class TestBackupRoundTrip(TransactionTestCase):
    serialized_rollback = True  # the page tree of the migrations, back after each test

    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="carnet-backup-test-"))
        media = self.work / "site-media"
        self.media_override = override_settings(MEDIA_ROOT=str(media))
        self.media_override.enable()
        self.addCleanup(self.media_override.disable)
        owner = UserFactory(username="lou", display_name="Lou B.")
        self.project = ProjectPageFactory(title="Horloge à balancier", slug="horloge", owner=owner)
        photos = [CarnetImageFactory(title="Cadran"), CarnetImageFactory(title="Échappement")]
        JournalEntryFactory(project=self.project, title="Premier essai", photos=photos)
        self.site_media = media

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def backup(self) -> Path:
        archive = self.work / "backup.tar.gz"
        call_command("backup", str(archive), "--no-progress", stdout=io.StringIO())
        return archive

    def test_a_restored_site_serves_the_same_page_and_the_same_files(self):
        original = Client(HTTP_HOST=HOST).get(f"/projects/{self.project.slug}/")
        self.assertEqual(original.status_code, 200)
        self.assertContains(original, "Premier essai")
        archive = self.backup()
        fresh = FreshSite(self.work)
        self.addCleanup(fresh.drop)
        fresh.manage("migrate", "--noinput")  # as docs/deployment.md allows: still "empty"
        fresh.manage("restore", str(archive), "--no-progress")
        restored = fresh.get(f"/projects/{self.project.slug}/")
        self.assertEqual(restored, page_html(original.content))
        originals = media_bytes(self.site_media)
        self.assertTrue(any(name.startswith("original_images/") for name in originals))
        self.assertEqual(media_bytes(fresh.media_root), originals)

    def test_the_manifest_names_the_vendor_and_every_file_with_its_checksum(self):
        archive = self.backup()
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            manifest = json.load(tar.extractfile("manifest.json"))
        self.assertEqual(manifest["database_vendor"], connection.vendor)
        self.assertEqual(set(manifest["files"]), names - {"manifest.json"})
        self.assertEqual(
            {name for name in manifest["files"] if name.startswith("media/")},
            {f"media/{name}" for name in media_bytes(self.site_media)},
        )
        self.assertTrue(all(len(checksum) == 64 for checksum in manifest["files"].values()))

    def test_restore_refuses_a_database_with_content_unless_forced(self):
        archive = self.backup()
        ProjectPageFactory(title="Après la sauvegarde", owner=self.project.owner)
        with self.assertRaisesMessage(CommandError, "--force"):
            call_command("restore", str(archive), "--no-progress")
        self.assertTrue(ProjectPage.objects.filter(title="Après la sauvegarde").exists())

    def test_restore_refuses_a_damaged_archive_and_changes_nothing(self):
        archive = self.backup()
        damaged = self.work / "damaged.tar.gz"
        with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read() if member.isfile() else None
                if member.name.startswith("media/original_images/"):
                    data = data[:-1] + bytes([data[-1] ^ 1])
                target.addfile(member, None if data is None else io.BytesIO(data))
        fresh = FreshSite(self.work)
        self.addCleanup(fresh.drop)
        result = fresh.manage("restore", str(damaged), "--no-progress", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CommandError", result.stderr)
        self.assertIn("media/original_images/", result.stderr)  # the damaged file, named
        self.assertFalse(fresh.media_root.exists() and any(fresh.media_root.rglob("*.*")))
