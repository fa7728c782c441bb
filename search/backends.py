"""Which search engine answers: the one that says it serves the configured Wagtail search
backend on this database (each engine's `serves`)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .elasticsearch import ElasticsearchSearchEngine
from .engine import DatabaseSearchEngine
from .postgres import PostgresSearchEngine
from .sqlite import SqliteSearchEngine

# The PostgreSQL and SQLite engines before the database engine they refine.
ENGINES = (
    ElasticsearchSearchEngine,
    PostgresSearchEngine,
    SqliteSearchEngine,
    DatabaseSearchEngine,
)


def search_engine_class() -> type:
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    for engine in ENGINES:
        if engine.serves(backend=backend, vendor=connection.vendor):
            return engine
    raise ImproperlyConfigured(f"No search engine serves the search backend {backend!r}.")


def get_search_engine():
    return search_engine_class()()
