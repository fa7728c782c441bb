from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters changed: keeps filters across pagination."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


class CachedBodyNode(template.Node):
    def __init__(self, body_cache, nodelist):
        self.body_cache = body_cache
        self.nodelist = nodelist

    def render(self, context):
        body_cache = self.body_cache.resolve(context)
        if body_cache is None:
            return self.nodelist.render(context)
        if body_cache.html is None:
            body_cache.keep(self.nodelist.render(context))
        return body_cache.html


@register.tag
def cached_body(parser, token):
    """{% cached_body body_cache %}…{% endcached_body %}: the kept body when `body_cache`
    (core.render_cache.KeptHTML) has one, else the content rendered and kept; rendered for this
    reader alone when `body_cache` is None."""
    _tag, body_cache = token.split_contents()
    nodelist = parser.parse(("endcached_body",))
    parser.delete_first_token()
    return CachedBodyNode(parser.compile_filter(body_cache), nodelist)
