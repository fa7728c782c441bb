"""tqdm progress bars for the backup commands: one bar per stage, in turn."""

from tqdm import tqdm


class ProgressBars:
    """A `progress(done, total, label, unit)` callback for operations.services."""

    def __init__(self, stream, *, enabled: bool = True):
        self.stream, self.enabled = stream, enabled
        self.bars: dict[str, tqdm] = {}

    def __call__(self, done: int, total: int | None, label: str, unit: str) -> None:
        if not self.enabled:
            return
        if label not in self.bars:
            self.close()
            self.bars[label] = tqdm(
                desc=label, total=total, file=self.stream, unit=unit, unit_scale=unit == "B"
            )
        self.bars[label].update(done)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
