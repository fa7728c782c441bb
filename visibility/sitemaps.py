"""/sitemap.xml: the public pages of the types whose registered rule serves pages, as the pages
API (visibility.policy.pages_public); a page type with no rule is never listed."""

from wagtail.contrib.sitemaps import Sitemap

from .policy import pages_public


class PublicSitemap(Sitemap):
    def items(self):
        return pages_public(super().items())
