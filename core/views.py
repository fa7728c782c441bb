from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.markdown import render_markdown

MAX_PREVIEW_LENGTH = 50_000


@require_POST
def markdown_preview(request):
    """The live preview beside every Markdown field: sanitised HTML for the text sent."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_LENGTH:
        return HttpResponseBadRequest(_("This text is too long to preview."))
    return HttpResponse(render_markdown(text))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
