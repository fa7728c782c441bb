"""`demo.loaders` on a small demo of its own (tests/demo/content/: two members, one machine, one
tribe, a public and a private project with their journals), written through the services."""

from pathlib import Path

from django.test import TestCase
from django.utils import timezone

from demo.loaders import demo_load
from demo.reader import read_content
from machines.models import Machine, MachineJob
from projects.models import JournalEntry, ProjectPage, ProjectVisibility
from tribes.models import MembershipState, TribePage
from users.models import User

CONTENT = read_content(Path(__file__).parent / "content")


class TestSmallDemo(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.loaded = demo_load(CONTENT)

    def test_every_item_is_created_once_and_a_second_load_creates_nothing(self):
        self.assertEqual(self.loaded["membres"], (2, 0))
        self.assertEqual(self.loaded["projets"], (2, 0))
        # The tribe, its members, its members' shared projects, the private project.
        self.assertEqual(self.loaded["tribus"], (4, 0))
        self.assertEqual(self.loaded["appels à projets"], (0, 0))

        again = demo_load(CONTENT)

        self.assertEqual(
            {label: created for label, (created, _there) in again.items()},
            dict.fromkeys(self.loaded, 0),
        )
        self.assertEqual(ProjectPage.objects.count(), 2)
        self.assertEqual(User.objects.count(), 2)

    def test_members_get_their_profile_badge_avatar_and_rights(self):
        admin = User.objects.get(username="admin")
        camille = User.objects.get(username="camille.lefebvre")
        self.assertTrue(admin.is_staff and admin.is_superuser)
        self.assertFalse(camille.is_staff)
        self.assertTrue(camille.badge_uid and camille.avatar)
        self.assertEqual(camille.bio, "Designeuse produit, **CC BY-SA**.")
        self.assertEqual((timezone.now() - camille.date_joined).days, 320)

    def test_projects_are_live_with_their_sections_steps_and_dated_journal(self):
        box = ProjectPage.objects.get(title="Boîte à bijoux")
        self.assertTrue(box.live)
        self.assertEqual(box.owner.username, "camille.lefebvre")
        self.assertEqual(box.presentation, "Un cadeau fait main.")
        self.assertIn("# not a heading: inside a code block", box.technical_architecture)
        self.assertEqual([step.value["title"] for step in box.steps], ["Découper et assembler"])
        self.assertEqual(str(box.cost), "12.50")
        entries = list(JournalEntry.objects.filter(project=box).order_by("created_at"))
        self.assertEqual([entry.title for entry in entries], ["Grille de test", "Bords brûlés"])
        self.assertEqual(entries[0].machine.slug, "trotec-speedy-300")
        self.assertEqual(entries[0].parameters, {"Puissance": "60 %", "Vitesse": "20 mm/s"})
        self.assertTrue(all(entry.created_at < timezone.now() for entry in entries))
        self.assertLess(box.first_published_at, entries[0].created_at)
        self.assertEqual(self.client.get(box.url).status_code, 200)

    def test_visibility_and_tribe_sharing_follow_the_files(self):
        lab = TribePage.objects.get(title="La Machinerie")
        box = ProjectPage.objects.get(title="Boîte à bijoux")
        notebook = ProjectPage.objects.get(title="Carnet de croquis")
        self.assertEqual(box.visibility, ProjectVisibility.PUBLIC)
        self.assertEqual(list(box.tribes.all()), [lab])
        self.assertEqual(notebook.visibility, ProjectVisibility.PRIVATE)
        self.assertFalse(notebook.tribes.exists())
        self.assertEqual(lab.memberships.filter(state=MembershipState.ACTIVE).count(), 2)
        self.assertEqual(self.client.get(notebook.url).status_code, 404)

    def test_machine_belongs_to_the_lab_with_a_kiosk_link_and_a_history(self):
        machine = Machine.objects.get(slug="trotec-speedy-300")
        self.assertEqual(machine.tribe.title, "La Machinerie")
        self.assertTrue(machine.kiosk_token)
        jobs = MachineJob.objects.filter(machine=machine)
        self.assertTrue(jobs.exists())
        self.assertEqual(set(jobs.values_list("member__username", flat=True)), {"camille.lefebvre"})
