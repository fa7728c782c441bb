from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.services import search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index: every project, journal entry, tribe and member profile."

    def handle(self, *args, **options):
        bars: dict[str, tqdm] = {}

        def progress(label: str, count: int) -> None:
            if label not in bars:
                for bar in bars.values():
                    bar.close()
                bars[label] = tqdm(desc=label, unit=" documents", file=self.stdout)
            bars[label].update(count)

        built = search_reindex_all(progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"{built} documents indexed."))
