"""Loading the object a view names (by slug, pk, username…), through the visibility policy.

Every member-facing view that takes an object's key from its URL loads it here, so its answers
never tell "does not exist" from "exists, but not for you": both are the same 404. Only someone
who may see the object learns, with a 403 and its reason, that they may not act on it. Action
URLs ask for a login first, so an anonymous visitor gets the same login redirect either way.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from .policy import can_view

Rule = Callable[[object, Model], bool]


def everyone(user, obj) -> bool:
    """For objects anyone may see (machines): the loader then only refuses missing ones."""
    return True


def get_visible_or_404(
    user,
    queryset: QuerySet | type[Model],
    *,
    visible: Rule = can_view,
    allowed: Rule | None = None,
    denied: str = "",
    **lookup,
):
    """The object of `queryset` matching `lookup`, if `user` may see it, else Http404.

    `allowed`, when given, is then asked whether the user may act on it: PermissionDenied with
    the `denied` message if not."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, queryset.model.MultipleObjectsReturned) as exc:
        raise Http404 from exc
    except (ValueError, OverflowError, ValidationError) as exc:
        # A key the database cannot even hold (a forged, oversized id) names nothing.
        raise Http404 from exc
    if not visible(user, obj):
        raise Http404
    if allowed is not None and not allowed(user, obj):
        raise PermissionDenied(denied)
    return obj


def object_view(
    queryset: QuerySet | type[Model],
    *,
    url_kwarg: str = "slug",
    visible: Rule = can_view,
    allowed: Rule | None = None,
    denied: str | Callable[[Model], str] = "",
):
    """Decorate an action view taking `url_kwarg` so it receives the loaded object instead.

    Anonymous visitors are sent to log in before anything is looked up. `denied` may be a
    function of the object, for messages that name it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            key = kwargs.pop(url_kwarg)
            obj = get_visible_or_404(request.user, queryset, visible=visible, **{url_kwarg: key})
            if allowed is not None and not allowed(request.user, obj):
                raise PermissionDenied(denied(obj) if callable(denied) else denied)
            return view(request, obj, *args, **kwargs)

        return login_required(wrapper)

    return decorator
