"""Reading configuration from the environment: the one place settings look at os.environ."""

import os
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


# SQLite serving a lab (several workers, machines reporting at once). WAL lets readers go on
# while one connection writes; synchronous=NORMAL is safe with WAL (a power cut may lose the
# last commits, never corrupt the file). Write transactions take the write lock when they
# begin (BEGIN IMMEDIATE): a deferred transaction that reads, then writes, fails at once with
# "database is locked" instead of waiting its turn. The busy timeout is that wait.
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def sqlite_options() -> dict:
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DATABASE_SQLITE_TIMEOUT", 20),
        "init_command": SQLITE_INIT_COMMAND,
    }


def postgres_pool_options() -> dict | None:
    """psycopg's connection pool, one per worker process (docs/deployment.md for sizing).
    Persistent connections (CONN_MAX_AGE) leak under ASGI, where each request runs in its own
    thread; the pool bounds a worker's connections whatever the number of requests.
    DATABASE_POOL_MAX_SIZE=0 turns it off (e.g. behind PgBouncer)."""
    min_size = env_int("DATABASE_POOL_MIN_SIZE", 2)
    max_size = env_int("DATABASE_POOL_MAX_SIZE", 10)
    timeout = env_int("DATABASE_POOL_TIMEOUT", 10)
    if max_size < 0:
        raise ImproperlyConfigured(f"DATABASE_POOL_MAX_SIZE must be 0 or more, not {max_size}")
    if max_size == 0:
        return None
    if not 0 <= min_size <= max_size:
        raise ImproperlyConfigured(
            "DATABASE_POOL_MIN_SIZE must be between 0 and DATABASE_POOL_MAX_SIZE "
            f"({max_size}), not {min_size}"
        )
    if timeout <= 0:
        raise ImproperlyConfigured(f"DATABASE_POOL_TIMEOUT must be more than 0, not {timeout}")
    # `timeout`: how long a request waits for a free connection before the 503 page.
    return {"min_size": min_size, "max_size": max_size, "timeout": timeout}


def database_from_url(url: str) -> dict:
    """DATABASES['default'] from `postgres://user:pass@host:port/name?sslmode=require`
    or `sqlite:///path`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {
            # Django's, with one process's writers queued (docs_platform/sqlite/base.py).
            "ENGINE": "docs_platform.sqlite",
            "NAME": unquote(parsed.path) or ":memory:",
            "OPTIONS": sqlite_options(),
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        pool = postgres_pool_options()
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(parsed.hostname or ""),
            "PORT": str(parsed.port or ""),
            # The pool keeps connections itself and refuses persistent ones.
            "CONN_MAX_AGE": 0 if pool else env_int("DATABASE_CONN_MAX_AGE", 0),
            # Check a connection before handing it out: after a database restart, requests
            # get a fresh connection instead of a dead one.
            "CONN_HEALTH_CHECKS": True,
        }
        options = dict(parse_qsl(parsed.query))
        # A Unix socket directory may be given as ?host=/path, since it cannot sit in the netloc.
        if "host" in options:
            config["HOST"] = options.pop("host")
        if pool:
            options["pool"] = pool
        if options:
            config["OPTIONS"] = options
        return config
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


# CARNET_SEARCH_BACKEND values and the Wagtail (modelsearch) search backends they select.
SEARCH_BACKENDS = {
    "database": "wagtail.search.backends.database",
    "elasticsearch8": "modelsearch.backends.elasticsearch8",
    "elasticsearch9": "modelsearch.backends.elasticsearch9",
    "opensearch3": "modelsearch.backends.opensearch3",
}

# Elasticsearch/OpenSearch analysis for French: the analyzer of every text field that names none
# (titles, bodies), so "pomme" finds "pommes" and "eleves" finds "élèves". modelsearch's
# autocomplete fields keep their own edge n-gram analyzer. Both servers have these filters.
_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]
SEARCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "carnet_french_elision": {
                    "type": "elision",
                    "articles_case": True,
                    "articles": _ELISIONS,
                },
                "carnet_french_stop": {"type": "stop", "stopwords": "_french_"},
                "carnet_french_stemmer": {"type": "stemmer", "language": "light_french"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "carnet_french_elision",
                        "lowercase",
                        "carnet_french_stop",
                        "asciifolding",
                        "carnet_french_stemmer",
                    ],
                },
            },
        }
    }
}


def search_backend(name: str, *, urls: list[str], index_prefix: str, timeout: int) -> dict:
    """WAGTAILSEARCH_BACKENDS['default'] for CARNET_SEARCH_BACKEND=`name`: the database, or an
    Elasticsearch 8/9 or OpenSearch 3 server at `urls` (`http(s)://user:password@host:port`)."""
    if name not in SEARCH_BACKENDS:
        raise ImproperlyConfigured(
            f"CARNET_SEARCH_BACKEND must be one of {', '.join(SEARCH_BACKENDS)}, not {name!r}"
        )
    if name == "database":
        return {"BACKEND": SEARCH_BACKENDS[name]}
    if not urls:
        raise ImproperlyConfigured(f"CARNET_SEARCH_BACKEND={name} needs CARNET_SEARCH_URL")
    return {
        "BACKEND": SEARCH_BACKENDS[name],
        "URLS": urls,
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        # Index names are aliases (`manage.py reindex` moves Carnet's to each new index): Wagtail's
        # update_index must rebuild beside them too, as only its atomic rebuild can.
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": SEARCH_INDEX_SETTINGS,
    }


# CARNET_TASKS values and the django-tasks backends they select.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def task_backend(name: str) -> str:
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"CARNET_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {name!r}"
        )
    return TASK_BACKENDS[name]
