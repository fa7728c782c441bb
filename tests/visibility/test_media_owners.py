"""Photos and files follow what uses them, at every level, on every surface (files, API).

A photo is public only when something public uses it: a public project (its cover, steps,
files, visible journal entries), a public tribe's logo, an approved organisation's logo, a
machine, a live showcase. A photo only hidden journal entries use is seen as those entries
are; one that nothing uses is private (staff and its uploader); a deleted project takes its
photos, renditions and files with it, stored files included."""

from django.core.files.storage import default_storage
from django.test import Client, TestCase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from calls.factories import OrganisationFactory, OrganisationMembershipFactory
from images.factories import CarnetImageFactory
from machines.factories import MachineFactory
from moderation import services as moderation
from projects import services
from projects.factories import JournalEntryFactory, ProjectDocumentFactory, ProjectPageFactory
from showcases.factories import ShowcasePageFactory
from tests.visibility.world import RENDITION_SPEC, tribe_create
from tribes.models import MembershipState, TribeMembership
from users.factories import UserFactory
from visibility.policy import can_view

PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, no-store"


class MediaOwnersTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.collaborator = UserFactory()
        cls.outsider = UserFactory()
        cls.staff = UserFactory(staff=True)

    def client_for(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def fetch(self, user, url: str):
        response = self.client_for(user).get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # let the client close the file
        return response

    def api_ids(self, endpoint: str) -> set[int]:
        response = Client().get(f"/api/v2/{endpoint}/", {"limit": 20})
        self.assertEqual(response.status_code, 200)
        return {item["id"] for item in response.json()["items"]}

    def api_titles(self, endpoint: str) -> str:
        return Client().get(f"/api/v2/{endpoint}/", {"limit": 20}).content.decode()

    def project(self, visibility: str = "public", **kwargs):
        project = ProjectPageFactory(owner=self.owner, collaborators=[self.collaborator], **kwargs)
        if visibility != "public":
            project = services.project_update(
                project=project,
                user=self.owner,
                visibility=visibility,
                **self.tribes_for(visibility),
            )
        return project

    def tribes_for(self, visibility: str) -> dict:
        if visibility != "tribe":
            return {}
        tribe = tribe_create(f"Tribu {visibility} {self.id()[-20:]}")
        TribeMembership.objects.create(
            tribe=tribe, user=self.outsider, state=MembershipState.ACTIVE
        )
        return {"tribes": [tribe]}


class TestHiddenJournalEntryPhotos(MediaOwnersTestCase):
    """Moderators hide an entry of a public project: its text and its photos go together."""

    def setUp(self):
        self.project = self.project("public")
        self.photo = CarnetImageFactory(project=self.project, title="Photo du brouillon raté")
        self.rendition = self.photo.get_rendition(RENDITION_SPEC)
        self.entry = JournalEntryFactory(project=self.project, photos=[self.photo])
        self.hide(self.entry)

    def hide(self, entry):
        reporter = UserFactory()
        report = moderation.report_create(reporter=reporter, target=entry, reason="offensive")
        moderation.report_hide(user=self.staff, report=report, message="Pas ici.")
        entry.refresh_from_db()
        self.assertTrue(entry.hidden)
        self.report = report

    def test_outsiders_get_404_for_the_photo_and_its_rendition(self):
        for user in (None, self.outsider):
            for url in (self.photo.file.url, self.rendition.url):
                with self.subTest(user=user, url=url):
                    self.assertEqual(self.fetch(user, url).status_code, 404)

    def test_those_who_may_fix_the_entry_see_it_privately(self):
        for user in (self.owner, self.collaborator, self.staff):
            for url in (self.photo.file.url, self.rendition.url):
                with self.subTest(user=user.username, url=url):
                    response = self.fetch(user, url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response["Cache-Control"], PRIVATE_CACHE)

    def test_the_photo_is_absent_from_the_api(self):
        self.assertNotIn(self.photo.pk, self.api_ids("images"))
        self.assertNotIn(self.photo.title, self.api_titles("images"))
        self.assertEqual(Client().get(f"/api/v2/images/{self.photo.pk}/").status_code, 404)

    def test_the_policy_agrees_object_by_object(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(can_view(AnonymousUser(), self.photo))
        self.assertFalse(can_view(self.outsider, self.photo))
        self.assertTrue(can_view(self.owner, self.photo))
        self.assertTrue(can_view(self.staff, self.photo))

    def test_a_photo_a_visible_entry_also_shows_stays_public(self):
        JournalEntryFactory(project=self.project, photos=[self.photo])
        response = self.fetch(None, self.photo.file.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], PUBLIC_CACHE)

    def test_showing_the_entry_again_makes_the_photo_public_again(self):
        moderation.content_show_again(user=self.staff, report=self.report)
        self.assertEqual(self.fetch(None, self.photo.file.url).status_code, 200)
        self.assertIn(self.photo.pk, self.api_ids("images"))

    def test_deleting_the_hidden_entry_deletes_its_photo_instead_of_showing_it_again(self):
        services.journal_entry_delete(entry=self.entry, user=self.owner)
        self.assertFalse(get_image_model().objects.filter(pk=self.photo.pk).exists())
        for user in (None, self.outsider, self.owner):
            self.assertEqual(self.fetch(user, self.photo.file.url).status_code, 404)
        self.assertNotIn(self.photo.pk, self.api_ids("images"))


class TestPhotosTakenOffAnEntry(MediaOwnersTestCase):
    """A photo taken off an entry goes with it, unless the project still shows it elsewhere."""

    def setUp(self):
        self.project = self.project("public")
        self.photo = CarnetImageFactory(project=self.project)
        self.entry = JournalEntryFactory(project=self.project, photos=[self.photo])

    def exists(self, image) -> bool:
        return get_image_model().objects.filter(pk=image.pk).exists()

    def test_a_removed_photo_is_deleted(self):
        services.journal_entry_update(entry=self.entry, user=self.owner, photos=[])
        self.assertFalse(self.exists(self.photo))

    def test_a_photo_another_entry_shows_is_kept(self):
        JournalEntryFactory(project=self.project, photos=[self.photo])
        services.journal_entry_delete(entry=self.entry, user=self.owner)
        self.assertTrue(self.exists(self.photo))

    def test_a_photo_the_cover_or_a_step_shows_is_kept(self):
        cover = self.photo
        step_photo = CarnetImageFactory(project=self.project)
        self.entry.photos.add(step_photo)
        services.project_update(project=self.project, user=self.owner, cover_image=cover)
        services.project_step_add(
            project=self.project, user=self.owner, title="Découpe", photos=[step_photo]
        )
        self.project.refresh_from_db()
        services.journal_entry_delete(entry=self.entry, user=self.owner)
        self.assertTrue(self.exists(cover))
        self.assertTrue(self.exists(step_photo))


class TestDeletedProjects(MediaOwnersTestCase):
    """A project's photos, renditions and files are deleted with it, stored files included."""

    def build(self, visibility: str):
        project = self.project(visibility)
        cover = CarnetImageFactory(project=project, title=f"Couverture {visibility}")
        project.cover_image = cover
        project.save()
        journal_photo = CarnetImageFactory(project=project, title=f"Journal {visibility}")
        JournalEntryFactory(project=project, photos=[journal_photo])
        document = ProjectDocumentFactory(project=project, title=f"Plan {visibility}")
        rendition = cover.get_rendition(RENDITION_SPEC)
        files = [cover.file.name, journal_photo.file.name, rendition.file.name, document.file.name]
        for name in files:
            self.assertTrue(default_storage.exists(name), name)
        urls = [cover.file.url, journal_photo.file.url, rendition.url, document.file.url]
        return project, (cover, journal_photo, document), files, urls

    def test_deleting_a_project_deletes_its_photos_renditions_and_files(self):
        for visibility in ("public", "tribe", "private"):
            with self.subTest(visibility=visibility):
                project, (cover, photo, document), files, urls = self.build(visibility)
                with self.captureOnCommitCallbacks(execute=True):
                    project.delete()
                self.assertFalse(get_image_model().objects.filter(pk__in=[cover.pk, photo.pk]))
                self.assertFalse(cover.renditions.exists())
                self.assertFalse(get_document_model().objects.filter(pk=document.pk))
                for name in files:
                    self.assertFalse(default_storage.exists(name), name)
                for user in (None, self.outsider, self.owner, self.staff):
                    for url in (*urls, f"/documents/{document.pk}/{document.filename}"):
                        self.assertEqual(self.fetch(user, url).status_code, 404, (user, url))
                self.assertFalse({cover.pk, photo.pk} & self.api_ids("images"))
                self.assertNotIn(document.pk, self.api_ids("documents"))

    def test_deleting_from_the_admin_deletes_them_too(self):
        project, (cover, photo, document), files, _ = self.build("private")
        client = self.client_for(UserFactory(is_staff=True, is_superuser=True))
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(f"/admin/pages/{project.pk}/delete/")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(get_image_model().objects.filter(pk__in=[cover.pk, photo.pk]))
        self.assertFalse(get_document_model().objects.filter(pk=document.pk))
        for name in files:
            self.assertFalse(default_storage.exists(name), name)

    def test_photos_and_files_left_without_a_project_stay_private(self):
        """Rows orphaned before photos were deleted with their project (no project left)."""
        photo = CarnetImageFactory(title="Ancienne photo privée", uploaded_by_user=self.owner)
        rendition = photo.get_rendition(RENDITION_SPEC)
        document = ProjectDocumentFactory(title="ancien-plan.svg", uploaded_by_user=self.owner)
        for url in (photo.file.url, rendition.url, document.file.url, document.url):
            for user, expected in ((None, 404), (self.outsider, 404), (self.owner, 200),
                                   (self.staff, 200)):  # fmt: skip
                with self.subTest(url=url, user=user):
                    response = self.fetch(user, url)
                    self.assertEqual(response.status_code, expected)
                    if expected == 200:
                        self.assertEqual(response["Cache-Control"], PRIVATE_CACHE)
        self.assertNotIn(photo.pk, self.api_ids("images"))
        self.assertNotIn(photo.title, self.api_titles("images"))
        self.assertNotIn(document.pk, self.api_ids("documents"))


class TestLogosAndOtherOwners(MediaOwnersTestCase):
    def test_a_private_tribe_logo_is_seen_by_its_members_only(self):
        tribe = tribe_create("Cercle discret", visibility="private")
        member = UserFactory()
        TribeMembership.objects.create(tribe=tribe, user=member, state=MembershipState.ACTIVE)
        tribe.logo = CarnetImageFactory(title="Logo du Cercle discret")
        tribe.save_revision().publish()
        logo = tribe.logo
        rendition = logo.get_rendition(RENDITION_SPEC)
        for url in (logo.file.url, rendition.url):
            for user, expected in ((None, 404), (self.outsider, 404), (member, 200),
                                   (self.staff, 200)):  # fmt: skip
                with self.subTest(url=url, user=user):
                    self.assertEqual(self.fetch(user, url).status_code, expected)
        self.assertNotIn(logo.pk, self.api_ids("images"))
        self.assertNotIn("Cercle discret", self.api_titles("images"))
        self.assertEqual(Client().get(f"/api/v2/images/{logo.pk}/").status_code, 404)

    def test_a_public_tribe_logo_is_public(self):
        tribe = tribe_create("Atelier ouvert")
        tribe.logo = CarnetImageFactory(title="Logo de l'Atelier ouvert")
        tribe.save_revision().publish()
        response = self.fetch(None, tribe.logo.file.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], PUBLIC_CACHE)
        self.assertIn(tribe.logo_id, self.api_ids("images"))

    def test_an_organisation_logo_follows_the_organisation(self):
        pending = OrganisationFactory(pending=True, logo=CarnetImageFactory(title="Logo attente"))
        member = OrganisationMembershipFactory(organisation=pending).user
        approved = OrganisationFactory(logo=CarnetImageFactory(title="Logo approuvé"))
        self.assertEqual(self.fetch(None, pending.logo.file.url).status_code, 404)
        self.assertEqual(self.fetch(member, pending.logo.file.url).status_code, 200)
        self.assertEqual(self.fetch(None, approved.logo.file.url).status_code, 200)
        self.assertEqual(
            {pending.logo_id, approved.logo_id} & self.api_ids("images"), {approved.logo_id}
        )

    def test_a_machine_photo_is_public_like_the_machine(self):
        machine = MachineFactory(photo=CarnetImageFactory(title="La découpeuse"))
        response = self.fetch(None, machine.photo.file.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get(f"/machines/{machine.slug}/").status_code, 200)

    def test_a_showcase_hero_image_is_public_once_the_showcase_is_live(self):
        live = ShowcasePageFactory(hero_image=CarnetImageFactory(title="Héros en ligne"))
        draft = ShowcasePageFactory(live=False, hero_image=CarnetImageFactory(title="Héros"))
        self.assertEqual(self.fetch(None, live.hero_image.file.url).status_code, 200)
        self.assertEqual(self.fetch(None, draft.hero_image.file.url).status_code, 404)
        self.assertEqual(self.fetch(self.staff, draft.hero_image.file.url).status_code, 200)
        self.assertEqual(
            {live.hero_image_id, draft.hero_image_id} & self.api_ids("images"),
            {live.hero_image_id},
        )

    def test_an_upload_nothing_uses_yet_is_seen_by_its_uploader_only(self):
        """A photo stored while a form is fixed (kept upload) belongs to no project yet."""
        photo = CarnetImageFactory(title="Photo en attente", uploaded_by_user=self.owner)
        self.assertEqual(self.fetch(self.owner, photo.file.url).status_code, 200)
        self.assertEqual(self.fetch(self.outsider, photo.file.url).status_code, 404)
        self.assertEqual(self.fetch(None, photo.file.url).status_code, 404)
