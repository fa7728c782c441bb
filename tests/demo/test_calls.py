"""The demo's calls (demo/loaders/calls.py): two organisations, three calls in three states,
applications with every kind of answer, through the services; nothing made twice."""

from django.test import TestCase

from calls.models import Application, CallForProjectsPage, CallStatus, Organisation
from demo.loaders.calls import calls_size, load_calls
from demo.reader import read_content
from projects.factories import ProjectPageFactory
from tribes.factories import TribeMembershipFactory, TribePageFactory
from users.factories import UserFactory

CONTENT = read_content()

APPLICANTS = ("camille.lefebvre", "julien.moreau", "bernard.caron", "thomas.petit")


class TestDemoCalls(TestCase):
    @classmethod
    def setUpTestData(cls):
        UserFactory(username="admin", is_staff=True, is_superuser=True)
        lab = TribePageFactory(title="La Machinerie")
        for username in APPLICANTS:
            member = UserFactory(username=username)
            ProjectPageFactory(owner=member, title=f"Projet de {username}")
            TribeMembershipFactory(tribe=lab, user=member, admin=username == "camille.lefebvre")
        lab_project = ProjectPageFactory(owner=UserFactory(), title="Projet du lab")
        lab_project.tribes.add(lab)
        lab_project.save()

    def test_loading_twice_creates_everything_once(self):
        first = list(load_calls(CONTENT))
        self.assertEqual(len(first), calls_size(CONTENT))
        self.assertTrue(all(created for _, created in first))
        self.assertEqual(
            dict(Organisation.objects.values_list("name", "status")),
            {"Lumina Éclairage": "approved", "Picardie Bois": "approved"},
        )
        states = dict(CallForProjectsPage.objects.values_list("title", "status"))
        self.assertEqual(
            sorted(states.values()),
            sorted([CallStatus.OPEN, CallStatus.SUBMITTED, CallStatus.AWARDED]),
        )
        self.assertEqual(
            sorted(Application.objects.values_list("status", flat=True)),
            ["accepted", "declined", "declined", "shortlisted", "submitted"],
        )
        second = list(load_calls(CONTENT))
        self.assertFalse(any(created for _, created in second))
        self.assertEqual(Application.objects.count(), 5)
