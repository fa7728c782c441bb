import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from .models import Machine, Material


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
