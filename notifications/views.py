from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from visibility.loaders import get_visible_or_404

from .models import Notification
from .selectors import notification_list
from .services import notification_mark_read


@login_required
def notification_index(request):
    page = Paginator(notification_list(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"notifications": page})


def _is_recipient(user, notification: Notification) -> bool:
    """A notification is seen by its recipient only."""
    return notification.recipient_id == user.pk


@login_required
def notification_open(request, pk):
    """Mark it read, then follow its link."""
    notification = get_visible_or_404(request.user, Notification, visible=_is_recipient, pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else "notifications:list")


@require_POST
@login_required
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:list")
