"""The import rules between layers and apps (docs/architecture.md#import-rules), checked on code.

Module-level imports are what Python runs when a module loads, so they are the app graph. Imports
under `if TYPE_CHECKING:` are for type checkers only and are not counted. Migrations are left out:
they name other apps by label, not by import.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings

REPO = Path(settings.BASE_DIR)

# The user model's app sits at the bottom: it leans on `core` (what every app shares), nothing else.
BOTTOM = {"core": set(), "users": {"core"}}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module (or module.name), dotted
    line: int
    module_level: bool


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # A package's own name is its __init__: "." means the package itself.
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports_in(root: Path, path: Path) -> list[Import]:
    module = _module_name(root, path)
    is_package = path.name == "__init__.py"
    found = []

    def visit(node, module_level):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child, module_level)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(module, a.name, node.lineno, module_level) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, is_package, node)
            found.extend(
                Import(module, f"{source}.{a.name}", node.lineno, module_level) for a in node.names
            )
        inside = module_level and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        visit(node, True)
    return found


def project_imports(root: Path, app_names: set[str]) -> list[Import]:
    """Every import written in the apps' modules (migrations left out)."""
    found = []
    for app in sorted(app_names):
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                found.extend(_imports_in(root, path))
    return found


def _app_of(dotted: str, app_names: set[str]) -> str | None:
    top = dotted.split(".")[0]
    return top if top in app_names else None


def _is_models_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 2 and parts[1] == "models"


def _names_views_or_forms(target: str) -> bool:
    return any(part in ("views", "forms") for part in target.split(".")[1:])


def app_graph(imports: list[Import], app_names: set[str]) -> dict[str, set[str]]:
    graph = {app: set() for app in app_names}
    for imp in imports:
        source, target = _app_of(imp.module, app_names), _app_of(imp.target, app_names)
        if imp.module_level and target and target != source:
            graph[source].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def connect(app):
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(graph[app]):
            if other not in index:
                connect(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == app:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for app in sorted(graph):
        if app not in index:
            connect(app)
    return cycles


def _shortest_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """The shortest way from the component's first app back to itself (breadth first)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        app = queue.pop(0)
        for other in sorted(graph[app] & members):
            if other == start:
                return paths[app] + [start]
            if other not in paths:
                paths[other] = paths[app] + [other]
                queue.append(other)
    return [start]


def _first_import(imports: list[Import], source: str, target: str, app_names) -> str:
    imp = next(
        i
        for i in imports
        if i.module_level
        and _app_of(i.module, app_names) == source
        and _app_of(i.target, app_names) == target
    )
    return f"{imp.module} imports {imp.target} (line {imp.line})"


def violations(root: Path, app_names: set[str]) -> list[str]:
    imports = project_imports(root, app_names)
    found = []
    for imp in imports:
        source, target = _app_of(imp.module, app_names), _app_of(imp.target, app_names)
        if target is None:
            continue
        if imp.module_level and target != source and "views" in imp.target.split(".")[1:]:
            found.append(f"{imp.module} imports another app's views: {imp.target}")
        if _is_models_module(imp.module) and _names_views_or_forms(imp.target):
            found.append(f"{imp.module} (models) imports views or forms: {imp.target}")
        if imp.module_level and source in BOTTOM and target not in BOTTOM[source] | {source}:
            found.append(f"{imp.module} is at the bottom and imports the app {target}")
    graph = app_graph(imports, app_names)
    for component in _cycles(graph):
        cycle = _shortest_cycle(graph, component)
        steps = "; ".join(
            _first_import(imports, a, b, app_names) for a, b in zip(cycle, cycle[1:], strict=False)
        )
        found.append(f"import cycle between {', '.join(component)}: {' -> '.join(cycle)}: {steps}")
    return found


def project_apps() -> set[str]:
    """The project's own apps: those installed from a folder of this repository."""
    return {
        config.name for config in django_apps.get_app_configs() if Path(config.path).parent == REPO
    }


def without_implied_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph's transitive reduction: a -> b is left out when another path leads there."""

    def reachable(app: str) -> set[str]:
        seen, todo = set(), list(graph[app])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(graph[other])
        return seen

    return {
        app: {b for b in targets if not any(b in reachable(c) for c in targets - {b})}
        for app, targets in graph.items()
    }


ROOMS = (
    "models",
    "blocks",
    "selectors",
    "services",
    "permissions",
    "visibility",
    "forms",
    "views",
    "urls",
    "wagtail_hooks",
    "factories",
)


def rooms_of(root: Path, app: str) -> list[str]:
    return [r for r in ROOMS if (root / app / f"{r}.py").exists() or (root / app / r).is_dir()]


def rooms_table(root: Path, app_names: set[str]) -> str:
    rows = [f"| `{app}/` | {', '.join(rooms_of(root, app)) or '—'} |" for app in sorted(app_names)]
    return "\n".join(["| app | rooms |", "|---|---|", *rows])


ARCHITECTURE_DOC = REPO / "docs" / "architecture.md"


def documented_rooms_table() -> str:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    return text.split("<!-- rooms:begin -->")[1].split("<!-- rooms:end -->")[0].strip()


def documented_graph() -> dict[str, set[str]]:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    diagram = text.split("```mermaid")[1].split("```")[0]
    graph: dict[str, set[str]] = {}
    for source, target in re.findall(r"^\s*(\w+) --> (\w+)\s*$", diagram, re.MULTILINE):
        graph.setdefault(source, set()).add(target)
    return graph


def mermaid_edges(graph: dict[str, set[str]]) -> str:
    return "\n".join(f"    {a} --> {b}" for a in sorted(graph) for b in sorted(graph[a]))


# --- The rules hold on the code, and the doc says the code's truth -------------------------


def test_project_apps_are_found():
    assert {"core", "users", "projects", "visibility"} <= project_apps()


def test_the_code_follows_the_import_rules():
    assert violations(REPO, project_apps()) == []


def test_the_documented_app_graph_is_the_codes():
    apps = project_apps()
    graph = without_implied_edges(app_graph(project_imports(REPO, apps), apps))
    code = {app: targets for app, targets in graph.items() if targets}
    assert documented_graph() == code, (
        "docs/architecture.md's diagram differs from the code; its edges are now:\n"
        + mermaid_edges(code)
    )


def test_the_documented_rooms_are_the_apps_files():
    table = rooms_table(REPO, project_apps())
    assert documented_rooms_table() == table, (
        "docs/architecture.md's rooms table differs from the files; it is now:\n" + table
    )


# --- The checker finds what it is meant to find ---------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for app in {name.split("/")[0] for name in files}:
        (root / app / "__init__.py").touch()


def test_checker_finds_an_app_importing_another_apps_views(tmp_path):
    _plant(tmp_path, {"shop/views.py": "", "blog/selectors.py": "from shop.views import cart\n"})
    assert violations(tmp_path, {"shop", "blog"}) == [
        "blog.selectors imports another app's views: shop.views.cart"
    ]


def test_checker_finds_models_importing_their_own_views_even_inside_a_function(tmp_path):
    _plant(
        tmp_path,
        {
            "shop/views.py": "",
            "shop/forms.py": "",
            "shop/models.py": "def get_context():\n    from .views import context\n",
            "shop/models/pages.py": "from shop import forms\n",
        },
    )
    assert sorted(violations(tmp_path, {"shop"})) == [
        "shop.models (models) imports views or forms: shop.views.context",
        "shop.models.pages (models) imports views or forms: shop.forms",
    ]


def test_checker_finds_the_user_models_app_importing_a_capability_app(tmp_path):
    _plant(
        tmp_path,
        {
            "core/markdown.py": "",
            "users/models.py": "from core.markdown import render\n",
            "users/selectors.py": "import shop.models\n",
            "shop/models.py": "",
        },
    )
    assert violations(tmp_path, {"core", "users", "shop"}) == [
        "users.selectors is at the bottom and imports the app shop"
    ]


def test_checker_finds_a_cycle_between_apps_and_names_its_imports(tmp_path):
    _plant(
        tmp_path,
        {
            "shop/services.py": "from blog.selectors import posts\n",
            "blog/selectors.py": "from .models import Post\nfrom shop import services\n",
            "blog/models.py": "",
        },
    )
    assert violations(tmp_path, {"shop", "blog"}) == [
        "import cycle between blog, shop: blog -> shop -> blog: "
        "blog.selectors imports shop.services (line 2); "
        "shop.services imports blog.selectors.posts (line 1)"
    ]


def test_implied_edges_are_left_out_of_the_pictured_graph():
    graph = {"a": {"b", "c"}, "b": {"c"}, "c": set()}
    assert without_implied_edges(graph) == {"a": {"b"}, "b": {"c"}, "c": set()}


def test_checker_leaves_out_function_level_and_type_checking_imports_from_the_graph(tmp_path):
    _plant(
        tmp_path,
        {
            "shop/services.py": "from blog.selectors import posts\n",
            "blog/selectors.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from shop.services import x\n"
                "def later():\n    from shop import services\n"
            ),
        },
    )
    assert violations(tmp_path, {"shop", "blog"}) == []
