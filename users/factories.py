import factory
from factory.django import DjangoModelFactory, Password

from .models import User

DEFAULT_PASSWORD = "a-long-test-password"  # noqa: S105 - test accounts only


class UserFactory(DjangoModelFactory):
    """A member who can log in with DEFAULT_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    display_name = factory.LazyAttribute(lambda user: user.username.title())
    # Notifications are worded in their recipient's language: English, so tests quote the source.
    language = "en"
    password = Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(list(extracted))
