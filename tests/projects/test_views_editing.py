"""Member-facing editing through the views: each form saves through a service, publishes a
revision by the member, and sends them back to the right place on the project page."""

from decimal import Decimal

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from images.factories import CarnetImageFactory
from images.models import CarnetImage
from machines.factories import MachineFactory
from projects import services
from projects.models import JournalEntry, ProjectPage
from tests.helpers import EnglishClient, form_errors, image_upload, published, text_upload
from users.factories import UserFactory


class EditingTestCase(TestCase):
    """A project made and published through the services, its owner logged in."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory(display_name="Inès")
        cls.project = published(
            services.project_create(
                owner=cls.owner, title="Robot dessinateur", summary="Un robot qui dessine."
            )
        )

    def setUp(self):
        self.client.force_login(self.owner)

    def url(self, name, **kwargs):
        return reverse(f"projects:{name}", kwargs={"slug": self.project.slug, **kwargs})

    def reload(self) -> ProjectPage:
        return ProjectPage.objects.get(pk=self.project.pk)

    def latest_revision(self):
        return self.project.revisions.order_by("-pk").first()

    def assert_saved(self, response, anchor=""):
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertEqual(response.url, self.project.url + (f"#{anchor}" if anchor else ""))
        self.assertEqual(self.latest_revision().user, self.owner)
        self.assertEqual(self.reload().live_revision, self.latest_revision())


class TestNewProject(TestCase):
    client_class = EnglishClient
    url = "/projects/new/"

    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory()

    def setUp(self):
        self.client.force_login(self.member)

    def test_form_asks_for_title_summary_and_one_photo(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [name for name in response.context["form"].fields if name != "kept_photos"],
            ["title", "summary", "photos"],
        )

    def test_creates_the_project_and_redirects_to_it(self):
        response = self.client.post(
            self.url,
            {
                "title": "Horloge en bois",
                "summary": "Une horloge.",
                "photos": image_upload("h.png"),
            },
        )
        project = ProjectPage.objects.get(title="Horloge en bois")
        self.assertRedirects(response, "/projects/horloge-en-bois/")
        self.assertEqual(project.owner, self.member)
        self.assertEqual(project.cover_image.uploaded_by_user, self.member)
        self.assertEqual(project.revisions.get().user, self.member)
        self.assertFalse(project.live)  # a draft, until its author publishes it
        told = [str(message) for message in get_messages(response.wsgi_request)]
        self.assertIn("saved as a draft", " ".join(told))
        page = self.client.get(response.url)
        self.assertContains(page, "Horloge en bois")
        self.assertTrue(page.context["can_edit"])

    def test_photo_is_optional(self):
        response = self.client.post(self.url, {"title": "Sans photo", "summary": "Rien."})
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(ProjectPage.objects.get(title="Sans photo").cover_image)

    def test_title_new_does_not_hide_the_form(self):
        response = self.client.post(self.url, {"title": "New", "summary": "Mot réservé."})
        self.assertRedirects(response, "/projects/new-2/")
        self.assertEqual(self.client.get("/projects/new/").status_code, 200)

    def test_missing_title_keeps_summary_and_photo(self):
        response = self.client.post(
            self.url, {"title": "", "summary": "Ce que j'ai tapé", "photos": image_upload("p.png")}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("title", response.context["form"].errors)
        self.assertContains(response, "Ce que j&#x27;ai tapé")
        token = response.context["form"].data["kept_photos"]
        self.assertTrue(token)
        response = self.client.post(
            self.url, {"title": "Enfin", "summary": "Ce que j'ai tapé", "kept_photos": token}
        )
        self.assertEqual(response.status_code, 302)
        project = ProjectPage.objects.get(title="Enfin")
        self.assertEqual(project.cover_image, CarnetImage.objects.get())


class TestSections(EditingTestCase):
    def test_markdown_section_form_shows_current_text(self):
        services.project_update(project=self.project, user=self.owner, methodology="Texte actuel")
        response = self.client.get(self.url("edit_section", section="methodology"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Texte actuel")

    def test_saving_a_section_publishes_it_and_returns_to_it(self):
        response = self.client.post(
            self.url("edit_section", section="technical_architecture"),
            {"text": "## Électronique\n- ESP32"},
        )
        self.assert_saved(response, "technical_architecture")
        self.assertEqual(self.reload().technical_architecture, "## Électronique\n- ESP32")
        self.assertContains(self.client.get(self.project.url), "<h2>Électronique</h2>", html=False)

    def test_unknown_section_is_404(self):
        self.assertEqual(
            self.client.get(self.url("edit_section", section="title")).status_code, 404
        )

    def test_too_long_text_is_refused_and_nothing_saved(self):
        before = self.project.revisions.count()
        response = self.client.post(
            self.url("edit_section", section="presentation"), {"text": "x" * 50_001}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.project.revisions.count(), before)

    def test_details_update_fields_and_relations(self):
        machine = MachineFactory()
        response = self.client.post(
            self.url("edit_section", section="details"),
            {
                "title": "Robot dessinateur v2",
                "summary": "Il dessine mieux.",
                "status": "finished",
                "difficulty": "advanced",
                "visibility": "public",
                "duration": "3 week-ends",
                "cost": "35.50",
                "licence": "CERN-OHL-S-2.0",
                "tags": "robot, stylo",
                "machines": [machine.pk],
            },
        )
        self.assert_saved(response)
        project = self.reload()
        self.assertEqual(
            (project.title, project.status, project.difficulty, project.cost, project.licence),
            ("Robot dessinateur v2", "finished", "advanced", Decimal("35.50"), "CERN-OHL-S-2.0"),
        )
        self.assertEqual(sorted(t.name for t in project.tags.all()), ["robot", "stylo"])
        self.assertEqual(list(project.machines.all()), [machine])

    def test_details_with_bad_values_are_refused_and_typed_text_kept(self):
        before = self.project.revisions.count()
        response = self.client.post(
            self.url("edit_section", section="details"),
            {
                "title": "Titre tapé",
                "summary": "Résumé tapé",
                "status": "zzz",
                "difficulty": "beginner",
                "visibility": "public",
                "licence": "MIT",
                "cost": "-3",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["form"].errors), {"status", "cost"})
        self.assertContains(response, "Résumé tapé")
        self.assertEqual(self.project.revisions.count(), before)

    def test_cover_photo_is_replaced(self):
        response = self.client.post(
            self.url("edit_section", section="cover"), {"photos": image_upload()}
        )
        self.assert_saved(response)
        self.assertEqual(self.reload().cover_image.uploaded_by_user, self.owner)

    def test_cover_form_without_a_photo_shows_an_error(self):
        response = self.client.post(self.url("edit_section", section="cover"), {"kept_photos": ""})
        self.assertEqual(response.status_code, 200)
        self.assertIn("photos", response.context["form"].errors)

    def test_cover_form_with_a_worthless_kept_token_shows_an_error(self):
        # A token that resolves to no image (forged, expired, another member's) is no photo.
        response = self.client.post(
            self.url("edit_section", section="cover"), {"kept_photos": "forged"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertIsNone(self.reload().cover_image)


class TestStepViews(EditingTestCase):
    def _add(self, title, **extra):
        return services.project_step_add(
            project=self.project, user=self.owner, title=title, **extra
        )

    def test_adding_a_step_with_photos(self):
        response = self.client.post(
            self.url("step_add"),
            {
                "title": "Monter les servos",
                "body": "Deux vis.",
                "photos": [image_upload("a.png"), image_upload("b.png")],
            },
        )
        self.assert_saved(response, "steps")
        (step,) = self.reload().steps
        self.assertEqual(step.value["title"], "Monter les servos")
        self.assertEqual(len(step.value["photos"]), 2)

    def test_step_form_shows_the_step_and_offers_to_remove_its_photos(self):
        photo = CarnetImageFactory(uploaded_by_user=self.owner)
        step_id = self._add("Percer", body="Foret 3 mm", photos=[photo])
        response = self.client.get(self.url("step_edit", step_id=step_id))
        self.assertContains(response, "Foret 3 mm")
        self.assertIn("remove_photos", response.context["form"].fields)
        response = self.client.post(
            self.url("step_edit", step_id=step_id),
            {"title": "Percer", "body": "Foret 3 mm", "remove_photos": [photo.pk]},
        )
        self.assert_saved(response, "steps")
        self.assertEqual(list(self.reload().steps[0].value["photos"]), [])

    def test_deleting_a_step(self):
        first, second = self._add("A"), self._add("B")
        response = self.client.post(self.url("step_delete", step_id=first))
        self.assertRedirects(response, f"{self.project.url}#steps", fetch_redirect_response=False)
        self.assertEqual([step.id for step in self.reload().steps], [second])

    def test_moving_a_step_up(self):
        first, second = self._add("A"), self._add("B")
        response = self.client.post(self.url("step_move", step_id=second), {"direction": "up"})
        self.assertRedirects(response, f"{self.project.url}#steps", fetch_redirect_response=False)
        self.assertEqual([step.id for step in self.reload().steps], [second, first])

    def test_step_that_does_not_exist_is_404(self):
        self.assertEqual(self.client.get(self.url("step_edit", step_id="nope")).status_code, 404)
        self.assertEqual(
            self.client.post(self.url("step_edit", step_id="nope"), {"title": "x"}).status_code, 404
        )

    def test_deleting_or_moving_a_step_that_does_not_exist_explains_and_returns(self):
        for name, data in (("step_delete", {}), ("step_move", {"direction": "down"})):
            response = self.client.post(self.url(name, step_id="nope"), data, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])


class TestBillOfMaterialsView(EditingTestCase):
    url_name = "bill_of_materials"

    def _post(self, rows, initial=0):
        data = {
            "bom-TOTAL_FORMS": str(len(rows)),
            "bom-INITIAL_FORMS": str(initial),
            "bom-MIN_NUM_FORMS": "0",
            "bom-MAX_NUM_FORMS": "1000",
        }
        for number, row in enumerate(rows):
            data.update({f"bom-{number}-{key}": value for key, value in row.items()})
        return self.client.post(self.url(self.url_name), data)

    def test_rows_are_saved_and_the_total_shown(self):
        response = self._post(
            [
                {
                    "item": "Servo SG90",
                    "quantity": "3",
                    "unit_cost": "2.50",
                    "link": "example.org/sg90",
                },
                {"item": "Feutre", "quantity": "1", "unit_cost": "1.20"},
                {"item": "", "quantity": ""},  # an empty extra row is ignored
            ]
        )
        self.assert_saved(response, "bill-of-materials")
        project = self.reload()
        self.assertEqual(
            [row.value["item"] for row in project.bill_of_materials], ["Servo SG90", "Feutre"]
        )
        self.assertEqual(project.bill_of_materials[0].value["link"], "https://example.org/sg90")
        self.assertEqual(project.bill_of_materials_total, Decimal("8.70"))
        self.assertContains(self.client.get(self.project.url), "8.70")

    def test_form_lists_existing_rows_plus_two_empty_ones(self):
        services.project_bill_of_materials_set(
            project=self.project,
            user=self.owner,
            rows=[{"item": "Carton", "quantity": Decimal("1")}],
        )
        response = self.client.get(self.url(self.url_name))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["formset"].forms), 3)
        self.assertContains(response, "Carton")

    def test_ticked_rows_are_deleted(self):
        services.project_bill_of_materials_set(
            project=self.project,
            user=self.owner,
            rows=[{"item": "A", "quantity": Decimal("1")}, {"item": "B", "quantity": Decimal("1")}],
        )
        response = self._post(
            [{"item": "A", "quantity": "1", "DELETE": "on"}, {"item": "B", "quantity": "1"}],
            initial=2,
        )
        self.assert_saved(response, "bill-of-materials")
        self.assertEqual([row.value["item"] for row in self.reload().bill_of_materials], ["B"])

    def test_negative_quantity_is_a_form_error_and_nothing_is_saved(self):
        before = self.project.revisions.count()
        response = self._post([{"item": "Vis", "quantity": "-2"}])
        self.assertEqual(response.status_code, 200)
        self.assertIn("quantity", response.context["formset"].forms[0].errors)
        self.assertContains(response, 'value="Vis"')
        self.assertEqual(self.project.revisions.count(), before)

    def test_link_with_javascript_scheme_is_refused(self):
        response = self._post([{"item": "Vis", "quantity": "1", "link": "javascript:alert(1)"}])
        self.assertEqual(response.status_code, 200)
        self.assertIn("link", response.context["formset"].forms[0].errors)


class TestFileViews(EditingTestCase):
    def test_adding_a_file_lists_it_on_the_project(self):
        response = self.client.post(
            self.url("file_add"),
            {"file": text_upload("bras.scad", b"cube(10);"), "description": "Bras"},
        )
        self.assert_saved(response, "files")
        page = self.client.get(self.project.url)
        self.assertContains(page, "bras.scad")
        self.assertContains(page, "Bras")

    def test_file_type_not_allowed_is_refused_on_the_form(self):
        response = self.client.post(self.url("file_add"), {"file": text_upload("virus.exe", b"MZ")})
        self.assertEqual(response.status_code, 200)
        self.assertIn("file", response.context["form"].errors)

    def test_removing_a_file(self):
        services.project_file_add(
            project=self.project, user=self.owner, file=text_upload("a.svg", b"<svg/>")
        )
        block_id = self.reload().files[0].id
        response = self.client.post(self.url("file_remove", block_id=block_id))
        self.assertRedirects(response, f"{self.project.url}#files", fetch_redirect_response=False)
        self.assertEqual(len(self.reload().files), 0)

    def test_removing_a_file_that_does_not_exist_explains_and_returns(self):
        response = self.client.post(self.url("file_remove", block_id="nope"), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])


class TestJournalViews(EditingTestCase):
    def test_new_entry_form_is_prefilled_with_the_kind_asked(self):
        response = self.client.get(self.url("journal_entry_add") + "?kind=failure")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"]["kind"].value(), "failure")

    def test_journal_and_step_forms_let_members_pick_several_photos_at_once(self):
        for url in (self.url("journal_entry_add"), self.url("step_add")):
            with self.subTest(url):
                photos_input = str(self.client.get(url).context["form"]["photos"])
                self.assertIn("multiple", photos_input)

    def test_logging_a_failure_with_parameters_and_photos(self):
        machine = MachineFactory()
        response = self.client.post(
            self.url("journal_entry_add"),
            {
                "kind": "failure",
                "title": "Stylo qui bave",
                "body": "Trop **lent**.",
                "outcome": "failed",
                "machine": machine.pk,
                "parameters": "Vitesse: 20 mm/s\n\nPression : forte",
                "photos": [image_upload()],
            },
        )
        entry = JournalEntry.objects.get()
        self.assertRedirects(
            response, f"{self.project.url}#journal-{entry.pk}", fetch_redirect_response=False
        )
        self.assertEqual(
            (entry.kind, entry.author, entry.machine), ("failure", self.owner, machine)
        )
        self.assertEqual(entry.parameters, {"Vitesse": "20 mm/s", "Pression": "forte"})
        self.assertEqual(entry.photos.count(), 1)
        self.assertEqual(entry.revisions.get().user, self.owner)
        page = self.client.get(self.project.url)
        self.assertContains(page, "Stylo qui bave")
        self.assertContains(page, "<strong>lent</strong>", html=False)

    def test_empty_entry_is_refused(self):
        response = self.client.post(self.url("journal_entry_add"), {"kind": "note", "body": "  "})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].non_field_errors())
        self.assertFalse(JournalEntry.objects.exists())

    def test_photo_alone_is_enough(self):
        response = self.client.post(
            self.url("journal_entry_add"), {"kind": "note", "photos": [image_upload()]}
        )
        self.assertEqual(response.status_code, 302)

    def test_editing_an_entry_saves_a_new_revision_by_the_editor(self):
        collaborator = UserFactory()
        services.project_update(project=self.project, user=self.owner, collaborators=[collaborator])
        entry = services.journal_entry_create(
            project=self.project, author=self.owner, kind="trial", body="v1"
        )
        self.client.force_login(collaborator)
        response = self.client.get(self.url("journal_entry_edit", pk=entry.pk))
        self.assertContains(response, "v1")
        response = self.client.post(
            self.url("journal_entry_edit", pk=entry.pk), {"kind": "lesson", "body": "v2"}
        )
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertEqual((entry.kind, entry.body, entry.author), ("lesson", "v2", self.owner))
        self.assertEqual(
            [r.user for r in entry.revisions.order_by("pk")], [self.owner, collaborator]
        )

    def test_entry_of_another_project_is_404_here(self):
        other = services.project_create(owner=self.owner, title="Autre", summary="s")
        entry = services.journal_entry_create(
            project=other, author=self.owner, kind="note", body="x"
        )
        self.assertEqual(
            self.client.get(self.url("journal_entry_edit", pk=entry.pk)).status_code, 404
        )
        self.assertEqual(
            self.client.post(self.url("journal_entry_delete", pk=entry.pk)).status_code, 404
        )
        self.assertTrue(JournalEntry.objects.filter(pk=entry.pk).exists())

    def test_deleting_an_entry(self):
        entry = services.journal_entry_create(
            project=self.project, author=self.owner, kind="note", body="x"
        )
        response = self.client.post(self.url("journal_entry_delete", pk=entry.pk))
        self.assertRedirects(response, f"{self.project.url}#journal", fetch_redirect_response=False)
        self.assertFalse(JournalEntry.objects.exists())


class TestHistory(EditingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.collaborator = UserFactory(display_name="Théo")
        services.project_update(
            project=cls.project, user=cls.owner, collaborators=[cls.collaborator]
        )
        services.project_update(project=cls.project, user=cls.collaborator, presentation="Avant")
        services.project_update(project=cls.project, user=cls.collaborator, presentation="Après")

    def revision_ids(self):
        return list(self.project.revisions.order_by("pk").values_list("pk", flat=True))

    def test_lists_every_revision_with_who_and_when(self):
        response = self.client.get(self.url("history"))
        self.assertEqual(response.status_code, 200)
        revisions = response.context["revisions"]
        self.assertEqual([r.pk for r in revisions], self.revision_ids()[::-1])
        self.assertEqual(
            [r.user for r in revisions],
            [self.collaborator, self.collaborator, self.owner, self.owner, self.owner],
        )
        self.assertContains(response, "Théo")
        self.assertContains(response, "Inès")
        self.assertContains(
            response, "<time", count=len(revisions) + len(response.context["journal_revisions"])
        )

    def test_each_view_save_adds_a_revision_by_the_member(self):
        before = len(self.revision_ids())
        self.client.force_login(self.collaborator)
        self.client.post(self.url("edit_section", section="methodology"), {"text": "Méthode"})
        self.client.post(self.url("step_add"), {"title": "Étape"})
        ids = self.revision_ids()
        self.assertEqual(len(ids), before + 2)
        self.assertEqual(
            [r.user for r in self.project.revisions.filter(pk__in=ids[-2:])],
            [self.collaborator] * 2,
        )

    def test_preselects_the_last_two_revisions(self):
        response = self.client.get(self.url("history"))
        ids = self.revision_ids()
        self.assertEqual(
            (response.context["compare_from"], response.context["compare_to"]),
            (str(ids[-2]), str(ids[-1])),
        )

    def test_compare_shows_the_diff(self):
        ids = self.revision_ids()
        response = self.client.get(self.url("history"), {"from": ids[-2], "to": ids[-1]})
        self.assertEqual(response.status_code, 200)
        (field,) = response.context["diff"]
        self.assertEqual(field.label, "Presentation")
        self.assertContains(response, "Avant")
        self.assertContains(response, "Après")

    def test_lists_journal_entry_revisions(self):
        services.journal_entry_create(
            project=self.project, author=self.collaborator, kind="note", title="Note X"
        )
        response = self.client.get(self.url("history"))
        self.assertEqual(len(response.context["journal_revisions"]), 1)
        self.assertContains(response, "Note X")

    def test_bogus_revision_ids_show_a_message_not_an_error(self):
        other = services.project_create(owner=self.owner, title="Autre", summary="s")
        for query in (
            {"from": "abc", "to": "1"},
            {"from": "999999", "to": str(self.revision_ids()[0])},
            {"from": str(other.revisions.get().pk), "to": str(self.revision_ids()[0])},
            {"from": "-1", "to": "0"},
            {"from": "99999999999999999999", "to": "1"},
        ):
            with self.subTest(query):
                response = self.client.get(self.url("history"), query)
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["diff"])
                self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])


class TestPublishStep(TestCase):
    """A new project's page offers its authors the publish step: who will see it, a preview as
    others will see it, Publish; a published one, the way back to draft."""

    client_class = EnglishClient

    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.collaborator = UserFactory()

    def setUp(self):
        self.project = services.project_create(
            owner=self.owner, title="Cerf-volant", summary="En toile de spi."
        )
        services.project_update(
            project=self.project, user=self.owner, collaborators=[self.collaborator]
        )
        self.client.force_login(self.owner)

    def url(self, name):
        return reverse(f"projects:{name}", kwargs={"slug": self.project.slug})

    def live(self) -> bool:
        return ProjectPage.objects.get(pk=self.project.pk).live

    def test_the_draft_page_explains_and_offers_preview_and_publish(self):
        page = self.client.get(self.project.url)
        self.assertContains(page, "publish-bar")
        self.assertContains(page, "When you publish it, everyone can see it.")
        # Nothing told yet: the bar says what the listings need, with the ways to add it.
        self.assertContains(page, "once it has a")
        self.assertContains(page, self.url("preview"))
        self.assertContains(page, f'action="{self.url("publish")}"')
        services.project_update(project=self.project, user=self.owner, visibility="private")
        self.assertContains(
            self.client.get(self.project.url), "only you and your collaborators see it"
        )

    def test_the_preview_shows_the_page_as_others_will_see_it(self):
        services.project_update(project=self.project, user=self.owner, presentation="Le vent.")
        edit_page = self.client.get(self.project.url)
        self.assertContains(edit_page, "edit-link")
        preview = self.client.get(self.url("preview"))
        self.assertEqual(preview.status_code, 200)
        self.assertFalse(preview.context["can_edit"])
        self.assertContains(preview, "Le vent.")
        self.assertContains(preview, "this is how others will see your project")
        for editing in ("edit-link", "completeness", self.url("history")):
            self.assertNotContains(preview, editing)

    def test_a_collaborator_publishes_and_the_owner_puts_it_back_in_draft(self):
        self.client.force_login(self.collaborator)
        self.assertRedirects(
            self.client.post(self.url("publish")), self.project.url, fetch_redirect_response=False
        )
        self.assertTrue(self.live())
        self.assertContains(self.client.get(self.project.url), self.url("unpublish"))
        self.assertEqual(EnglishClient().get(self.project.url).status_code, 200)
        self.client.force_login(self.owner)
        self.client.post(self.url("unpublish"))
        self.assertFalse(self.live())
        self.assertEqual(EnglishClient().get(self.project.url).status_code, 404)

    def test_publishing_is_a_post(self):
        self.assertEqual(self.client.get(self.url("publish")).status_code, 405)
        self.assertEqual(self.client.get(self.url("unpublish")).status_code, 405)
        self.assertFalse(self.live())
