"""Creating only what is not there yet, so a second load creates nothing twice."""

from collections.abc import Callable, Iterator, Sequence

from django.db.models import Model


def create_missing(
    items: Sequence, *, model: type[Model], field: str, key: Callable, create: Callable
) -> Iterator[tuple[str, bool]]:
    """Yield (key, created) for each item: `create(item)` unless a `model` row already has its
    key in `field` (one query for all of them)."""
    keys = [key(item) for item in items]
    found = model.objects.filter(**{f"{field}__in": keys}).values_list(field, flat=True)
    existing = set(found)
    for item, item_key in zip(items, keys, strict=True):
        if item_key in existing:
            yield item_key, False
            continue
        create(item)
        yield item_key, True
