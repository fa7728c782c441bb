from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tribes.visibility import tribes_visible_to
from visibility.policy import audiences_of

from .backends import get_search_engine
from .engine import SearchRequest, SearchResponse, clean_query
from .forms import SearchForm


def _tribes_visible(user, values) -> set[str]:
    """The tribe facet values (ids) naming a tribe this reader may see."""
    ids = {
        int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19
    }
    visible = tribes_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    return {str(pk) for pk in visible} if ids else set()


def _keep_visible_tribes(user, search_request: SearchRequest) -> None:
    """A private tribe is never a filter for outsiders: its id then finds nothing, as the id
    of a tribe that does not exist would (not the public projects shared with it)."""
    if wanted := search_request.filters.get("tribe"):
        visible = _tribes_visible(user, wanted)
        search_request.filters["tribe"] = [value for value in wanted if value in visible]


def _hide_invisible_tribes(user, response: SearchResponse) -> None:
    """A public project shared with a private tribe carries its name as a facet label: shown
    only to those who may see the tribe."""
    if values := response.facets.get("tribe"):
        visible = _tribes_visible(user, [facet.value for facet in values])
        response.facets["tribe"] = [facet for facet in values if facet.value in visible]
        if not response.facets["tribe"]:
            del response.facets["tribe"]


def search(request):
    form = SearchForm(request.GET)
    search_request = form.search_request()
    response = None
    if search_request.query:
        _keep_visible_tribes(request.user, search_request)
        engine = get_search_engine()
        audiences = audiences_of(request.user)
        response = engine.search(search_request, audiences=audiences)
        if response.total and search_request.page > response.num_pages:
            form.notes.append(
                ngettext(
                    "There is only %(count)s page of results; here it is.",
                    "There are only %(count)s pages of results; here is the last one.",
                    response.num_pages,
                )
                % {"count": response.num_pages}
            )
            last = SearchRequest(search_request.query, search_request.filters, response.num_pages)
            response = engine.search(last, audiences=audiences)
        _hide_invisible_tribes(request.user, response)
    elif request.GET.get("q") is not None:
        form.notes.append(_("Type a word or two: a material, a machine, a technique, a failure…"))
    return render(
        request,
        "search/search.html",
        {"form": form, "search": search_request, "response": response, "notes": form.notes},
    )


def autocomplete(request):
    """Suggestions under the search box while typing: titles the reader may see."""
    query = clean_query(request.GET.get("q", ""))
    if len(query) < 2:
        return JsonResponse({"results": []})
    documents = get_search_engine().autocomplete(query, audiences=audiences_of(request.user))
    results = [
        {"title": document.title, "url": document.url, "kind": document.kind_label}
        for document in documents
    ]
    return JsonResponse({"results": results})
