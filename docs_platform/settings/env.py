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


def database_from_url(url: str) -> dict:
    """DATABASES['default'] from `postgres://user:pass@host:port/name?sslmode=require`
    or `sqlite:///path`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or ":memory:"}
    if parsed.scheme in {"postgres", "postgresql"}:
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(parsed.hostname or ""),
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        }
        options = dict(parse_qsl(parsed.query))
        # A Unix socket directory may be given as ?host=/path, since it cannot sit in the netloc.
        if "host" in options:
            config["HOST"] = options.pop("host")
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
        # `manage.py reindex` empties and refills Carnet's index in place; an atomic rebuild
        # (Wagtail's update_index) would turn the index into an alias it cannot reset.
        "ATOMIC_REBUILD": False,
        "INDEX_SETTINGS": SEARCH_INDEX_SETTINGS,
    }
