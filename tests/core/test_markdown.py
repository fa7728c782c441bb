"""Every piece of Markdown a member writes is rendered through core.markdown: it must keep the
useful formatting, drop anything that could run script or restyle the site, and render in time
bounded by the text's length whatever its shape (the figures are in `make bench-markdown`)."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import SafeString

from core import markdown
from core.markdown import (
    MAX_HIGHLIGHTED_TOTAL,
    MAX_LENGTH_LONG,
    MAX_LENGTH_MEDIUM,
    MAX_LENGTH_SHORT,
    MAX_QUOTE_DEPTH,
    MAX_TABLE_CELLS,
    MarkdownValidator,
    markdown_shape,
    render_html,
    render_markdown,
)
from core.views import MAX_PREVIEW_LENGTH
from projects.blocks import STEP_BODY_MAX_LENGTH, StepBlock
from tests.helpers import EnglishClient, login
from users.factories import UserFactory


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so assertions can quote the source strings."""
    with translation.override("en"):
        yield


# What a browser reads as a URL's scheme; anything else in an href is a relative path.
URL_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


class Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would read them."""

    def __init__(self, fragment: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """No element or attribute that runs script, loads a frame or restyles the page."""
    for tag, attrs in Elements(html).tags:
        assert tag in markdown.ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"style", "srcdoc", "formaction"}, (tag, name)
            scheme = URL_SCHEME.match(value or "")
            if name in {"href", "src"} and scheme:
                assert scheme.group(1).lower() in {"http", "https", "mailto"}, value


def test_script_tag_and_its_markup_are_removed():
    html = render_markdown("Bonjour <script>alert('pwned')</script>")
    assert "<script" not in html
    assert "Bonjour" in html
    # cmark leaves raw HTML out: what was between the tags is only text, shown escaped.
    assert all(tag == "p" for tag, _ in Elements(html).tags)


def test_script_block_is_removed_with_its_content():
    html = render_markdown("<script>\nalert('pwned')\n</script>\n\nBonjour")
    assert "pwned" not in html
    assert "Bonjour" in html


def test_javascript_link_loses_its_href():
    html = render_markdown("[clique](javascript:alert(1))")
    assert "javascript:" not in html
    assert "clique" in html


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x.png" onerror="alert(1)">',
        '<a href="https://example.org" onclick="steal()">lien</a>',
        '<p onmouseover="alert(1)">survol</p>',
        'Du texte <svg onload="alert(1)"></svg> autour',
    ],
)
def test_event_handler_attributes_are_removed(source):
    html = render_markdown(source)
    assert " on" not in html.replace("noopener", "")
    assert "alert" not in html and "steal" not in html
    assert_inert(html)


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ("<style>body { display: none }</style>", "<style"),
        ('<object data="evil.swf"></object>', "<object"),
        ('<form action="/accounts/logout/"><input name="a"></form>', "<form"),
        ('<embed src="evil.swf">', "<embed"),
        ('texte <input type="text" name="password"> texte', 'type="text"'),
        ("<base href='https://evil.example/'>", "<base"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta"),
    ],
)
def test_raw_html_that_can_embed_or_restyle_is_removed(source, tag):
    html = render_markdown(source)
    assert tag not in html
    assert_inert(html)


def test_style_attribute_and_classes_on_plain_elements_are_removed():
    html = render_markdown('<p class="evil" style="position: fixed">texte</p>\n\nsuite')
    assert "style=" not in html
    assert "evil" not in html
    assert "suite" in html


def test_member_cannot_borrow_the_site_classes_on_span_or_div():
    # Pygments marks tokens with short class names; nothing else may carry a class. A member's
    # own <div class="message message--error"> would mimic the site's UI.
    html = render_markdown('<div class="message message--error">Votre compte est bloqué</div>')
    assert "message--error" not in html
    html = render_markdown("```message--error\nVotre compte est bloqué\n```")
    assert "message--error" not in html


@pytest.mark.parametrize(
    "source",
    [
        "![x](data:image/png;base64,AAAA)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<data:text/html,<script>alert(1)</script>>",
        "[x](vbscript:msgbox)",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#09;script:alert(1))",
        "[x]: javascript:alert(1)\n\n[lien][x]",
        "<javascript:alert(1)>",
        "![x](file:///etc/passwd)",
    ],
)
def test_dangerous_url_schemes_are_refused(source):
    # The text of a refused link may stay visible; no href or src keeps the scheme.
    html = render_markdown(source)
    for _tag, attrs in Elements(html).tags:
        for name in ("href", "src"):
            value = (attrs.get(name) or "").lower()
            assert not value.startswith(("data:", "javascript:", "vbscript:", "file:")), value
    assert_inert(html)


def test_attributes_written_after_a_link_stay_text():
    html = render_markdown("[lien](https://example.org \"titre\" onclick='alert(1)')")
    assert_inert(html)
    assert {name for _tag, attrs in Elements(html).tags for name in attrs} <= {"href", "rel"}


def test_tables_are_rendered():
    html = render_markdown("| Matière | Épaisseur |\n|---|---|\n| Peuplier | 3 mm |")
    assert "<table>" in html
    assert "<th>Matière</th>" in html
    assert "<td>3 mm</td>" in html


def test_fenced_code_is_rendered_and_highlighted_with_pygments_classes():
    html = render_markdown('```python\nprint("bonjour")\n```')
    assert '<div class="highlight">' in html
    assert "<code>" in html
    assert '<span class="nb">print</span>' in html


def test_code_in_an_unknown_language_is_plain_escaped_code():
    html = render_markdown("```brainfuck\n<script>+++</script>\n```")
    assert "<pre><code>&lt;script&gt;+++&lt;/script&gt;\n</code></pre>" in html
    assert "highlight" not in html


def test_code_is_highlighted_only_within_the_budget():
    block = "```python\n" + "x = 1\n" * 10 + "```\n\n"
    small = render_markdown(block)
    assert '<div class="highlight">' in small
    # Past the budget the code is still there, as plain text.
    huge = "```python\n" + "x = 1\n" * (MAX_HIGHLIGHTED_TOTAL // 6 + 1) + "```"
    html = render_markdown(huge)
    assert "highlight" not in html
    assert html.count("x = 1") == MAX_HIGHLIGHTED_TOTAL // 6 + 1


def test_code_past_the_time_budget_stays_plain(monkeypatch):
    monkeypatch.setattr(markdown, "HIGHLIGHT_SECONDS", -1.0)
    html = render_markdown('```python\nprint("bonjour")\n```')
    assert "highlight" not in html
    assert "print(&quot;bonjour&quot;)" in html or 'print("bonjour")' in html


def test_links_get_rel_nofollow():
    html = render_markdown("[Fablab](https://example.org/fablab)")
    assert 'href="https://example.org/fablab"' in html
    assert 'rel="nofollow' in html


def test_headings_lists_emphasis_strikethrough_and_tasks_are_kept():
    html = render_markdown("## Étapes\n\n- **couper**\n- _poncer_\n- ~~peindre~~\n- [x] fini")
    assert "<h2>Étapes</h2>" in html
    assert "<strong>couper</strong>" in html
    assert "<em>poncer</em>" in html
    assert "<del>peindre</del>" in html
    inputs = [attrs for tag, attrs in Elements(html).tags if tag == "input"]
    assert inputs == [{"checked": "", "type": "checkbox", "disabled": "disabled"}]


def test_bare_links_become_links():
    html = render_markdown("Voir www.example.org/fablab")
    assert 'href="http://www.example.org/fablab"' in html


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_text_renders_nothing(empty):
    assert render_markdown(empty) == ""


def test_result_is_marked_safe_for_templates():
    assert isinstance(render_markdown("*a*"), SafeString)


def test_template_filter_renders_and_sanitises():
    template = Template("{% load carnet_tags %}{{ text|markdown }}")
    html = template.render(Context({"text": "**gras** <script>alert(1)</script>"}))
    assert "<strong>gras</strong>" in html
    assert "<script" not in html
    assert "&lt;strong&gt;" not in html  # not escaped a second time


def test_text_with_lone_surrogates_or_nul_renders():
    html = render_markdown("a\ud800b\x00c **d**")
    assert "<strong>d</strong>" in html


# Hostile shapes at each field size: they render (no timing assertion: `make bench-markdown`
# measures) and stay sanitised.
HOSTILE = {
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "unclosed links": lambda n: "[a](" * (n // 4),
    "unclosed images": lambda n: "![a](" * (n // 5),
    "emphasis runs": lambda n: "*a" * (n // 2),
    "nested emphasis": lambda n: "*a " * (n // 6) + "b*" * (n // 6),
    "backticks": lambda n: "a`" * (n // 2),
    "angle brackets": lambda n: "<a" * (n // 2),
    "nested lists": lambda n: "- " * (n // 2) + "a",
    "nested quotes at the limit": lambda n: (
        ("> " * MAX_QUOTE_DEPTH + "a\n") * (n // (2 * MAX_QUOTE_DEPTH + 2))
    ),
    "wide table at the limit": lambda n: (
        "|a" * 100 + "|\n" + "|-" * 100 + "|\n" + "x\n" * (MAX_TABLE_CELLS // 100 - 2)
    ),
    "many references": lambda n: "".join(
        f"[r{i}]: https://x.org/{i}\n[r{i}]" for i in range(n // 30)
    ),
    "script everywhere": lambda n: "<script>alert(1)</script>" * (n // 25),
    "handlers everywhere": lambda n: '<img src=x onerror="alert(1)">' * (n // 30),
    "javascript links": lambda n: "[a](javascript:alert(1))" * (n // 24),
    "code blocks": lambda n: ("```python\n" + "print('<b>')\n" * 40 + "```\n") * (n // 500),
}


@pytest.mark.parametrize("size", [MAX_LENGTH_SHORT, MAX_LENGTH_MEDIUM, MAX_LENGTH_LONG])
@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_shapes_at_the_maximum_size_render_sanitised(shape, size):
    text = HOSTILE[shape](size)[:size]
    MarkdownValidator(size)(text)  # a text a member may save
    html = render_html(text)
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert_inert(html)


@pytest.mark.parametrize(
    "text",
    [
        ">" * 50_000,
        "|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n" + "x\n" * 20_000,
        "> |" + "a|" * 200 + "\n> |" + "-|" * 200 + "\n" + "> x\n" * 5_000,
    ],
    ids=["deep quotes", "padded table", "padded table in a quote"],
)
def test_shapes_past_the_limits_render_as_plain_text_with_every_word(text):
    html = render_html(text)
    assert "<table" not in html and "<blockquote" not in html
    assert html.count("x") == text.count("x")


def test_stored_text_longer_than_the_limits_still_renders_whole():
    text = "Un paragraphe **gras**.\n\n" * (MAX_LENGTH_LONG // 10)
    html = render_markdown(text)
    assert html.count("<strong>gras</strong>") == MAX_LENGTH_LONG // 10


# The render cache: a page view does not render unchanged text again.


@pytest.fixture
def counted_renders(monkeypatch):
    calls = []
    real = markdown.render_html

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(markdown, "render_html", counting)
    return calls


def test_unchanged_text_is_rendered_once(counted_renders):
    first = render_markdown("**Une** fois")
    second = render_markdown("**Une** fois")
    assert first == second == "<p><strong>Une</strong> fois</p>\n"
    assert counted_renders == ["**Une** fois"]


def test_changed_text_is_rendered_again(counted_renders):
    render_markdown("**Une** fois")
    render_markdown("**Deux** fois")
    assert counted_renders == ["**Une** fois", "**Deux** fois"]


def test_a_new_renderer_version_renders_again(counted_renders, monkeypatch):
    render_markdown("*versions*")
    monkeypatch.setattr(markdown, "RENDERER_VERSION", "next")
    monkeypatch.setattr(markdown, "MARKDOWN_RULES_VERSION", markdown.markdown_rules_version())
    render_markdown("*versions*")
    assert len(counted_renders) == 2


def test_html_stored_under_other_sanitiser_rules_is_rendered_again(monkeypatch):
    assert render_markdown("**gras**") == "<p><strong>gras</strong></p>\n"
    # The allow-list tightens (in a new release: the version is computed when the module loads).
    monkeypatch.setattr(markdown, "ALLOWED_TAGS", markdown.ALLOWED_TAGS - {"strong"})
    monkeypatch.setattr(markdown, "MARKDOWN_RULES_VERSION", markdown.markdown_rules_version())
    assert render_markdown("**gras**") == "<p>gras</p>\n"


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("ALLOWED_ATTRIBUTES", {**markdown.ALLOWED_ATTRIBUTES, "a": {"href"}}),
        ("URL_SCHEMES", markdown.URL_SCHEMES | {"ftp"}),
        ("CMARK_EXTENSIONS", ["table"]),
        ("HIGHLIGHTED_LANGUAGES", ("python",)),
    ],
)
def test_every_rule_is_in_the_rules_version(monkeypatch, name, changed):
    before = markdown.markdown_rules_version()
    monkeypatch.setattr(markdown, name, changed)
    assert markdown.markdown_rules_version() != before


def test_texts_of_a_page_cost_one_cache_round_trip(counted_renders, monkeypatch):
    texts = ["*un*", "*deux*", "*trois*"]
    render_markdown("*un*")
    markdown.recent_html.clear()  # a new worker: "*un*" is in the shared cache only
    calls, inside = [], []

    def counted(method, real):
        def call(*args, **kwargs):
            # Only the calls render_markdown makes: LocMemCache.get_many calls get itself.
            if not inside:
                calls.append(method)
            inside.append(method)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for method in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(
            markdown.cache, method, counted(method, getattr(markdown.cache, method))
        )
    markdown.render_markdown_many(texts)
    assert [render_markdown(text) for text in texts] == [
        "<p><em>un</em></p>\n",
        "<p><em>deux</em></p>\n",
        "<p><em>trois</em></p>\n",
    ]
    assert calls == ["get_many", "set_many"]
    assert counted_renders == ["*un*", "*deux*", "*trois*"]
    markdown.render_markdown_many(texts)
    assert calls == ["get_many", "set_many"]  # served lately by this process: no round trip


# Limits: the validator every Markdown field carries.


def test_validator_refuses_text_over_the_length_with_both_figures():
    with pytest.raises(ValidationError) as caught:
        MarkdownValidator(100)("a" * 101)
    assert caught.value.messages == [
        "This text is 101 characters long; at most 100 are allowed. Shorten it, or move part of "
        "it to another section."
    ]


def test_validator_accepts_text_at_the_length():
    MarkdownValidator(100)("a" * 100)


def test_validator_refuses_quotes_nested_too_deep():
    with pytest.raises(ValidationError) as caught:
        MarkdownValidator(1000)("> " * (MAX_QUOTE_DEPTH + 1) + "a")
    assert caught.value.error_list[0].code == "markdown_too_deep"
    MarkdownValidator(1000)("> " * MAX_QUOTE_DEPTH + "a")


def test_validator_refuses_tables_padded_past_the_cell_limit():
    columns = 100
    rows = MAX_TABLE_CELLS // columns  # with the header and delimiter rows: over the limit
    text = "|a" * columns + "|\n" + "|-" * columns + "|\n" + "x\n" * rows
    assert markdown_shape(text)[0] > MAX_TABLE_CELLS
    with pytest.raises(ValidationError) as caught:
        MarkdownValidator(100_000)(text)
    assert caught.value.error_list[0].code == "markdown_table_too_large"


def test_table_cells_are_counted_inside_quotes_and_lists():
    assert markdown_shape("> |a|b|\n> |-|-|\n> x\n> y\n")[0] == 8
    assert markdown_shape("- |a|b|c|\n  |-|-|-|\n  x\n\nfin")[0] == 9


def test_an_ordinary_long_table_is_allowed():
    rows = "".join(f"| {i} | contreplaqué | 3 mm | 2,50 € |\n" for i in range(500))
    MarkdownValidator(MAX_LENGTH_LONG)("| n | matière | épaisseur | prix |\n|--|--|--|--|\n" + rows)


def test_a_long_methodology_of_several_thousand_words_fits():
    paragraph = (
        "Nous avons d'abord découpé une série d'éprouvettes dans du contreplaqué de peuplier, "
        "puis mesuré la flèche de chacune sous une charge de deux kilogrammes. "
    )
    text = "\n\n".join(paragraph for _ in range(3600 // len(paragraph.split())))
    assert len(text.split()) > 3500  # "a few thousand words"
    MarkdownValidator(MAX_LENGTH_LONG)(text)


# Every Markdown field carries the validator: the model (so services' full_clean() and the
# Wagtail admin refuse) and the step block.

MARKDOWN_MODEL_FIELDS = {
    ("calls", "Application", "pitch"): MAX_LENGTH_MEDIUM,
    ("calls", "CallForProjectsPage", "brief"): MAX_LENGTH_LONG,
    ("calls", "CallForProjectsPage", "deliverables"): MAX_LENGTH_MEDIUM,
    ("calls", "CallForProjectsPage", "ip_terms"): MAX_LENGTH_MEDIUM,
    ("calls", "CallIndexPage", "intro"): MAX_LENGTH_SHORT,
    ("calls", "Organisation", "description"): MAX_LENGTH_MEDIUM,
    ("home", "HomePage", "intro"): MAX_LENGTH_SHORT,
    ("projects", "JournalEntry", "body"): MAX_LENGTH_MEDIUM,
    ("projects", "ProjectIndexPage", "intro"): MAX_LENGTH_SHORT,
    ("projects", "ProjectPage", "methodology"): MAX_LENGTH_LONG,
    ("projects", "ProjectPage", "presentation"): MAX_LENGTH_LONG,
    ("projects", "ProjectPage", "technical_architecture"): MAX_LENGTH_LONG,
    ("showcases", "ShowcaseIndexPage", "intro"): MAX_LENGTH_SHORT,
    ("showcases", "ShowcaseItem", "note"): MAX_LENGTH_SHORT,
    ("showcases", "ShowcasePage", "intro"): MAX_LENGTH_SHORT,
    ("tribes", "TribeIndexPage", "intro"): MAX_LENGTH_SHORT,
    ("tribes", "TribePage", "description"): MAX_LENGTH_MEDIUM,
    ("users", "User", "bio"): MAX_LENGTH_SHORT,
}


def test_the_markdown_model_fields_are_all_listed_here():
    found = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if any(isinstance(v, MarkdownValidator) for v in getattr(field, "validators", ()))
    }
    assert found == set(MARKDOWN_MODEL_FIELDS)


@pytest.mark.parametrize(("key", "limit"), MARKDOWN_MODEL_FIELDS.items(), ids=str)
def test_every_markdown_model_field_refuses_text_over_its_limit(key, limit):
    app_label, model_name, field_name = key
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    field.clean("a" * limit, None)
    with pytest.raises(ValidationError) as caught:
        field.clean("a" * (limit + 1), None)
    assert f"at most {limit} are allowed" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        field.clean("> " * (MAX_QUOTE_DEPTH + 1) + "a", None)


def test_step_body_block_refuses_text_over_its_limit_and_hostile_shapes():
    body = StepBlock().child_blocks["body"]
    assert body.clean("a" * STEP_BODY_MAX_LENGTH)
    with pytest.raises(ValidationError):
        body.clean("a" * (STEP_BODY_MAX_LENGTH + 1))
    with pytest.raises(ValidationError):
        body.clean("> " * (MAX_QUOTE_DEPTH + 1) + "a")


# The preview beside every Markdown field.


@pytest.mark.django_db
class TestPreviewEndpoint:
    url = "/markdown/preview/"

    @pytest.fixture
    def member(self):
        return login(EnglishClient(), UserFactory())

    def test_returns_sanitised_html_to_a_member(self, member):
        response = member.post(self.url, {"text": "**gras** <img src=x onerror=alert(1)>"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<strong>gras</strong>" in html
        assert "onerror" not in html

    def test_anonymous_visitor_gets_a_403_with_a_message(self):
        response = EnglishClient().post(self.url, {"text": "**gras**"})
        assert response.status_code == 403
        assert response.content.decode() == "Log in to preview your text."
        assert response["Content-Type"].startswith("text/plain")

    def test_too_long_text_is_a_400_naming_the_limit(self, member):
        response = member.post(self.url, {"text": "a" * (MAX_PREVIEW_LENGTH + 1)})
        assert response.status_code == 400
        assert f"at most {MAX_PREVIEW_LENGTH} are allowed" in response.content.decode()

    def test_hostile_shape_is_a_400_with_the_reason(self, member):
        response = member.post(self.url, {"text": ">" * 5000})
        assert response.status_code == 400
        assert "nests quotes" in response.content.decode()

    def test_a_member_is_limited_per_minute(self, member, settings):
        settings.CARNET_MARKDOWN_PREVIEW_RATE = "3/m"
        statuses = [member.post(self.url, {"text": "*a*"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = member.post(self.url, {"text": "*a*"})
        assert response.status_code == 429
        assert "Too many previews" in response.content.decode()
        # Another member is not held back by the first one's previews.
        other = login(EnglishClient(), UserFactory())
        assert other.post(self.url, {"text": "*a*"}).status_code == 200

    def test_get_is_not_allowed(self, member):
        assert member.get(self.url).status_code == 405
