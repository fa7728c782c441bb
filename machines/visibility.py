"""Machines are public: anyone sees a machine's page and its photo (docs/machines.md). A machine
job is seen only by the member who runs it (`permissions.can_act_on_job`). Registered with
visibility.registry from MachinesConfig.ready()."""

from django.db.models import Q, QuerySet
from wagtail.images.models import AbstractImage

from visibility.registry import PUBLIC_AUDIENCE, MediaUse, VisibilityRule, register

from .models import Machine


def _photos() -> Q:
    return Q(pk__in=Machine.objects.filter(photo__isnull=False).values("photo_id"))


class MachineRule(VisibilityRule):
    def can_view(self, user, obj) -> bool:
        return True

    def visible_to(self, user) -> QuerySet:
        return Machine.objects.all()

    def audiences(self, obj) -> set[str]:
        return {PUBLIC_AUDIENCE}

    def media_uses(self) -> list[MediaUse]:
        return [MediaUse(AbstractImage, used=_photos, visible_to=lambda user: _photos())]


register(MachineRule(Machine))
