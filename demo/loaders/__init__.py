"""The steps of the demo load, in dependency order: later steps look up what earlier ones made.

Each loader takes the content read from the files and yields `(label, created)` for each item,
writing through the apps' services. Loading again creates nothing twice: what already exists
(by username, slug, name or title) is skipped."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..reader import DemoContent
from .calls import calls_size, load_calls
from .machines import history_size, load_machine_history, load_machines, load_materials
from .members import load_members
from .projects import load_projects
from .showcases import load_showcases, showcases_size
from .tribes import load_tribes, tribes_size


@dataclass(frozen=True)
class DemoStep:
    label: str  # plural, shown in the progress bar and the summary
    size: int  # how many items the loader yields, for the progress bar
    load: Callable[[], Iterable[tuple[str, bool]]]


def demo_steps(content: DemoContent) -> list[DemoStep]:
    def step(label: str, size: int, loader) -> DemoStep:
        return DemoStep(label, size, lambda: loader(content))

    return [
        step("membres", len(content.members), load_members),
        step("machines", len(content.lab.machines), load_machines),
        step("matériaux", len(content.lab.materials), load_materials),
        step("projets", len(content.projects), load_projects),
        step("tribus", tribes_size(content), load_tribes),
        step("appels à projets", calls_size(content), load_calls),
        step("vitrines", showcases_size(content), load_showcases),
        step("historique des machines", history_size(content), load_machine_history),
    ]


def demo_load(content: DemoContent) -> dict[str, tuple[int, int]]:
    """Run every step; (created, already there) by step label."""
    counts = {}
    for step in demo_steps(content):
        created = [was_created for _label, was_created in step.load()]
        counts[step.label] = (sum(created), len(created) - sum(created))
    return counts
