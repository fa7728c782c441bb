from django.core.exceptions import ValidationError
from django.test import TestCase

from users.factories import UserFactory
from users.models import User
from users.services import user_create, user_profile_update


class TestUserCreate(TestCase):
    def test_creates_a_member_with_a_hashed_password(self):
        user = user_create(
            username="camille",
            email="camille@example.org",
            password="s3cret-pass",
            display_name="Cam",
        )
        user.refresh_from_db()
        self.assertEqual(
            (user.username, user.email, user.display_name),
            ("camille", "camille@example.org", "Cam"),
        )
        self.assertNotEqual(user.password, "s3cret-pass")
        self.assertTrue(user.check_password("s3cret-pass"))
        self.assertFalse(user.is_staff)

    def test_taken_username_is_refused(self):
        UserFactory(username="camille")
        with self.assertRaises(ValidationError) as caught:
            user_create(username="camille", email="other@example.org", password="s3cret-pass")
        self.assertIn("username", caught.exception.message_dict)
        self.assertEqual(User.objects.filter(username="camille").count(), 1)

    def test_username_with_spaces_is_refused(self):
        with self.assertRaises(ValidationError):
            user_create(username="camille dupont", email="c@example.org", password="s3cret-pass")
        self.assertFalse(User.objects.exists())

    def test_malformed_email_is_refused(self):
        with self.assertRaises(ValidationError):
            user_create(username="camille", email="not-an-email", password="s3cret-pass")


class TestUserProfileUpdate(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.member = UserFactory(display_name="Old name")

    def test_changes_fields_and_skills(self):
        user_profile_update(
            user=self.member,
            display_name="Camille",
            bio="J'aime le **bois**.",
            skills=["laser", "couture"],
        )
        member = User.objects.get(pk=self.member.pk)
        self.assertEqual(member.display_name, "Camille")
        self.assertEqual(member.bio, "J'aime le **bois**.")
        self.assertEqual(sorted(tag.name for tag in member.skills.all()), ["couture", "laser"])

    def test_skills_left_out_are_kept(self):
        self.member.skills.set(["soudure"])
        user_profile_update(user=self.member, display_name="Camille")
        self.assertEqual([tag.name for tag in self.member.skills.all()], ["soudure"])

    def test_badge_already_used_by_another_member_is_refused(self):
        UserFactory(badge_uid="04A2B3C4")
        with self.assertRaises(ValidationError) as caught:
            user_profile_update(user=self.member, badge_uid="04A2B3C4")
        self.assertIn("badge_uid", caught.exception.message_dict)

    def test_display_name_over_80_characters_is_refused(self):
        with self.assertRaises(ValidationError):
            user_profile_update(user=self.member, display_name="x" * 81)
        self.assertEqual(User.objects.get(pk=self.member.pk).display_name, "Old name")


class TestAvatarStoredBeforeUploadsWereChecked(TestCase):
    def test_an_old_unreadable_avatar_does_not_block_other_changes(self):
        from django.core.files.base import ContentFile

        from tests.images.photos import plain_bytes

        member = UserFactory()
        # Stored as uploads once were: a TIFF, which uploads now refuse.
        member.avatar.save("old.tiff", ContentFile(plain_bytes("TIFF")), save=True)
        member.refresh_from_db()
        user_profile_update(user=member, bio="Toujours là.")
        member.refresh_from_db()
        self.assertEqual(member.bio, "Toujours là.")
        self.assertTrue(member.avatar.name.endswith(".tiff"))
