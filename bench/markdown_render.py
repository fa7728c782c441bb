"""How long does the worst Markdown text of each field's maximum size take to render? Not a test:
it prints figures.

    .venv/bin/python bench/markdown_render.py [--verbose] [--repeat 3]

For every Markdown field (found from the validators on the models, plus the step body block and
the preview), it renders texts of the field's maximum size through core.markdown.render_markdown
with the cache emptied before each render (a cold render, as on the first view after a save):
hostile shapes (nested brackets, unclosed links and images, emphasis runs, backticks, `<` runs,
nested lists and quotes, tables as large as allowed, many references, raw HTML…), long code
blocks in each highlighted language filled with tokens that make lexers backtrack, and ordinary
long documentation. Each figure is the median of --repeat renders, in CPU time of this process
(so other work on the machine does not inflate it), after loading every lexer once; the target
is that the worst of them stays under 50 ms. Texts stored before the limits (longer, or shaped
past them) are measured too: they are not refused on display, so they must stay bounded too.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0

# Tokens that make regular-expression lexers try many rules at each position.
CODE_TOKENS = [
    '"',
    "'",
    "/*",
    "(",
    "{{",
    "<",
    "\\",
    "#",
    "`",
    "${",
    "<?",
    "&",
    ": ",
    "a.",
    "_",
    "@",
    ";",
    '"\\',
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print every figure")
    parser.add_argument("--repeat", type=int, default=3, help="renders per figure (median)")
    return parser.parse_args()


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "docs_platform.settings.test"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def markdown_fields() -> list[tuple[str, int]]:
    """(name, maximum length) of every Markdown field, the preview included."""
    from django.apps import apps

    from core.markdown import MAX_LENGTH_ANY, MarkdownValidator
    from projects.blocks import STEP_BODY_MAX_LENGTH

    fields = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for validator in getattr(field, "validators", ()):
                if isinstance(validator, MarkdownValidator) and validator.max_length:
                    fields.append((f"{model.__name__}.{field.name}", validator.max_length))
    fields.append(("StepBlock.body", STEP_BODY_MAX_LENGTH))
    fields.append(("POST /markdown/preview/", MAX_LENGTH_ANY))
    return sorted(fields)


def fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def ordinary_text(n: int) -> str:
    section = (
        "## Découpe des faces\n\n"
        "Nous avons découpé les faces dans du **contreplaqué de peuplier** de 3 mm, à 60 % de "
        "puissance et 20 mm/s. Voir [la fiche](https://example.org/fiche) et www.example.org.\n\n"
        "- poncer les chants au grain 120 ;\n- coller à la vinylique, *serre-joints* 2 h ;\n"
        "- [x] vérifier l'équerrage\n\n> Astuce : protéger la lentille.\n\n"
        "| Matière | Épaisseur | Prix |\n|---|:-:|--:|\n| Peuplier | 3 mm | 4,50 € |\n\n"
        "```python\nfor face in faces:\n    laser.cut(face, power=60, speed=20)\n```\n\n"
    )
    return fill(section, n)


def hostile_texts(n: int) -> dict[str, str]:
    from core.markdown import MAX_QUOTE_DEPTH, MAX_TABLE_CELLS

    table_columns = 100
    table_rows = MAX_TABLE_CELLS // table_columns - 3
    texts = {
        "nested brackets": "[" * (n // 2) + "]" * (n // 2),
        "unclosed links": fill("[a](", n),
        "unclosed images": fill("![a](", n),
        "nested links and images": fill("[![a](b)](", n),
        "emphasis runs *a": fill("*a", n),
        "emphasis runs _a": fill("_a", n),
        "nested emphasis": fill("*a ", n // 2) + fill("b*", n // 2),
        "strikethrough runs": fill("~a", n),
        "backticks": fill("a`", n),
        "backtick runs": "".join("`" * k + "a" for k in range(1, 200))[:n] + fill("`", n)[: n // 2],
        "< runs": fill("<", n),
        "<a runs": fill("<a", n),
        "html comments": fill("<!--", n),
        "entities": fill("&#", n),
        "mixed punctuation": fill("*_[`<", n),
        "nested lists": fill("- ", n),
        "nested ordered lists": fill("1. ", n),
        "indented lists": "".join("  " * i + "- a\n" for i in range(200))[:n],
        "quotes at the depth limit": fill("> " * MAX_QUOTE_DEPTH + "a\n", n),
        "quotes and lists": fill("> - ", n),
        "table at the cell limit": (
            "|a" * table_columns
            + "|\n"
            + "|-" * table_columns
            + "|\n"
            + "x\n" * table_rows
            + "\n"
            + fill("|x|y|\n", n)
        )[:n],
        "long table rows": ("|a|b|\n|-|-|\n" + fill("|x|y|\n", n))[:n],
        "many references": "".join(f"[r{i}]: https://x.org/{i}\n" for i in range(n // 20))[:n],
        "reference uses": ("[a]: /u\n" + fill("[a]", n))[:n],
        "autolinks": fill("www.a.org/(", n),
        "e-mail autolinks": fill("a@b.", n),
        "task lists": fill("- [ ] a\n", n),
        "hard breaks": fill("a  \n", n),
        "raw html": fill('<img src=x onerror="alert(1)"><script>alert(1)</script>', n),
        "long word": "a" * n,
        "ordinary documentation": ordinary_text(n),
    }
    for language in languages():
        for token in CODE_TOKENS:
            code = fill(token, n - 20)
            texts[f"code {language} {token!r}"] = f"```{language}\n{code}\n```"
        lines = fill(fill("x = f(a, 'b') # c\n", 300), n - 20)
        texts[f"code {language} lines"] = f"```{language}\n{lines}\n```"
    return {name: text[:n] for name, text in texts.items()}


def stored_texts(longest: int) -> dict[str, str]:
    """Texts saved before the limits: longer than any field allows, or shaped past the limits."""
    n = 4 * longest
    texts = {
        "stored: 4 × the longest limit of ordinary text": ordinary_text(n),
        "stored: 4 × the longest limit of nested brackets": "[" * (n // 2) + "]" * (n // 2),
        "stored: quotes 50,000 deep": ">" * 50_000,
        "stored: padded table 1,000 columns": "|a" * 1000 + "|\n" + "|-" * 1000 + "|\n" + "x\n" * n,
    }
    return {name: text[:n] for name, text in texts.items()}


def languages() -> list[str]:
    from core.markdown import HIGHLIGHTED_LANGUAGES

    return list(HIGHLIGHTED_LANGUAGES)


def cold_render_ms(text: str, repeat: int) -> float:
    from django.core.cache import cache

    from core.markdown import recent_html, render_markdown

    figures = []
    for _ in range(repeat):
        # Both caches: the shared one and this process's memory of HTML it served lately.
        cache.clear()
        recent_html.clear()
        start = time.process_time()
        render_markdown(text)
        figures.append((time.process_time() - start) * 1000)
    return statistics.median(figures)


def warm_up() -> None:
    """Load every lexer once: a process pays that on its first code block, not per render."""
    from core.markdown import render_html

    for language in languages():
        render_html(f"```{language}\nx\n```")


def main() -> int:
    args = parse_args()
    setup_django()
    fields = markdown_fields()
    warm_up()
    worst_by_size: dict[int, tuple[float, str]] = {}
    ordinary_by_size: dict[int, float] = {}
    for size in sorted({size for _name, size in fields}):
        worst = (0.0, "")
        for name, text in hostile_texts(size).items():
            figure = cold_render_ms(text, args.repeat)
            if args.verbose:
                print(f"  {size:>6} chars  {figure:7.1f} ms  {name}")
            if name == "ordinary documentation":
                ordinary_by_size[size] = figure
            worst = max(worst, (figure, name))
        worst_by_size[size] = worst

    print(f"Cold render of the worst text of each field's maximum size (target {TARGET_MS:.0f} ms)")
    print(f"  {'field':<42} {'max chars':>9} {'worst ms':>9} {'ordinary ms':>12}  worst input")
    failures = 0
    for name, size in fields:
        figure, shape = worst_by_size[size]
        failures += figure >= TARGET_MS
        flag = "" if figure < TARGET_MS else "  OVER"
        print(
            f"  {name:<42} {size:>9} {figure:>9.1f} {ordinary_by_size[size]:>12.1f}  {shape}{flag}"
        )

    print("\nText stored before the limits (shown, never refused on display):")
    longest = max(size for _name, size in fields)
    for name, text in stored_texts(longest).items():
        figure = cold_render_ms(text, args.repeat)
        failures += figure >= TARGET_MS
        flag = "" if figure < TARGET_MS else "  OVER"
        print(f"  {name:<52} {len(text):>7} chars {figure:>7.1f} ms{flag}")

    verdict = "yes" if not failures else f"no ({failures} over)"
    print(f"\nEvery figure under {TARGET_MS:.0f} ms: {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
