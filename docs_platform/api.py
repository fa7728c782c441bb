"""Wagtail's read-only API v2 at /api/v2/: public content only, whoever asks.

Signed in or not, a client sees what an anonymous visitor sees (visibility.policy): the public
pages of the types whose registered rule lets the API serve them (published public projects,
public tribes, published calls, open pages), and the photos and files something public uses (a
public project, a visible journal entry, a public tribe's logo…). Anything else answers 404, in
listings as in detail views; a page type with no rule is never served.
"""

from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from visibility.policy import pages_public, public


class PublicAPIMixin:
    # The API ignores who asks (so no session or password checks, and no CSRF): public only.
    authentication_classes = []
    permission_classes = [AllowAny]


class PublicPagesAPIViewSet(PublicAPIMixin, PagesAPIViewSet):
    def get_base_queryset(self):
        """Wagtail's live pages, less those the registered rules do not make public.

        Listings, detail views, `type=`, `child_of`/`descendant_of` and `find` all start here."""
        return pages_public(super().get_base_queryset())


class PublicMediaAPIMixin(PublicAPIMixin):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=public(self.model).values("pk"))


class PublicImagesAPIViewSet(PublicMediaAPIMixin, ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(PublicMediaAPIMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
