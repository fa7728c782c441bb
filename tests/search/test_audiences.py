"""Search audiences agree with the visibility policy, for every role and every kind of object.

A search hit is shown when the object's audiences (`audiences_for`) meet the reader's
(`audiences_of`); pages ask `can_view`. If the two ever disagree, search leaks private content
or hides what a member may see, so every role is checked against every object here."""

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from calls.factories import CallForProjectsPageFactory, OrganisationMembershipFactory
from calls.models import CallForProjectsPage, CallStatus
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry, ProjectPage, ProjectVisibility
from tests.helpers import EnglishClient
from tribes.factories import TribeMembershipFactory, TribePageFactory
from tribes.models import TribePage
from users.factories import UserFactory
from users.models import User
from visibility.policy import audiences_for, audiences_of, can_view
from visibility.registry import PUBLIC_AUDIENCE

ROLES = (
    "anonymous",
    "member",
    "tribe_member",
    "requested_member",
    "other_tribe_admin",
    "invited_to_private_tribe",
    "private_tribe_member",
    "collaborator",
    "owner",
    "staff",
)


class TestSearchAudiencesAgreeWithThePolicy(TestCase):
    @classmethod
    def setUpTestData(cls):
        people = {
            "member": UserFactory(),
            "tribe_member": UserFactory(),
            "requested_member": UserFactory(),
            "other_tribe_admin": UserFactory(),
            "invited_to_private_tribe": UserFactory(),
            "private_tribe_member": UserFactory(),
            "collaborator": UserFactory(),
            "owner": UserFactory(),
            "staff": UserFactory(staff=True),
        }
        cls.people = people
        tribe = TribePageFactory(title="Atelier public")
        other_tribe = TribePageFactory(title="Autre atelier")
        private_tribe = TribePageFactory(title="Cercle discret", private=True)
        unpublished_tribe = TribePageFactory(title="Tribu en sommeil", live=False)
        TribeMembershipFactory(tribe=tribe, user=people["tribe_member"])
        TribeMembershipFactory(tribe=tribe, user=people["requested_member"], requested=True)
        TribeMembershipFactory(tribe=other_tribe, user=people["other_tribe_admin"], admin=True)
        TribeMembershipFactory(
            tribe=private_tribe, user=people["invited_to_private_tribe"], invited=True
        )
        TribeMembershipFactory(tribe=private_tribe, user=people["private_tribe_member"])
        TribeMembershipFactory(tribe=unpublished_tribe, user=people["tribe_member"])
        cls.tribes = {
            "public tribe": tribe,
            "other public tribe": other_tribe,
            "private tribe": private_tribe,
            "unpublished tribe": unpublished_tribe,
        }

        def project(name, *, visibility, live=True, tribes=(tribe,)):
            page = ProjectPageFactory(
                title=f"Projet {name}",
                owner=people["owner"],
                collaborators=[people["collaborator"]],
                live=live,
            )
            page.tribes.set(list(tribes))
            page.save()
            # After the tribes: a tribe-only project without a tribe does not validate.
            ProjectPage.objects.filter(pk=page.pk).update(visibility=visibility)
            return ProjectPage.objects.get(pk=page.pk)

        cls.projects = {
            "public": project("public", visibility=ProjectVisibility.PUBLIC),
            "tribe": project("tribu", visibility=ProjectVisibility.TRIBE),
            "private": project("privé", visibility=ProjectVisibility.PRIVATE),
            "draft": project("brouillon", visibility=ProjectVisibility.PUBLIC, live=False),
            "draft shared with a tribe": project(
                "brouillon tribu", visibility=ProjectVisibility.TRIBE, live=False
            ),
            "shared with the private tribe": project(
                "cercle", visibility=ProjectVisibility.TRIBE, tribes=[private_tribe]
            ),
            "public, in no tribe": project("seul", visibility=ProjectVisibility.PUBLIC, tribes=()),
        }
        cls.entries = {
            name: JournalEntryFactory(project=page, title=f"Essai {name}")
            for name, page in cls.projects.items()
        }
        # "member" works for the organisation that posts these calls.
        organisation = OrganisationMembershipFactory(user=people["member"]).organisation
        cls.calls = {
            "open call": CallForProjectsPageFactory(organisation=organisation),
            "call past its deadline": CallForProjectsPageFactory(
                organisation=organisation, expired=True
            ),
            "awarded call": CallForProjectsPageFactory(
                organisation=organisation, status=CallStatus.AWARDED
            ),
            "draft call": CallForProjectsPageFactory(organisation=organisation, draft=True),
            "call under review": CallForProjectsPageFactory(
                organisation=organisation, status=CallStatus.SUBMITTED, live=False
            ),
        }
        cls.members = {
            "active member": people["member"],
            "deactivated member": UserFactory(is_active=False),
        }

    def _reader(self, role):
        if role == "anonymous":
            return AnonymousUser()
        # Fresh from the database: nothing cached from another check.
        return User.objects.get(pk=self.people[role].pk)

    def _assert_agrees(self, objects: dict, model):
        for role in ROLES:
            reader = self._reader(role)
            tokens = audiences_of(reader)
            for name, obj in objects.items():
                obj = model.objects.get(pk=obj.pk)
                with self.subTest(role=role, object=name):
                    if role == "staff":
                        self.assertIsNone(tokens)
                        self.assertTrue(can_view(reader, obj))
                    else:
                        self.assertEqual(
                            bool(audiences_for(obj) & tokens),
                            can_view(reader, obj),
                            f"search and pages disagree on whether {role} sees {name}",
                        )

    def test_projects(self):
        self._assert_agrees(self.projects, ProjectPage)

    def test_journal_entries(self):
        self._assert_agrees(self.entries, JournalEntry)

    def test_tribes(self):
        self._assert_agrees(self.tribes, TribePage)

    def test_calls(self):
        self._assert_agrees(self.calls, CallForProjectsPage)

    def test_the_matrix_is_not_trivial(self):
        """Each role sees some objects and not others, so the agreement above means something."""
        owner = audiences_of(self._reader("owner"))
        anonymous = audiences_of(AnonymousUser())
        self.assertEqual(anonymous, {PUBLIC_AUDIENCE})
        private = ProjectPage.objects.get(pk=self.projects["private"].pk)
        self.assertTrue(audiences_for(private) & owner)
        self.assertFalse(audiences_for(private) & anonymous)
        tribe_only = ProjectPage.objects.get(pk=self.projects["tribe"].pk)
        self.assertTrue(audiences_for(tribe_only) & audiences_of(self._reader("tribe_member")))
        self.assertFalse(audiences_for(tribe_only) & audiences_of(self._reader("requested_member")))
        shared = ProjectPage.objects.get(pk=self.projects["shared with the private tribe"].pk)
        self.assertFalse(
            audiences_for(shared) & audiences_of(self._reader("invited_to_private_tribe"))
        )

    def test_a_private_project_is_no_longer_public_once_published(self):
        self.assertNotIn(PUBLIC_AUDIENCE, audiences_for(self.projects["private"]))
        self.assertNotIn(PUBLIC_AUDIENCE, audiences_for(self.projects["draft"]))
        self.assertEqual(audiences_for(self.projects["public"]), {PUBLIC_AUDIENCE})

    def test_journal_entries_have_the_audiences_of_their_project(self):
        for name, entry in self.entries.items():
            with self.subTest(project=name):
                self.assertEqual(audiences_for(entry), audiences_for(self.projects[name]))

    def test_member_profiles(self):
        """A profile is found by those who may open it: anyone for an active member, no one
        but staff for a deactivated account (whose profile page is gone)."""
        for role in ROLES:
            reader = self._reader(role)
            tokens = audiences_of(reader)
            client = EnglishClient()
            if role != "anonymous":
                client.force_login(reader)
            for name, member in self.members.items():
                member = User.objects.get(pk=member.pk)
                with self.subTest(role=role, member=name):
                    opens = client.get(member.get_absolute_url()).status_code == 200
                    if role == "staff":
                        self.assertIsNone(tokens)
                    else:
                        self.assertEqual(bool(audiences_for(member) & tokens), opens)

    def test_a_deactivated_reader_holds_only_the_public_audience(self):
        owner = self.people["owner"]
        owner.is_active = False
        owner.save()
        self.assertEqual(audiences_of(User.objects.get(pk=owner.pk)), {PUBLIC_AUDIENCE})
        self.assertFalse(
            can_view(User.objects.get(pk=owner.pk), self.projects["private"]),
        )

    def test_a_deactivated_staff_member_is_not_staff_for_search(self):
        staff = self.people["staff"]
        staff.is_active = False
        staff.save()
        self.assertEqual(audiences_of(User.objects.get(pk=staff.pk)), {PUBLIC_AUDIENCE})

    def test_objects_without_a_search_rule_are_refused(self):
        with self.assertRaises(TypeError):
            audiences_for(object())
