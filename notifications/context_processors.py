from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request):
    # Lazy: pages that do not show the count never compute it.
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: notification_unread_count(user))}
