"""Keep the search documents in step with the content. Called by the indexing tasks (on every
publish, edit, visibility change or deletion) and by `manage.py reindex`."""

from collections.abc import Callable, Iterable
from itertools import islice

from anyascii import anyascii
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from modelsearch import index
from modelsearch.backends import get_search_backend

from projects.completeness import (
    HAS_FAILURE_OR_LESSON,
    failure_or_lesson_exists,
    project_completeness,
)
from projects.models import JournalEntry, ProjectPage
from tribes.models import TribePage
from visibility.policy import AUDIENCE_TERM

from .backends import search_engine_class
from .documents import (
    DocumentData,
    call_document,
    journal_entry_document,
    member_document,
    project_document,
    tribe_document,
)
from .elasticsearch import IndexRebuild
from .engine import FACETS
from .models import SearchDocument, SearchDocumentKind, SearchTerm
from .postgres import PostgresSearchEngine
from .sqlite import FTS_TABLE, SqliteSearchEngine, fts_row


def document_fields(data: DocumentData) -> dict:
    """The SearchDocument columns for `data` (besides kind and source_id), cut to their sizes."""
    return {
        "title": data.title[:255],
        "title_folded": anyascii(data.title)[:255],
        "body": data.body,
        "summary": data.summary,
        "completeness": data.completeness,
        "url": data.url[:500],
        "image_id": data.image_id,
        "updated_at": data.updated_at,
    }


def own_postgres_index() -> bool:
    """Whether search reads PostgreSQL's own columns (search.postgres) rather than a search
    backend's index: the database backend on PostgreSQL."""
    return search_engine_class() is PostgresSearchEngine


def own_sqlite_index() -> bool:
    """Whether search reads the stemmed FTS5 table of search.sqlite: the database backend on
    SQLite."""
    return search_engine_class() is SqliteSearchEngine


def search_documents_index(*, documents: list[SearchDocument], on_commit: bool = True) -> None:
    """Make documents whose terms are written searchable: on PostgreSQL, copy their terms to
    their own columns, in this transaction; on other backends, add them to the backend's index
    once the transaction commits (at once with `on_commit=False`)."""
    if own_postgres_index():
        _copy_terms_to_columns([document.pk for document in documents])
        return
    if own_sqlite_index():
        _write_fts_rows([document.pk for document in documents])
        return
    if on_commit:
        _index_on_commit(documents)
    else:
        for document in documents:
            index.insert_or_update_object(document)


class _IndexOnCommit:
    """The documents written in one transaction, sent to the index in one bulk request once it
    commits (a project and its journal entries: one request, not one per entry), as they are
    then."""

    def __init__(self, ids: set[int]):
        self.ids, self.sent = ids, False

    def __call__(self):
        self.sent = True
        documents = list(SearchDocument.objects.filter(pk__in=self.ids).prefetch_related("terms"))
        if documents:
            get_search_backend().add_bulk(SearchDocument, documents)


def _index_on_commit(documents: list[SearchDocument]) -> None:
    ids = {document.pk for document in documents}
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _IndexOnCommit) and not callback.sent:
            callback.ids |= ids
            return
    transaction.on_commit(_IndexOnCommit(ids))


def _copy_terms_to_columns(ids: list[int]) -> None:
    """PostgreSQL: the `audiences` and `facet_terms` arrays of search/migrations/0003, from the
    documents' terms (search.postgres reads them)."""
    table, terms = SearchDocument._meta.db_table, SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS d SET
                audiences = ARRAY(
                    SELECT t.value FROM {terms} AS t
                    WHERE t.document_id = d.id AND t.name = %s ORDER BY t.value
                ),
                facet_terms = ARRAY(
                    SELECT t.name || ':' || t.value FROM {terms} AS t
                    WHERE t.document_id = d.id AND t.name = ANY(%s) ORDER BY t.name, t.value
                )
            WHERE d.id = ANY(%s)
            """,  # noqa: S608 - table names; every value is a parameter
            [AUDIENCE_TERM, list(FACETS), ids],
        )


def _write_fts_rows(ids: list[int]) -> None:
    """SQLite: the documents' rows of search.sqlite's FTS5 table, their words as stems (a
    trigger of search/migrations/0005 deletes a row with its document)."""
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title", "summary", "body")
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [[pk] for pk in ids])  # noqa: S608 - a constant
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body, autocomplete)"  # noqa: S608 - a constant
            " VALUES (%s, %s, %s, %s, %s)",
            [fts_row(*row) for row in rows],
        )


@transaction.atomic
def search_document_save(data: DocumentData) -> SearchDocument:
    document, _ = SearchDocument.objects.update_or_create(
        kind=data.kind, source_id=data.source_id, defaults=document_fields(data)
    )
    document.terms.all().delete()
    SearchTerm.objects.bulk_create(
        SearchTerm(document=document, name=name, value=value[:120], label=label[:200])
        for name, value, label in dict.fromkeys(data.terms)
    )
    # Once the terms are written: the index reads them.
    search_documents_index(documents=[document])
    return document


@transaction.atomic
def search_documents_remove(*, kind: str, source_ids: Iterable[int]) -> None:
    own_index = own_postgres_index() or own_sqlite_index()
    for document in SearchDocument.objects.filter(kind=kind, source_id__in=list(source_ids)):
        if not own_index:  # the columns (PostgreSQL) or the FTS5 row (SQLite) go with the row
            index.remove_object(document)
        document.delete()


def _project_queryset():
    return (
        ProjectPage.objects.select_related("owner")
        .prefetch_related("tags", "tribes", "machines", "materials", "collaborators")
        # The completeness score without a query per project (projects/completeness.py).
        .annotate(**{HAS_FAILURE_OR_LESSON: failure_or_lesson_exists()})
    )


def _entries_of(project_ids) -> Iterable[JournalEntry]:
    return JournalEntry.objects.filter(project_id__in=project_ids).select_related("machine")


def search_index_project(*, project_id: int) -> None:
    """The project and all its journal entries: their visibility goes with the project."""
    project = _project_queryset().filter(pk=project_id).first()
    entry_ids = set(
        SearchDocument.objects.filter(kind=SearchDocumentKind.JOURNAL_ENTRY)
        .filter(terms__name="project", terms__value=str(project_id))
        .values_list("source_id", flat=True)
    )
    if project is None:
        search_documents_remove(kind=SearchDocumentKind.PROJECT, source_ids=[project_id])
        search_documents_remove(kind=SearchDocumentKind.JOURNAL_ENTRY, source_ids=entry_ids)
        return
    previous = (
        SearchDocument.objects.filter(kind=SearchDocumentKind.PROJECT, source_id=project_id)
        .prefetch_related("terms")
        .first()
    )
    data = project_document(project)
    search_document_save(data)
    if previous and _inherited_by_entries(previous) == _inherited_by_entries(data):
        return  # entries are indexed on their own saves; nothing they take from the project moved
    current = set()
    for entry in _entries_of([project.pk]):
        search_document_save(_entry_data(entry, project))
        current.add(entry.pk)
    search_documents_remove(kind=SearchDocumentKind.JOURNAL_ENTRY, source_ids=entry_ids - current)


def _inherited_by_entries(document: SearchDocument | DocumentData) -> tuple:
    """What a journal entry's document takes from its project: title, facets and audiences."""
    if isinstance(document, SearchDocument):
        terms = {(term.name, term.value, term.label) for term in document.terms.all()}
    else:
        terms = set(document.terms)
    return document.title, document.url, frozenset(terms)


def _entry_data(entry: JournalEntry, project: ProjectPage) -> DocumentData:
    data = journal_entry_document(entry, project)
    # Lets a project's re-indexing find the documents of entries deleted since.
    data.terms.append(("project", str(project.pk), ""))
    return data


def search_index_journal_entry(*, entry_id: int) -> None:
    """The entry, and its project's completeness (a failure or a lesson counts in it)."""
    entry = JournalEntry.objects.select_related("machine").filter(pk=entry_id).first()
    if entry is None:
        project_ids = SearchTerm.objects.filter(
            document__kind=SearchDocumentKind.JOURNAL_ENTRY,
            document__source_id=entry_id,
            name="project",
        ).values_list("value", flat=True)
        project = _project_queryset().filter(pk__in=[int(pk) for pk in project_ids]).first()
        search_documents_remove(kind=SearchDocumentKind.JOURNAL_ENTRY, source_ids=[entry_id])
    else:
        project = _project_queryset().get(pk=entry.project_id)
        search_document_save(_entry_data(entry, project))
    if project is not None:
        SearchDocument.objects.filter(kind=SearchDocumentKind.PROJECT, source_id=project.pk).update(
            completeness=project_completeness(project).score
        )


def search_index_tribe(*, tribe_id: int) -> None:
    """The tribe, and its projects when they name it differently now (renamed, deleted)."""
    tribe = TribePage.objects.filter(pk=tribe_id).first()
    tagged = SearchTerm.objects.filter(
        document__kind=SearchDocumentKind.PROJECT, name="tribe", value=str(tribe_id)
    )
    stale_projects = set(tagged.values_list("document__source_id", flat=True))
    if tribe is None:
        search_documents_remove(kind=SearchDocumentKind.TRIBE, source_ids=[tribe_id])
    else:
        search_document_save(tribe_document(tribe))
        stale_projects = set(
            tagged.exclude(label=tribe.title).values_list("document__source_id", flat=True)
        )
    for project_id in stale_projects:
        search_index_project(project_id=project_id)


def search_index_member(*, user_id: int) -> None:
    member = get_user_model().objects.prefetch_related("skills").filter(pk=user_id).first()
    if member is None:
        search_documents_remove(kind=SearchDocumentKind.MEMBER, source_ids=[user_id])
        return
    search_document_save(member_document(member))


def _call_queryset():
    from calls.models import CallForProjectsPage

    return CallForProjectsPage.objects.select_related("organisation").prefetch_related("tags")


def search_index_call(*, call_id: int) -> None:
    call = _call_queryset().filter(pk=call_id).first()
    if call is None:
        search_documents_remove(kind=SearchDocumentKind.CALL, source_ids=[call_id])
        return
    search_document_save(call_document(call))


REINDEX_BATCH = 2000


def search_reindex_all(*, progress: Callable[[str, int], None] | None = None) -> int:
    """Rebuild every search document from the content, in batches, then the backend's index.
    `progress(label, count)` is called as each batch is written; returns the number built."""
    backend = get_search_backend()
    search_index = backend.get_index_for_model(SearchDocument)
    if not hasattr(search_index, "put"):  # the database backends
        return _rebuild_documents(backend, progress=progress)
    # Elasticsearch/OpenSearch: a new index beside the one in use, and the documents rebuilt in
    # one transaction with the ids they had; searches read the old index, whole, until both
    # switch (search.elasticsearch.IndexRebuild).
    rebuild = IndexRebuild(backend)
    try:
        with transaction.atomic():
            built = _rebuild_documents(backend, progress=progress, rebuild=rebuild)
    except BaseException:
        rebuild.discard()
        raise
    rebuild.publish()
    return built


def _rebuild_documents(
    backend, *, progress: Callable[[str, int], None] | None, rebuild: IndexRebuild | None = None
) -> int:
    search_index = backend.get_index_for_model(SearchDocument)
    kept_ids = {}
    if rebuild:
        rows = SearchDocument.objects.values_list("kind", "source_id", "pk")
        kept_ids = {(kind, source_id): pk for kind, source_id, pk in rows.iterator()}
    SearchDocument.objects.all().delete()
    projects = {project.pk: project for project in _project_queryset()}
    groups = [
        ("projects", (project_document(project) for project in projects.values())),
        (
            "journal entries",
            (
                _entry_data(entry, projects[entry.project_id])
                for entry in _entries_of(list(projects)).iterator(chunk_size=REINDEX_BATCH)
            ),
        ),
        ("tribes", (tribe_document(tribe) for tribe in TribePage.objects.all())),
        (
            "members",
            (member_document(m) for m in get_user_model().objects.prefetch_related("skills")),
        ),
        ("calls", (call_document(call) for call in _call_queryset())),
    ]
    built = 0
    for label, documents in groups:
        for batch in batched(documents, REINDEX_BATCH):
            _bulk_save(batch, backend, rebuild=rebuild, kept_ids=kept_ids)
            built += len(batch)
            if progress:
                progress(label, len(batch))
    if hasattr(search_index, "delete_stale_model_entries"):  # database backends
        search_index.delete_stale_model_entries(SearchDocument)
    return built


def batched(items: Iterable, size: int) -> Iterable[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def _bulk_save(
    batch: Iterable[DocumentData],
    backend,
    *,
    rebuild: IndexRebuild | None = None,
    kept_ids: dict[tuple[str, int], int],
) -> None:
    documents = SearchDocument.objects.bulk_create(
        SearchDocument(
            pk=kept_ids.get((data.kind, data.source_id)),
            kind=data.kind,
            source_id=data.source_id,
            **document_fields(data),
        )
        for data in batch
    )
    SearchTerm.objects.bulk_create(
        SearchTerm(document=document, name=name, value=value[:120], label=label[:200])
        for document, data in zip(documents, batch, strict=True)
        for name, value, label in dict.fromkeys(data.terms)
    )
    ids = [document.pk for document in documents]
    if own_postgres_index():
        _copy_terms_to_columns(ids)
    elif own_sqlite_index():
        _write_fts_rows(ids)
    else:
        indexed = list(SearchDocument.objects.filter(pk__in=ids).prefetch_related("terms"))
        if rebuild:
            rebuild.add(indexed)
        else:
            backend.add_bulk(SearchDocument, indexed)
