from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.services import search_reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index: every project, journal entry, tribe and member profile. On "
        "Elasticsearch/OpenSearch a new index is filled, then replaces the one in use at once."
    )

    def handle(self, *args, **options):
        # A bar on a terminal; one line per batch in a log (a bar's redraws would fill it).
        on_terminal = self.stdout.isatty()
        bars: dict[str, tqdm] = {}
        written: dict[str, int] = {}

        def progress(label: str, count: int) -> None:
            written[label] = written.get(label, 0) + count
            if not on_terminal:
                self.stdout.write(f"{label}: {written[label]} documents")
                return
            if label not in bars:
                for bar in bars.values():
                    bar.close()
                bars[label] = tqdm(desc=label, unit=" documents", file=self.stdout)
            bars[label].update(count)

        built = search_reindex_all(progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"{built} documents indexed."))
