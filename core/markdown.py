"""Markdown to safe HTML: every piece of text a member writes is rendered through here.

cmark-gfm parses in time linear in the text, whatever its shape; raw HTML is left out by cmark
and the result is cleaned again by nh3 with an allow-list. What stays super-linear downstream
(padded table cells, deeply nested quotes, some Pygments lexers) is bounded here, and the
validator refuses those shapes at save with a readable message (docs/projects.md).
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version

import cmarkgfm
import nh3
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES

# Sizes the Markdown fields pick from. LONG holds a methodology of about 3,500 words;
# `make bench-markdown` checks that the worst text of each size renders in under 50 ms.
MAX_LENGTH_LONG = 25_000
MAX_LENGTH_MEDIUM = 10_000
MAX_LENGTH_SHORT = 5_000
# The preview serves every field, so it accepts the longest.
MAX_LENGTH_ANY = MAX_LENGTH_LONG

# Shapes whose cost grows faster than the text: cmark-gfm pads every short row of a table to the
# header's width, and the HTML parser in nh3 slows down with the depth of nested quotes.
MAX_TABLE_CELLS = 5_000
MAX_QUOTE_DEPTH = 15

# Pygments lexers are regular expressions, many slow on hostile code (a second for 10,000
# characters is common): only these languages are highlighted, within a size and a time budget
# per text; code beyond them, or in another language, is shown as plain text.
HIGHLIGHTED_LANGUAGES = (
    "arduino",
    "bash",
    "c",
    "console",
    "cpp",
    "css",
    "diff",
    "gcode",
    "html",
    "ini",
    "javascript",
    "json",
    "lua",
    "make",
    "openscad",
    "python",
    "rust",
    "sql",
    "toml",
    "typescript",
    "xml",
    "yaml",
)
MAX_HIGHLIGHTED_TOTAL = 20_000
MAX_HIGHLIGHTED_LINE = 300
# CPU time of the rendering thread, so a busy server does not leave ordinary code plain.
HIGHLIGHT_SECONDS = 0.015

# Bumped when the code of the rendering changes; the rules below are in the cache key by
# themselves (MARKDOWN_RULES_VERSION).
RENDERER_VERSION = "cmark-1"
CACHE_TIMEOUT = 60 * 60 * 24 * 30
# HTML this process served lately, by cache key: a page's texts come from the shared cache in one
# round trip (render_markdown_many) and the template filter then reads them here. The keys name
# the text and the rules, so an entry is never stale; the size bounds the memory it takes.
RECENT_HTML_CHARACTERS = 2_000_000

CMARK_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "blockquote",
    "pre",
    "code",
    "span",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "sub",
    "sup",
    "kbd",
    "mark",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "input": {"checked"},
}
# Task-list boxes are the only inputs cmark writes; they are shown, never submitted.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Only the classes of highlighted code survive, so a member cannot borrow the site's own styles.
PYGMENTS_CLASSES = {name for name in STANDARD_TYPES.values() if name}
ALLOWED_CLASSES = {"div": {"highlight"}, "span": PYGMENTS_CLASSES}

# cmark writes fenced code as exactly this, its content escaped; raw HTML is left out, so a member
# cannot write this markup themselves.
_CODE_BLOCK = re.compile(r'<pre><code class="language-([^"]*)">(.*?)</code></pre>', re.DOTALL)
# A table's delimiter row (| --- | :-: |), after any quote or list markers before it.
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")
_DELIMITER_CHARACTERS = frozenset("|:- \t")
_PREFIX_STARTS = frozenset(" \t>-+*0123456789")


def _line_content(line: str) -> tuple[int, str]:
    """How many quotes a line opens, and what it holds after its quote and list markers."""
    prefix = _CONTAINER_PREFIX.match(line).group()
    return prefix.count(">"), line[len(prefix) :]


def _is_delimiter_row(content: str) -> bool:
    return "|" in content and "-" in content and set(content) <= _DELIMITER_CHARACTERS


def markdown_shape(text: str) -> tuple[int, int]:
    """(table cells at most, deepest quote) of `text`, in one pass over its lines.

    Cells are counted as cmark-gfm lays them out: every row padded to its table's width, a row
    being any line up to the next blank one (an upper bound, which is what a limit needs).
    """
    cells = depth = columns = 0
    if "|" not in text and ">" not in text:
        return cells, depth
    for line in text.splitlines():
        # Most lines open no container: skip the regular expression for them.
        quotes, content = _line_content(line) if line[:1] in _PREFIX_STARTS else (0, line)
        depth = max(depth, quotes)
        if not content.strip():
            columns = 0
        elif _is_delimiter_row(content):
            columns = len(content.strip().strip("|").split("|"))
            cells += 2 * columns  # the header and this row
        elif columns:
            cells += columns
    return cells, depth


@deconstructible
class MarkdownValidator:
    """Refuses Markdown that is too long or shaped to be slow to render, saying what to change.

    Without `max_length` it checks only the shape (the step body's length is checked by its
    block's own max_length).
    """

    def __init__(self, max_length: int | None = None):
        self.max_length = max_length

    def __call__(self, value) -> None:
        text = value or ""
        errors = []
        if self.max_length is not None and len(text) > self.max_length:
            errors.append(
                ValidationError(
                    _(
                        "This text is %(length)d characters long; at most %(limit)d are "
                        "allowed. Shorten it, or move part of it to another section."
                    ),
                    code="markdown_too_long",
                    params={"length": len(text), "limit": self.max_length},
                )
            )
        cells, depth = markdown_shape(text)
        if cells > MAX_TABLE_CELLS:
            errors.append(
                ValidationError(
                    _(
                        "The tables in this text have up to %(cells)d cells; at most %(limit)d "
                        "are allowed. Split them, or give short rows all their cells."
                    ),
                    code="markdown_table_too_large",
                    params={"cells": cells, "limit": MAX_TABLE_CELLS},
                )
            )
        if depth > MAX_QUOTE_DEPTH:
            errors.append(
                ValidationError(
                    _(
                        "This text nests quotes %(depth)d levels deep (lines starting with "
                        "many >); at most %(limit)d are allowed."
                    ),
                    code="markdown_too_deep",
                    params={"depth": depth, "limit": MAX_QUOTE_DEPTH},
                )
            )
        if errors:
            raise ValidationError(errors)

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkdownValidator) and self.max_length == other.max_length


@lru_cache(maxsize=1)
def _highlighted_lexers() -> dict[str, str]:
    """Every alias of the highlighted languages, mapped to the language's name."""
    return {
        alias: language
        for language in HIGHLIGHTED_LANGUAGES
        for alias in get_lexer_by_name(language).aliases
    }


def _unescape(escaped: str) -> str:
    # cmark escapes exactly these four in code; str.replace undoes them at C speed.
    return (escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')).replace(
        "&amp;", "&"
    )


def _highlighted(code: str, language: str, deadline: float) -> str | None:
    """Pygments' HTML for `code`, or None if lexing it runs past `deadline`."""
    tokens = []
    for count, token in enumerate(get_lexer_by_name(language).get_tokens(code)):
        tokens.append(token)
        if count % 32 == 0 and time.thread_time() > deadline:
            return None
    return format_tokens(tokens, HtmlFormatter(cssclass="highlight", wrapcode=True))


def _highlight_code_blocks(rendered: str) -> str:
    """Highlight fenced code whose language is named and allowed, within the budgets."""
    budget = MAX_HIGHLIGHTED_TOTAL
    deadline = time.thread_time() + HIGHLIGHT_SECONDS

    def replace(match: re.Match) -> str:
        nonlocal budget
        language = _highlighted_lexers().get(_unescape(match.group(1)).lower())
        if language is None:
            return match.group(0)
        code = _unescape(match.group(2))
        if len(code) > budget or max(map(len, code.splitlines()), default=0) > MAX_HIGHLIGHTED_LINE:
            return match.group(0)
        budget -= len(code)
        highlighted = _highlighted(code, language, deadline)
        if highlighted is None:
            budget = 0  # out of time: the rest of the code stays plain too
            return match.group(0)
        return highlighted

    return _CODE_BLOCK.sub(replace, rendered)


def _sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_html(text: str) -> str:
    """Sanitised HTML for `text`, uncached.

    Text saved before the shape limits, or written where they are not checked, is shown as plain
    paragraphs rather than formatted slowly: every word stays visible.
    """
    # Lone surrogates (possible in text that came through JSON) cannot be encoded for cmark.
    text = text.encode("utf-8", "replace").decode("utf-8")
    cells, depth = markdown_shape(text)
    if cells > MAX_TABLE_CELLS or depth > MAX_QUOTE_DEPTH:
        return linebreaks(text, autoescape=True)
    rendered = cmarkgfm.markdown_to_html_with_extensions(text, extensions=CMARK_EXTENSIONS)
    return _sanitise(_highlight_code_blocks(rendered))


def markdown_rules_version() -> str:
    """A digest of everything that decides the HTML of a text: the renderer's version, its
    options, the sanitiser's allow-lists, the limits and the libraries' versions. Stored HTML is
    found by it, so HTML made under other rules is rendered again rather than served."""
    rules = (
        RENDERER_VERSION,
        CMARK_EXTENSIONS,
        sorted(ALLOWED_TAGS),
        sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
        sorted((tag, sorted(values.items())) for tag, values in FORCED_ATTRIBUTES.items()),
        sorted(URL_SCHEMES),
        sorted((tag, sorted(names)) for tag, names in ALLOWED_CLASSES.items()),
        HIGHLIGHTED_LANGUAGES,
        (MAX_HIGHLIGHTED_TOTAL, MAX_HIGHLIGHTED_LINE, MAX_TABLE_CELLS, MAX_QUOTE_DEPTH),
        [version(library) for library in ("cmarkgfm", "nh3", "pygments")],
    )
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]


MARKDOWN_RULES_VERSION = markdown_rules_version()


class _RecentHtml:
    """A bounded, thread-safe map from cache key to HTML, the least recently used dropped first."""

    def __init__(self, max_characters: int):
        self.max_characters = max_characters
        self.characters = 0
        self.items: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            html = self.items.get(key)
            if html is not None:
                self.items.move_to_end(key)
            return html

    def put(self, key: str, html: str) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = html
            self.characters += len(html)
            while self.characters > self.max_characters and self.items:
                self.characters -= len(self.items.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.characters = 0


recent_html = _RecentHtml(RECENT_HTML_CHARACTERS)


def _cache_key(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"markdown:{MARKDOWN_RULES_VERSION}:{digest}"


def render_markdown_many(texts: Iterable[str | None]) -> None:
    """Make the HTML of all `texts` ready for render_markdown: what this process has not served
    lately is fetched from the cache in one round trip, and what the cache lacks is rendered and
    stored in another. A page calls it with every text it shows before rendering its template."""
    keys = {_cache_key(str(text)): str(text) for text in texts if text}
    missing = [key for key in keys if recent_html.get(key) is None]
    if not missing:
        return
    found = cache.get_many(missing)
    rendered = {key: render_html(keys[key]) for key in missing if key not in found}
    if rendered:
        cache.set_many(rendered, CACHE_TIMEOUT)
    for key, html in (found | rendered).items():
        recent_html.put(key, html)


def render_markdown(text: str | None) -> SafeString:
    """Sanitised HTML for `text`, rendered once per distinct text (and set of rules) and then
    served from this process's recent HTML or the cache."""
    if not text:
        return mark_safe("")  # noqa: S308 - the empty string
    text = str(text)
    key = _cache_key(text)
    clean = recent_html.get(key)
    if clean is None:
        clean = cache.get(key)
        if clean is None:
            clean = render_html(text)
            cache.set(key, clean, CACHE_TIMEOUT)
        recent_html.put(key, clean)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 in render_html
