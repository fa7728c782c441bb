import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from .models import JobState, Machine, MachineJob, Material


class MachineFactory(DjangoModelFactory):
    class Meta:
        model = Machine
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Laser {n}")
    slug = factory.LazyAttribute(lambda machine: slugify(machine.name))
    kind = Machine.Kind.LASER_CUTTER
    location = "Atelier"


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = Material
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Contreplaqué {n} mm")


class MachineJobFactory(DjangoModelFactory):
    """A job running on a machine, as its start event would leave it."""

    class Meta:
        model = MachineJob

    machine = factory.SubFactory(MachineFactory)
    external_id = factory.Sequence(lambda n: f"job-{n}")
    state = JobState.RUNNING
    started_at = factory.LazyFunction(timezone.now)
    last_event_at = factory.LazyAttribute(lambda job: job.started_at)
    file_name = "boite.svg"
