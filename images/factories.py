import factory
import wagtail_factories
from wagtail.models import Collection

from .models import CarnetImage


class CarnetImageFactory(wagtail_factories.ImageFactory):
    """A small generated image in the root collection (no extra collection tree)."""

    class Meta:
        model = CarnetImage

    title = factory.Sequence(lambda n: f"Photo {n}")
    file = factory.django.ImageField(width=16, height=12, color="orange")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    uploaded_by_user = None
