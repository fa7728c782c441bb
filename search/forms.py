from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import FACETS, MAX_QUERY_LENGTH, SearchRequest, clean_query

MAX_FACET_VALUES = 10


class SearchForm(forms.Form):
    """Reads /search/?q=…&tag=…&page=…; never invalid: bad values are dropped with a note."""

    q = forms.CharField(required=False, label=_("Search"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.notes: list[str] = []

    def search_request(self) -> SearchRequest:
        self.is_valid()
        raw = self.data.get("q", "")
        query = clean_query(raw)
        if len(raw) > MAX_QUERY_LENGTH:
            self.notes.append(
                _("Your search was very long: only its first %(count)s characters were used.")
                % {"count": MAX_QUERY_LENGTH}
            )
        page = self.cleaned_data.get("page") if "page" not in self.errors else None
        if "page" in self.errors:
            self.notes.append(_("That page number does not exist; here is the first page."))
        filters = {}
        for name in FACETS:
            values = [
                value.replace("\x00", "")[:120]
                for value in self.data.getlist(name)
                if value.strip()
            ]
            if values:
                filters[name] = values[:MAX_FACET_VALUES]
        return SearchRequest(query=query, filters=filters, page=page or 1)
