from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visibility.policy import audiences_of

from .engine import SearchRequest, clean_query, get_search_engine
from .forms import SearchForm


def search(request):
    form = SearchForm(request.GET)
    search_request = form.search_request()
    response = None
    if search_request.query:
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
