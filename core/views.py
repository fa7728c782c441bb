import hashlib
import json
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from core.database import database_unavailable_response, database_unreachable
from core.i18n import set_language_cookie
from core.markdown import MAX_LENGTH_ANY, MarkdownValidator, render_markdown

MAX_PREVIEW_LENGTH = MAX_LENGTH_ANY


def _plain(message: str, status: int) -> HttpResponse:
    # The preview shows this text in place of the rendered one; the member's text is untouched.
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_POST
def markdown_preview(request):
    """The live preview beside every Markdown field: sanitised HTML for the text sent.

    Members only, and a limited number per minute: rendering is cheap, but not free.
    """
    if not request.user.is_authenticated:
        return _plain(_("Log in to preview your text."), 403)
    if is_ratelimited(
        request,
        group="markdown-preview",
        key="user",
        rate=settings.CARNET_MARKDOWN_PREVIEW_RATE,
        increment=True,
    ):
        return _plain(
            _("Too many previews in a short time: the preview resumes within a minute."), 429
        )
    text = request.POST.get("text", "")
    try:
        MarkdownValidator(MAX_PREVIEW_LENGTH)(text)
    except ValidationError as error:
        return _plain(" ".join(error.messages), 400)
    return HttpResponse(render_markdown(text))


@require_safe
@never_cache
def language_switch(request, code: str):
    """`/language/<code>/?next=<path>`: the language switcher's links.

    A link rather than a form, so pages carry no CSRF token and set no cookie: anonymous pages
    stay cacheable (docs/deployment.md, "Caching"). Only this answer sets the language cookie,
    which LocaleMiddleware reads before Accept-Language. An unknown code changes nothing."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    set_language_cookie(response, code)
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A lost database connection met outside a view (in a middleware) gets the 503 page too.
    # Under ASGI the error may have been raised in another thread, where exc_info is empty.
    error = sys.exc_info()[1]
    if database_unreachable(error):
        return database_unavailable_response(request, error)
    # Rendered without the request: its context processors may need the database that failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


# Opened without the network by the service worker: the styles and scripts of every page
# (tests/core/test_service_worker.py checks base.html's), and of the forms.
OFFLINE_ASSETS = (
    "css/carnet.css",
    "css/pygments.css",
    "img/favicon.svg",
    "js/carnet.js",
    "js/drafts.js",
    "js/offline.js",
    "js/photos.js",
    "js/toolbar.js",
)


@require_safe
def service_worker(request):
    """`/sw.js`, the service worker of static/js/offline.js. Served from the root, since a
    worker only controls the pages under its own address; asked again by browsers at every
    visit (`no-cache`), so a deployment reaches them at once. Its assets' addresses (hashed in
    production) name its cache: a new deployment replaces the old copies."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    script = loader.render_to_string(
        "core/service_worker.js",
        {
            "assets": json.dumps(assets),
            "version": hashlib.sha256(" ".join(assets).encode()).hexdigest()[:12],
            "static_url": json.dumps(settings.STATIC_URL),
            "admin_url": json.dumps(reverse("wagtailadmin_home")),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
