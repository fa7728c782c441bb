import factory
from factory.django import DjangoModelFactory

from users.factories import UserFactory

from .models import Notification


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Nouvelle {n}")
    url = "/projects/"
