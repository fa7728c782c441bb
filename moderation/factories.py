import factory
from factory.django import DjangoModelFactory

from users.factories import UserFactory

from .models import Report, ReportKind, ReportReason


class ProfileReportFactory(DjangoModelFactory):
    """A member's open report on another member's profile."""

    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    kind = ReportKind.PROFILE
    member = factory.SubFactory(UserFactory)
    reason = ReportReason.SPAM
    details = "Publicité."
