"""With the task queue of production (django_tasks_db), a change only queues its re-indexing:
nothing is indexed in the request, and the worker (`manage.py db_worker`) makes it searchable.
The rest of tests/search runs the tasks at once (the test settings' immediate backend)."""

from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.task_worker import database_tasks, run_task_worker

from .test_indexing import ENTRY, PROJECT, IndexingTestCase


def index_tasks(status):
    return DBTaskResult.objects.filter(task_path="search.tasks.search_index_task", status=status)


@database_tasks
class TestQueuedIndexing(IndexingTestCase):
    def run_worker(self):
        # The index is written when the task's transaction commits: inside the test's
        # transaction, those callbacks are run here.
        with self.captureOnCommitCallbacks(execute=True):
            run_task_worker()

    def test_a_new_project_and_entry_are_found_only_once_the_worker_ran(self):
        project = self.create_project()
        entry = self.create_entry(project, body="Le pendule oscille.")
        self.assertFalse(self.has_document(PROJECT, project.pk))
        self.assertFalse(self.has_document(ENTRY, entry.pk))
        queued = {tuple(task.args_kwargs["args"]) for task in index_tasks(TaskResultStatus.READY)}
        self.assertLessEqual({("project", project.pk), ("journal_entry", entry.pk)}, queued)
        self.run_worker()
        self.assertFalse(index_tasks(TaskResultStatus.READY).exists())
        self.assertFalse(index_tasks(TaskResultStatus.FAILED).exists())
        self.assertEqual(self.found("quintessence"), {(PROJECT, project.pk)})
        self.assertEqual(self.found("pendule"), {(ENTRY, entry.pk)})

    def test_an_edit_changes_what_is_found_after_the_worker_ran(self):
        project = self.create_project()
        self.run_worker()
        self.update(project, summary="Un échappement à ancre.")
        self.assertEqual(self.found("balancier"), {(PROJECT, project.pk)})  # not yet
        self.run_worker()
        self.assertEqual(self.found("balancier"), set())
        self.assertEqual(self.found("ancre"), {(PROJECT, project.pk)})


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
class TestNothingIndexedInTheRequest(IndexingTestCase):
    """A backend that never runs anything: whatever is searchable was indexed by a task."""

    def test_saving_content_indexes_nothing_by_itself(self):
        project = self.create_project()
        self.create_entry(project)
        self.assertFalse(self.has_document(PROJECT, project.pk))
        self.assertEqual(self.found("quintessence"), set())
