"""projects.selectors: listings, the journal timeline and the revision diff."""

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Page

from machines.factories import MachineFactory
from projects import selectors, services
from projects.factories import JournalEntryFactory, ProjectPageFactory
from projects.models import JournalEntry, ProjectIndexPage, ProjectPage
from tests.helpers import text_upload
from users.factories import UserFactory

ANONYMOUS = AnonymousUser()


class TestProjectList(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.laser = MachineFactory(name="Trotec")
        cls.printer = MachineFactory(name="Prusa")
        cls.lamp = ProjectPageFactory(
            title="Lampe",
            tags=["bois", "led"],
            machines=[cls.laser],
            status="finished",
            licence="CC-BY-4.0",
            last_published_at=now - timedelta(days=2),
        )
        cls.robot = ProjectPageFactory(
            title="Robot",
            tags=["arduino"],
            machines=[cls.printer],
            status="in_progress",
            licence="MIT",
            last_published_at=now - timedelta(days=1),
            presentation="Il suit une ligne noire.",
        )
        cls.box = ProjectPageFactory(
            title="Boîte",
            tags=["bois"],
            machines=[cls.laser],
            status="idea",
            licence="MIT",
            last_published_at=now,
            presentation="Une boîte à bijoux.",
        )
        cls.draft = ProjectPageFactory(title="Brouillon", tags=["secret"], live=False)
        # Published, but nothing told yet: not listed (projects.completeness.listed).
        cls.stub = ProjectPageFactory(title="Ébauche", tags=["bois"], last_published_at=now)
        JournalEntryFactory.create_batch(2, project=cls.lamp)

    def _titles(self, **filters):
        return [project.title for project in selectors.project_list(user=ANONYMOUS, **filters)]

    def test_lists_live_projects_newest_first(self):
        self.assertEqual(self._titles(), ["Boîte", "Robot", "Lampe"])

    def test_filters_by_tag_status_machine_and_licence(self):
        self.assertEqual(self._titles(tag="bois"), ["Boîte", "Lampe"])
        self.assertEqual(self._titles(status="in_progress"), ["Robot"])
        self.assertEqual(self._titles(machine=self.laser.slug), ["Boîte", "Lampe"])
        self.assertEqual(self._titles(licence="MIT"), ["Boîte", "Robot"])
        self.assertEqual(self._titles(tag="bois", licence="MIT"), ["Boîte"])

    def test_project_with_two_matching_tags_is_listed_once(self):
        self.lamp.tags.add("bois-massif")
        self.assertEqual(self._titles(tag="bois").count("Lampe"), 1)

    def test_unknown_filter_values_give_an_empty_list(self):
        self.assertEqual(self._titles(tag="nothing"), [])
        self.assertEqual(self._titles(machine="no-such-machine"), [])

    def test_counts_journal_entries(self):
        counts = {p.title: p.journal_entry_count for p in selectors.project_list(user=ANONYMOUS)}
        self.assertEqual(counts, {"Lampe": 2, "Robot": 0, "Boîte": 0})

    def test_filter_choices_offer_only_what_live_projects_use(self):
        choices = selectors.project_filter_choices(user=ANONYMOUS)
        self.assertEqual(sorted(tag.name for tag in choices["tags"]), ["arduino", "bois", "led"])
        self.assertEqual(choices["machines"], [self.printer, self.laser])

    def test_recent_journal_entries_skip_unpublished_projects_and_filter_by_author(self):
        hidden = JournalEntryFactory(project=self.draft)
        author = UserFactory()
        mine = JournalEntryFactory(project=self.robot, author=author)
        recent = selectors.journal_entry_list_recent(user=ANONYMOUS, limit=10)
        self.assertNotIn(hidden, recent)
        self.assertEqual(len(recent), 3)
        self.assertEqual(
            selectors.journal_entry_list_recent(user=ANONYMOUS, limit=10, author=author),
            [mine],
        )


class TestJournalTimeline(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.project = ProjectPageFactory()
        cls.failure = JournalEntryFactory(project=cls.project, kind="failure")
        cls.lesson = JournalEntryFactory(project=cls.project, kind="lesson")
        cls.trials = JournalEntryFactory.create_batch(21, project=cls.project, kind="trial")
        JournalEntryFactory(kind="failure")  # another project's

    def test_first_page_holds_twenty_newest_entries(self):
        timeline = selectors.journal_entry_timeline(self.project)
        self.assertEqual(len(timeline.entries), selectors.JOURNAL_PAGE_SIZE)
        self.assertEqual(timeline.entries[0], self.trials[-1])
        self.assertTrue(timeline.has_next)

    def test_second_page_holds_the_rest(self):
        timeline = selectors.journal_entry_timeline(self.project, page_number=2)
        self.assertEqual(timeline.entries, [self.trials[0], self.lesson, self.failure])
        self.assertFalse(timeline.has_next)

    def test_filters_by_kind(self):
        timeline = selectors.journal_entry_timeline(self.project, kind="failure")
        self.assertEqual(timeline.entries, [self.failure])
        self.assertEqual(timeline.kind, "failure")

    def test_unknown_kind_shows_everything(self):
        timeline = selectors.journal_entry_timeline(self.project, kind="bogus")
        self.assertEqual(timeline.kind, "")
        self.assertEqual(len(timeline.entries), selectors.JOURNAL_PAGE_SIZE)

    def test_page_number_below_one_is_the_first_page(self):
        self.assertEqual(
            selectors.journal_entry_timeline(self.project, page_number=-3).page_number, 1
        )

    def test_failures_and_lessons_are_highlighted(self):
        self.assertTrue(self.failure.is_highlighted)
        self.assertTrue(self.lesson.is_highlighted)
        self.assertFalse(self.trials[0].is_highlighted)


class TestRevisionDiff(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = UserFactory()
        cls.project = services.project_create(
            owner=cls.owner, title="Four solaire", summary="Cuire au soleil."
        )
        services.project_update(
            project=cls.project, user=cls.owner, presentation="Ligne 1\nLigne 2\nLigne 3"
        )

    def _revision_ids(self):
        return list(self.project.revisions.order_by("pk").values_list("pk", flat=True))

    def _diff(self, older, newer):
        with translation.override("en"):
            return selectors.project_revision_diff(self.project, older, newer)

    def test_lists_only_changed_fields_with_inserted_and_deleted_lines(self):
        services.project_update(
            project=self.project,
            user=self.owner,
            presentation="Ligne 1\nLigne 2 modifiée\nLigne 3",
            status="finished",
        )
        older, newer = self._revision_ids()[-2:]
        diff = {field.label: field.lines for field in self._diff(older, newer)}
        self.assertEqual(set(diff), {"Status", "Presentation"})
        lines = [(line.operation, line.text) for line in diff["Presentation"]]
        self.assertEqual(
            lines,
            [
                ("equal", "Ligne 1"),
                ("delete", "Ligne 2"),
                ("insert", "Ligne 2 modifiée"),
                ("equal", "Ligne 3"),
            ],
        )

    def test_same_revision_has_no_difference(self):
        latest = self._revision_ids()[-1]
        self.assertEqual(self._diff(latest, latest), [])

    def test_steps_bill_of_materials_and_files_are_compared(self):
        start = self._revision_ids()[-1]
        services.project_step_add(project=self.project, user=self.owner, title="Poser la vitre")
        services.project_bill_of_materials_set(
            project=self.project, user=self.owner, rows=[{"item": "Vitre", "quantity": 1}]
        )
        services.project_file_add(
            project=self.project, user=self.owner, file=text_upload("plan.pdf")
        )
        diff = {field.label: field.lines for field in self._diff(start, self._revision_ids()[-1])}
        self.assertEqual(set(diff), {"Realisation steps", "Materials and supplies", "Files"})
        self.assertIn(
            ("insert", "## 1. Poser la vitre"),
            [(line.operation, line.text) for line in diff["Realisation steps"]],
        )
        self.assertTrue(diff["Materials and supplies"][0].text.startswith("Vitre | 1"))
        self.assertTrue(diff["Files"][0].text.startswith("plan.pdf"))

    def test_revision_of_another_project_is_refused(self):
        other = services.project_create(owner=self.owner, title="Autre", summary="s")
        with self.assertRaises(LookupError):
            self._diff(self._revision_ids()[0], other.revisions.get().pk)

    def test_unknown_revision_is_refused(self):
        with self.assertRaises(LookupError):
            self._diff(self._revision_ids()[0], 10**9)

    def test_project_revisions_are_newest_first_with_their_user(self):
        revisions = selectors.project_revisions(self.project)
        self.assertEqual([r.pk for r in revisions], self._revision_ids()[::-1])
        self.assertEqual(revisions[0].user, self.owner)

    def test_journal_revisions_belong_to_this_project_only(self):
        entry = services.journal_entry_create(
            project=self.project, author=self.owner, kind="note", body="x"
        )
        other = ProjectPageFactory()
        services.journal_entry_create(project=other, author=other.owner, kind="note", body="y")
        revisions = selectors.journal_revisions(self.project)
        self.assertEqual([r.object_id for r in revisions], [str(entry.pk)])
        self.assertEqual(JournalEntry.objects.count(), 2)


def bulk_projects(count: int, *, owner) -> None:
    """`count` more live public projects with long texts and two journal entries each, in a few
    bulk inserts (the factories take a second per ten projects)."""
    index = ProjectIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(ProjectPage)
    now = timezone.now()
    start = index.numchild
    pages = Page.objects.bulk_create(
        Page(
            path=ProjectPage._get_path(index.path, index.depth + 1, start + number),
            depth=index.depth + 1,
            numchild=0,
            title=f"Projet {start + number}",
            draft_title=f"Projet {start + number}",
            slug=f"projet-{start + number}",
            url_path=f"{index.url_path}projet-{start + number}/",
            content_type=content_type,
            locale_id=index.locale_id,
            owner=owner,
            live=True,
            first_published_at=now,
            last_published_at=now - timedelta(minutes=start + number),
        )
        for number in range(1, count + 1)
    )
    for page in pages:
        # Only the project's own table: its page row is written above.
        ProjectPage(page_ptr_id=page.pk, summary="Résumé", presentation="Long. " * 2000).save_base(
            raw=True
        )
    JournalEntry.objects.bulk_create(
        JournalEntry(project_id=page.pk, author=owner, kind="trial", body="Essai")
        for page in pages
        for _ in range(2)
    )
    Page.objects.filter(pk=index.pk).update(numchild=start + count)


# Columns no card shows, which a listing must not read.
LARGE_COLUMNS = (
    '"presentation"',
    '"methodology"',
    '"technical_architecture"',
    '"steps"',
    '"bill_of_materials"',
    '"files"',
    '"bio"',
)


class TestListingsCostTheSameWhateverTheSiteHolds(TestCase):
    def listing_queries(self) -> list[str]:
        """The SQL of /projects/'s first page and of the home page's latest projects, ids and
        numbers left out."""
        with CaptureQueriesContext(connection) as captured:
            listing = selectors.project_index_listing(user=ANONYMOUS, params=QueryDict())
            shown = list(listing["projects"])
            latest = selectors.project_list_latest(user=ANONYMOUS, limit=6)
        self.assertEqual([project.journal_entry_count for project in shown + latest], [2] * 18)
        return [
            re.sub(r"IN \([^)]*\)", "IN (…)", re.sub(r"\d+", "N", query["sql"]))
            for query in captured.captured_queries
        ]

    def test_listing_queries_are_the_same_for_10_and_1000_projects(self):
        owner = UserFactory()
        bulk_projects(12, owner=owner)
        few = self.listing_queries()
        bulk_projects(988, owner=owner)
        self.assertEqual(self.listing_queries(), few)

    def test_listings_read_no_long_text_and_count_entries_of_the_cards_shown_only(self):
        bulk_projects(20, owner=UserFactory())
        with CaptureQueriesContext(connection) as captured:
            list(selectors.project_index_listing(user=ANONYMOUS, params=QueryDict())["projects"])
        for query in captured.captured_queries:
            # What it reads; the listing minimum may test a text for emptiness (its length).
            selected = query["sql"].split(" FROM ")[0]
            for column in LARGE_COLUMNS:
                self.assertNotIn(column, selected)
        counts = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"].upper()]
        # The cards' counts (the listing's own count tests the journal too: listed()).
        journal = [sql for sql in counts if sql.startswith('SELECT "projects_journalentry"')]
        self.assertEqual(len(journal), 1)
        counted = re.search(r"IN \(([^)]*)\)", journal[0]).group(1).split(",")
        self.assertEqual(len(counted), selectors.PROJECTS_PER_PAGE)
