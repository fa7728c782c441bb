"""What the search engine indexes: one flat document per searchable thing.

Projects (every section), journal entries, tribes and member profiles each become a
`SearchDocument` with a title, a body, the facets they can be filtered by and the audiences
that may see them (tokens computed by visibility.policy). Searching one model gives typed results,
facet counts and the same permission filter on every backend: the database backends filter
on `SearchTerm` rows, Elasticsearch/OpenSearch on the same terms indexed as a keyword list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from modelsearch.queryset import SearchableQuerySetMixin


class SearchDocumentKind(models.TextChoices):
    PROJECT = "project", _("Projects")
    JOURNAL_ENTRY = "journal_entry", _("Journal entries")
    TRIBE = "tribe", _("Tribes")
    MEMBER = "member", _("Members")
    CALL = "call", _("Calls for projects")


SINGULAR_KIND_LABELS = {
    SearchDocumentKind.PROJECT: _("Project"),
    SearchDocumentKind.JOURNAL_ENTRY: _("Journal entry"),
    SearchDocumentKind.TRIBE: _("Tribe"),
    SearchDocumentKind.MEMBER: _("Member"),
    SearchDocumentKind.CALL: _("Call for projects"),
}


class SearchDocumentQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class SearchDocument(index.Indexed, models.Model):
    kind = models.CharField(max_length=20, choices=SearchDocumentKind.choices)
    # The id of the project, entry, tribe or member (not "object_id": modelsearch uses that name).
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=255)
    # Accent-folded title: autocomplete on PostgreSQL uses the 'simple' configuration, which
    # keeps accents, so "elec" must also meet "electronique" to find "électronique".
    title_folded = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    # A project's summary (also part of its body): ranked above the body (docs/search.md).
    summary = models.TextField(blank=True)
    # A project's documentation score, 0–100 (projects.completeness); 0 for other documents.
    # Between equally relevant results, the more complete project comes first.
    completeness = models.PositiveSmallIntegerField(default=0)
    url = models.CharField(max_length=500)
    image_id = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()

    objects = SearchDocumentQuerySet.as_manager()
    # search.services updates the index itself, once the document's terms are written.
    search_auto_update = False

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.AutocompleteField("title_folded"),
        index.FilterField("id"),
        index.FilterField("kind"),
        # Elasticsearch/OpenSearch filter and aggregate on these keyword lists.
        index.FilterField("term_list"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="one_document_per_source")
        ]

    def __str__(self):
        return f"{self.kind} {self.source_id}: {self.title}"

    @property
    def kind_label(self) -> str:
        """What one result is: "Project", "Journal entry"… (the choices name the plural)."""
        return str(SINGULAR_KIND_LABELS[self.kind])

    @property
    def term_list(self) -> list[str]:
        """Every term as "name:value" ("audience:public", "tag:laser"…)."""
        return [f"{term.name}:{term.value}" for term in self.terms.all()]


class SearchTerm(models.Model):
    """A facet value ("tag" = "laser", "status" = "finished") or an audience ("audience" =
    "public", "tribe:4", "user:12") of a document. The label is a name as written (a tag, a
    tribe, a machine); values whose label is a translated choice (type, status, licence, entry
    kind) have none: search.engine.group_facets translates them for the reader."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=120)
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["name", "value"])]
        constraints = [
            models.UniqueConstraint(fields=["document", "name", "value"], name="one_term_per_value")
        ]

    def __str__(self):
        return f"{self.name}:{self.value}"
