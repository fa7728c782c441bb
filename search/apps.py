import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals  # noqa: F401 - connects the indexing signal handlers

        post_migrate.connect(reindex_if_mapping_changed, sender=self)


def reindex_if_mapping_changed(**kwargs) -> None:
    """After `migrate`, on Elasticsearch/OpenSearch: an index built with another mapping or
    analysis than this version's (or none yet) is rebuilt by the task worker, with no downtime
    (search.elasticsearch.IndexRebuild)."""
    from .backends import search_engine_class
    from .elasticsearch import ElasticsearchSearchEngine, index_is_current
    from .tasks import search_reindex_task

    if search_engine_class() is not ElasticsearchSearchEngine:
        return
    try:
        current = index_is_current(ElasticsearchSearchEngine().backend)
    except Exception as error:  # whatever the client raises: migrating must not depend on it
        logger.warning("Search server not checked (%s): run `manage.py reindex` later", error)
        return
    if not current:
        search_reindex_task.enqueue()
