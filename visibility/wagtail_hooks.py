from django.http import Http404
from wagtail import hooks

from .policy import can_view


@hooks.register("before_serve_page")
def refuse_pages_the_reader_may_not_see(page, request, serve_args, serve_kwargs):
    """Every page Wagtail serves asks the policy first: whoever may not see it (a private tribe,
    a call still in review, a type with no rule) gets the 404 of a page that does not exist."""
    if not can_view(request.user, page):
        raise Http404
