"""Every piece of Markdown a member writes is rendered through core.markdown: it must keep the
useful formatting and drop anything that could run script or restyle the site."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from core.markdown import render_markdown
from core.views import MAX_PREVIEW_LENGTH


def test_script_tag_and_its_content_are_removed():
    html = render_markdown("Bonjour <script>alert('pwned')</script>")
    assert "<script" not in html
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
    ],
)
def test_event_handler_attributes_are_removed(source):
    html = render_markdown(source)
    assert " on" not in html.replace("noopener", "")
    assert "alert" not in html and "steal" not in html


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ("<style>body { display: none }</style>", "<style"),
        ('<object data="evil.swf"></object>', "<object"),
        ('<form action="/accounts/logout/"><input name="a"></form>', "<form"),
        ('<embed src="evil.swf">', "<embed"),
    ],
)
def test_raw_html_that_can_embed_or_restyle_is_removed(source, tag):
    assert tag not in render_markdown(source)


def test_style_attribute_and_classes_on_plain_elements_are_removed():
    html = render_markdown('<p class="evil" style="position: fixed">texte</p>')
    assert "style=" not in html
    assert "evil" not in html
    assert "texte" in html


def test_member_cannot_borrow_the_site_classes_on_span_or_div():
    # core/markdown.py: "Pygments marks tokens with short class names; nothing else may carry a
    # class." A member's own <div class="message message--error"> would mimic the site's UI.
    html = render_markdown('<div class="message message--error">Votre compte est bloqué</div>')
    assert "message--error" not in html


def test_data_uri_images_are_refused():
    assert "data:" not in render_markdown("![x](data:image/png;base64,AAAA)")


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


def test_links_get_rel_nofollow():
    html = render_markdown("[Fablab](https://example.org/fablab)")
    assert 'href="https://example.org/fablab"' in html
    assert 'rel="nofollow' in html


def test_headings_lists_and_emphasis_are_kept():
    html = render_markdown("## Étapes\n\n- **couper**\n- _poncer_")
    assert "<h2>Étapes</h2>" in html
    assert "<strong>couper</strong>" in html
    assert "<em>poncer</em>" in html


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


class TestPreviewEndpoint:
    url = "/markdown/preview/"

    def test_returns_sanitised_html(self, client):
        response = client.post(self.url, {"text": "**gras** <img src=x onerror=alert(1)>"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<strong>gras</strong>" in html
        assert "onerror" not in html

    def test_too_long_text_is_a_400(self, client):
        response = client.post(self.url, {"text": "a" * (MAX_PREVIEW_LENGTH + 1)})
        assert response.status_code == 400

    def test_get_is_not_allowed(self, client):
        assert client.get(self.url).status_code == 405
