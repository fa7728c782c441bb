from django.core.cache import cache
from django.db.models import QuerySet

from .models import Notification

# The header shows the unread count on every page: it is cached so that pages cost no query.
UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def notification_list(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_unread_count(user) -> int:
    if not (user and user.is_authenticated):
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
