"""projects.services: every write to projects and journals, each saved as a revision."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, PageLogEntry

from images.factories import CarnetImageFactory
from images.models import CarnetImage
from machines.factories import MachineFactory, MaterialFactory
from projects import services
from projects.models import JournalEntry, ProjectIndexPage, ProjectPage
from tests.helpers import image_upload, text_upload
from users.factories import UserFactory

Document = get_document_model()


def _reload(project) -> ProjectPage:
    return ProjectPage.objects.get(pk=project.pk)


class TestProjectCreate(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()

    def _create(self, title="Lampe de chevet", **kwargs):
        kwargs.setdefault("summary", "Une lampe en contreplaqué.")
        return services.project_create(owner=self.owner, title=title, **kwargs)

    def test_creates_a_draft_under_the_index(self):
        project = self._create(title="  Lampe de chevet  ", summary=" Une lampe. ")
        project = _reload(project)
        self.assertFalse(project.live)
        self.assertIsNone(project.first_published_at)
        self.assertEqual(project.get_parent().specific, ProjectIndexPage.objects.get())
        self.assertEqual((project.title, project.summary), ("Lampe de chevet", "Une lampe."))
        self.assertEqual(project.owner, self.owner)
        self.assertEqual(project.url, "/projects/lampe-de-chevet/")

    def test_records_one_draft_revision_by_the_owner(self):
        project = _reload(self._create())
        revision = project.revisions.get()
        self.assertEqual(revision.user, self.owner)
        self.assertEqual(project.latest_revision, revision)
        self.assertIsNone(project.live_revision)

    def test_member_without_any_wagtail_permission_can_create_and_publish(self):
        self.assertFalse(self.owner.is_staff or self.owner.groups.exists())
        project = services.project_publish(project=self._create(), user=self.owner)
        self.assertTrue(_reload(project).live)

    def test_same_title_gets_a_unique_slug(self):
        slugs = [self._create(title="Lampe").slug for _ in range(3)]
        self.assertEqual(slugs, ["lampe", "lampe-2", "lampe-3"])

    def test_reserved_slug_new_is_never_used(self):
        self.assertEqual(self._create(title="New").slug, "new-2")
        self.assertEqual(self._create(title="NEW!").slug, "new-3")
        self.assertFalse(ProjectPage.objects.filter(slug="new").exists())

    def test_title_without_letters_gets_a_default_slug(self):
        self.assertEqual(self._create(title="!!!").slug, "projet")

    def test_long_title_gets_a_short_slug(self):
        self.assertLessEqual(len(self._create(title="Très " * 40).slug), 60)

    def test_cover_photo_upload_is_stored_as_an_image_of_the_member(self):
        project = _reload(self._create(photo=image_upload("cover.png")))
        self.assertIsNotNone(project.cover_image)
        self.assertEqual(project.cover_image.uploaded_by_user, self.owner)
        self.assertEqual(project.cover_image.title, "Lampe de chevet")

    def test_existing_image_can_be_the_cover(self):
        image = CarnetImageFactory(uploaded_by_user=self.owner)
        self.assertEqual(_reload(self._create(photo=image)).cover_image, image)

    def test_non_image_cover_is_refused_and_nothing_is_created(self):
        with self.assertRaises(ValidationError):
            self._create(photo=text_upload("cover.jpg"))
        self.assertFalse(ProjectPage.objects.exists())
        self.assertFalse(CarnetImage.objects.exists())

    def test_empty_summary_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create(summary="   ")
        self.assertFalse(ProjectPage.objects.exists())


class ProjectTestCase(TestCase):
    """A project created and published through the services (two revisions), with its owner
    and a collaborator."""

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.collaborator = UserFactory()
        cls.project = services.project_publish(
            project=services.project_create(
                owner=cls.owner, title="Station météo", summary="Capteurs et boîtier imprimé."
            ),
            user=cls.owner,
        )

    def reload(self) -> ProjectPage:
        return _reload(self.project)

    def revision_count(self) -> int:
        return self.project.revisions.count()

    def assert_published_by(self, user):
        project = self.reload()
        latest = project.revisions.order_by("-pk").first()
        self.assertEqual(latest.user, user)
        self.assertEqual(project.live_revision, latest)
        self.assertFalse(project.has_unpublished_changes)


class TestProjectUpdate(ProjectTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.machine = MachineFactory(name="Prusa MK4")
        cls.material = MaterialFactory(name="PETG")

    def test_changes_fields_and_publishes_a_new_revision_each_time(self):
        services.project_update(project=self.project, user=self.owner, status="prototype_works")
        services.project_update(
            project=self.project, user=self.owner, presentation="## Pourquoi", cost=Decimal("42.50")
        )
        project = self.reload()
        self.assertEqual(project.status, "prototype_works")  # the first change is not lost
        self.assertEqual(project.presentation, "## Pourquoi")
        self.assertEqual(project.cost, Decimal("42.50"))
        self.assertEqual(self.revision_count(), 4)
        self.assert_published_by(self.owner)

    def test_sets_tags_machines_materials_and_collaborators(self):
        services.project_update(
            project=self.project,
            user=self.owner,
            tags=["arduino", "météo"],
            machines=[self.machine],
            materials=[self.material],
            collaborators=[self.collaborator],
        )
        project = self.reload()
        self.assertEqual(sorted(tag.name for tag in project.tags.all()), ["arduino", "météo"])
        self.assertEqual(list(project.machines.all()), [self.machine])
        self.assertEqual(list(project.materials.all()), [self.material])
        self.assertEqual(list(project.collaborators.all()), [self.collaborator])

    def test_relations_are_replaced_not_added(self):
        services.project_update(project=self.project, user=self.owner, tags=["a", "b"])
        services.project_update(project=self.project, user=self.owner, tags=["c"])
        self.assertEqual([tag.name for tag in self.reload().tags.all()], ["c"])

    def test_revision_records_who_saved(self):
        services.project_update(project=self.project, user=self.collaborator, duration="2 soirs")
        self.assert_published_by(self.collaborator)

    def test_title_change_keeps_the_address(self):
        services.project_update(project=self.project, user=self.owner, title="Station météo v2")
        project = self.reload()
        self.assertEqual((project.title, project.slug), ("Station météo v2", "station-meteo"))


class TestSteps(ProjectTestCase):
    def _add(self, title, **kwargs):
        return services.project_step_add(
            project=self.project, user=self.owner, title=title, **kwargs
        )

    def _titles(self):
        return [step.value["title"] for step in self.reload().steps]

    def test_add_appends_steps_in_order_with_photos(self):
        first = self._add("Imprimer le boîtier", body="PETG, 0,2 mm.", photos=[image_upload()])
        second = self._add("Souder les capteurs")
        steps = self.reload().steps
        self.assertEqual([step.id for step in steps], [first, second])
        self.assertEqual(self._titles(), ["Imprimer le boîtier", "Souder les capteurs"])
        self.assertEqual(steps[0].value["body"], "PETG, 0,2 mm.")
        (photo,) = steps[0].value["photos"]
        self.assertEqual(photo.uploaded_by_user, self.owner)
        self.assertEqual(self.revision_count(), 4)
        self.assert_published_by(self.owner)

    def test_update_changes_text_adds_and_removes_photos(self):
        old_photo = CarnetImageFactory(uploaded_by_user=self.owner)
        step_id = self._add("Coller", photos=[old_photo])
        other_id = self._add("Poncer")
        services.project_step_update(
            project=self.project,
            user=self.collaborator,
            step_id=step_id,
            title="Coller à la colle vinylique",
            body="Serrer 1 h.",
            photos=[image_upload("new.png")],
        )
        steps = self.reload().steps
        self.assertEqual([step.id for step in steps], [step_id, other_id])
        self.assertEqual(steps[0].value["title"], "Coller à la colle vinylique")
        self.assertEqual(steps[0].value["body"], "Serrer 1 h.")
        self.assertEqual(
            [photo.title for photo in steps[0].value["photos"]], ["Coller à la colle vinylique"]
        )
        self.assertEqual(steps[1].value["title"], "Poncer")
        self.assert_published_by(self.collaborator)

    def test_delete_removes_only_that_step(self):
        first, second = self._add("A"), self._add("B")
        services.project_step_delete(project=self.project, user=self.owner, step_id=first)
        self.assertEqual([step.id for step in self.reload().steps], [second])
        self.assertEqual(self.revision_count(), 5)

    def test_unknown_step_is_a_validation_error(self):
        for call in (services.project_step_delete, services.project_step_move):
            kwargs = {"offset": 1} if call is services.project_step_move else {}
            with self.assertRaises(ValidationError):
                call(project=self.project, user=self.owner, step_id="nope", **kwargs)
        with self.assertRaises(ValidationError):
            services.project_step_update(
                project=self.project, user=self.owner, step_id="nope", title="x"
            )

    def test_move_up_and_down_swaps_with_the_neighbour(self):
        a, b, c = self._add("A"), self._add("B"), self._add("C")
        services.project_step_move(project=self.project, user=self.owner, step_id=c, offset=-1)
        self.assertEqual(self._titles(), ["A", "C", "B"])
        services.project_step_move(project=self.project, user=self.owner, step_id=a, offset=1)
        self.assertEqual(self._titles(), ["C", "A", "B"])
        self.assertEqual([step.id for step in self.reload().steps], [c, a, b])  # ids kept

    def test_move_keeps_photos(self):
        photo = CarnetImageFactory(uploaded_by_user=self.owner)
        self._add("A")
        b = self._add("B", photos=[photo])
        services.project_step_move(project=self.project, user=self.owner, step_id=b, offset=-1)
        self.assertEqual(list(self.reload().steps[0].value["photos"]), [photo])

    def test_move_past_either_end_changes_nothing(self):
        a, b = self._add("A"), self._add("B")
        before = self.revision_count()
        services.project_step_move(project=self.project, user=self.owner, step_id=a, offset=-1)
        services.project_step_move(project=self.project, user=self.owner, step_id=b, offset=1)
        self.assertEqual(self._titles(), ["A", "B"])
        self.assertEqual(self.revision_count(), before)


class TestBillOfMaterials(ProjectTestCase):
    def _set(self, rows):
        services.project_bill_of_materials_set(project=self.project, user=self.owner, rows=rows)

    def test_rows_are_stored_and_total_computed(self):
        self._set(
            [
                {"item": "Arduino Nano", "quantity": Decimal("1"), "unit_cost": Decimal("22.00")},
                {
                    "item": "Vis M3",
                    "quantity": Decimal("8"),
                    "unit": "pièce",
                    "unit_cost": Decimal("0.15"),
                },
                {"item": "PETG", "quantity": Decimal("120"), "unit": "g", "unit_cost": None},
            ]
        )
        project = self.reload()
        self.assertEqual(
            [row.value["item"] for row in project.bill_of_materials],
            ["Arduino Nano", "Vis M3", "PETG"],
        )
        self.assertEqual(project.bill_of_materials[1].value["unit"], "pièce")
        self.assertEqual(project.bill_of_materials_total, Decimal("23.20"))
        self.assert_published_by(self.owner)

    def test_each_row_total_is_rounded_to_the_cent(self):
        self._set([{"item": "Fil", "quantity": Decimal("0.333"), "unit_cost": Decimal("3.00")}])
        self.assertEqual(self.reload().bill_of_materials_total, Decimal("1.00"))

    def test_setting_replaces_the_previous_rows(self):
        self._set([{"item": "A", "quantity": Decimal("1"), "unit_cost": Decimal("1")}])
        self._set([{"item": "B", "quantity": Decimal("2"), "unit_cost": Decimal("5")}])
        project = self.reload()
        self.assertEqual([row.value["item"] for row in project.bill_of_materials], ["B"])
        self.assertEqual(project.bill_of_materials_total, Decimal("10.00"))

    def test_empty_bill_totals_zero(self):
        self._set([])
        self.assertEqual(self.reload().bill_of_materials_total, Decimal("0.00"))


class TestFiles(ProjectTestCase):
    def _add(self, upload, description=""):
        return services.project_file_add(
            project=self.project, user=self.owner, file=upload, description=description
        )

    def test_add_stores_a_document_and_lists_it_on_the_project(self):
        document = self._add(text_upload("boitier.stl", b"solid box\nendsolid box\n"), "Boîtier")
        self.assertEqual(document.title, "boitier.stl")
        self.assertEqual(document.uploaded_by_user, self.owner)
        (block,) = self.reload().files
        self.assertEqual(block.value["document"], document)
        self.assertEqual(block.value["description"], "Boîtier")
        self.assert_published_by(self.owner)

    @override_settings(CARNET_MAX_UPLOAD_SIZE=10)
    def test_file_over_the_size_limit_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._add(text_upload("big.gcode", b"G1 X10 Y10\n" * 5))
        self.assertEqual(caught.exception.error_list[0].code, "file_too_large")
        self.assertFalse(Document.objects.exists())
        self.assertEqual(len(self.reload().files), 0)

    def test_file_type_outside_the_allowed_list_is_refused(self):
        with self.assertRaises(ValidationError):
            self._add(text_upload("setup.exe", b"MZ"))
        self.assertFalse(Document.objects.exists())

    def test_remove_takes_the_file_off_the_project(self):
        self._add(text_upload("a.svg", b"<svg/>"))
        self._add(text_upload("b.svg", b"<svg/>"))
        first, second = self.reload().files
        services.project_file_remove(project=self.project, user=self.owner, block_id=first.id)
        self.assertEqual([block.id for block in self.reload().files], [second.id])

    def test_removing_an_unknown_file_is_a_validation_error(self):
        with self.assertRaises(ValidationError):
            services.project_file_remove(project=self.project, user=self.owner, block_id="nope")


class TestJournalEntries(ProjectTestCase):
    def _create(self, **kwargs):
        kwargs.setdefault("kind", "trial")
        kwargs.setdefault("body", "Découpe à 60 %.")
        return services.journal_entry_create(project=self.project, author=self.owner, **kwargs)

    def test_create_saves_the_entry_and_a_revision_by_its_author(self):
        machine = MachineFactory()
        entry = self._create(
            kind="failure",
            title="  Bois brûlé  ",
            outcome="failed",
            machine=machine,
            parameters={"Puissance": "90 %"},
        )
        entry.refresh_from_db()
        self.assertEqual(
            (entry.kind, entry.title, entry.outcome), ("failure", "Bois brûlé", "failed")
        )
        self.assertEqual(
            (entry.project, entry.author, entry.machine),
            (self.project.page_ptr.specific, self.owner, machine),
        )
        self.assertEqual(entry.parameters, {"Puissance": "90 %"})
        revision = entry.revisions.get()
        self.assertEqual(revision.user, self.owner)
        self.assertEqual(entry.latest_revision, revision)

    def test_create_attaches_uploaded_and_existing_photos(self):
        existing = CarnetImageFactory(uploaded_by_user=self.owner)
        entry = self._create(photos=[image_upload("essai.png"), existing])
        self.assertEqual(entry.photos.count(), 2)
        self.assertIn(existing, entry.photos.all())

    def test_unknown_kind_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create(kind="disaster")
        self.assertFalse(JournalEntry.objects.exists())

    def test_each_update_saves_a_revision_by_the_editor(self):
        entry = self._create()
        services.journal_entry_update(
            entry=entry, user=self.collaborator, kind="lesson", body="À 40 %."
        )
        services.journal_entry_update(entry=entry, user=self.owner, title="Réglage trouvé")
        entry.refresh_from_db()
        self.assertEqual(
            (entry.kind, entry.body, entry.title), ("lesson", "À 40 %.", "Réglage trouvé")
        )
        self.assertEqual(
            [revision.user for revision in entry.revisions.order_by("pk")],
            [self.owner, self.collaborator, self.owner],
        )
        self.assertEqual(entry.author, self.owner)  # editing does not steal authorship

    def test_update_adds_and_removes_photos(self):
        kept, removed = CarnetImageFactory(), CarnetImageFactory()
        entry = self._create(photos=[kept, removed])
        services.journal_entry_update(entry=entry, user=self.owner, photos=[kept, image_upload()])
        photos = set(entry.photos.all())
        self.assertEqual(len(photos), 2)
        self.assertIn(kept, photos)
        self.assertNotIn(removed, photos)
        # Deleted, not left as a project photo that would outlive the entry's privacy.
        self.assertFalse(CarnetImage.objects.filter(pk=removed.pk).exists())

    def test_update_without_photos_leaves_them_as_they_are(self):
        photo = CarnetImageFactory()
        entry = self._create(photos=[photo])
        services.journal_entry_update(entry=entry, user=self.owner, body="Plus tard.")
        self.assertEqual(list(entry.photos.all()), [photo])

    def test_delete_removes_the_entry_and_logs_who_did_it(self):
        entry = self._create(title="À supprimer")
        entry_pk = entry.pk
        services.journal_entry_delete(entry=entry, user=self.collaborator)
        self.assertFalse(JournalEntry.objects.filter(pk=entry_pk).exists())
        log = ModelLogEntry.objects.get(
            action="wagtail.delete",
            content_type=ContentType.objects.get_for_model(JournalEntry),
            object_id=str(entry_pk),
        )
        self.assertEqual(log.user, self.collaborator)
        self.assertEqual(log.label, "À supprimer")


class TestDrafts(TestCase):
    """A project starts as a draft; every change keeps it one, as a revision and in its row
    (what the visibility policy and the listings read), until its authors publish it."""

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.collaborator = UserFactory()

    def setUp(self):
        self.project = services.project_create(
            owner=self.owner, title="Boîte à bijoux", summary="Découpée au laser."
        )

    def _changes(self):
        """Every kind of page change a member makes, each as (name, change)."""
        project, owner = self.project, self.owner
        step = services.project_step_add(project=project, user=owner, title="Tracer")
        services.project_file_add(project=project, user=owner, file=text_upload())
        file_id = _reload(project).files[0].id
        return {
            "update": lambda: services.project_update(
                project=project,
                user=owner,
                presentation="Pour ranger.",
                collaborators=[self.collaborator],
            ),
            "cover": lambda: services.project_cover_set(
                project=project, user=owner, photo=image_upload("couvercle.png")
            ),
            "step add": lambda: services.project_step_add(
                project=project, user=owner, title="Découper"
            ),
            "step move": lambda: services.project_step_move(
                project=project, user=owner, step_id=step, offset=1
            ),
            "step delete": lambda: services.project_step_delete(
                project=project, user=owner, step_id=step
            ),
            "bill of materials": lambda: services.project_bill_of_materials_set(
                project=project, user=owner, rows=[{"item": "Contreplaqué", "quantity": "1"}]
            ),
            "file remove": lambda: services.project_file_remove(
                project=project, user=owner, block_id=file_id
            ),
        }

    def test_every_change_keeps_a_draft_a_draft_and_writes_its_row(self):
        for name, change in self._changes().items():
            with self.subTest(name):
                before = self.project.revisions.count()
                change()
                project = _reload(self.project)
                self.assertFalse(project.live)
                self.assertIsNone(project.live_revision)
                self.assertEqual(project.revisions.count(), before + 1)
                latest = project.get_latest_revision_as_object()
                for field in ("presentation", "cover_image_id", "steps", "bill_of_materials"):
                    self.assertEqual(getattr(project, field), getattr(latest, field), (name, field))
        project = _reload(self.project)
        self.assertEqual(project.presentation, "Pour ranger.")
        self.assertEqual(list(project.collaborators.all()), [self.collaborator])

    def test_publish_makes_the_latest_draft_live(self):
        services.project_update(project=self.project, user=self.owner, presentation="Texte.")
        services.project_publish(project=self.project, user=self.collaborator)
        project = _reload(self.project)
        self.assertTrue(project.live)
        self.assertEqual(project.presentation, "Texte.")
        self.assertIsNotNone(project.first_published_at)
        self.assertEqual(project.live_revision, project.latest_revision)
        self.assertEqual(project.live_revision.user, self.collaborator)
        self.assertTrue(
            PageLogEntry.objects.filter(
                page=project, action="wagtail.publish", user=self.collaborator
            ).exists()
        )

    def test_a_published_project_goes_back_to_draft_with_its_content(self):
        services.project_update(project=self.project, user=self.owner, presentation="Texte.")
        services.project_publish(project=self.project, user=self.owner)
        services.project_unpublish(project=_reload(self.project), user=self.owner)
        project = _reload(self.project)
        self.assertFalse(project.live)
        self.assertEqual(project.presentation, "Texte.")
        services.project_update(project=project, user=self.owner, summary="Encore un brouillon.")
        project = _reload(self.project)
        self.assertFalse(project.live)
        self.assertEqual(project.summary, "Encore un brouillon.")
