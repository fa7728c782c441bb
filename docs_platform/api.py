"""Wagtail's read-only API v2 at /api/v2/: public content only, whoever asks.

Signed in or not, a client sees what an anonymous visitor sees (visibility.policy): published
public projects, public tribes, and the photos and files something public uses (a public
project, a visible journal entry, a public tribe's logo…). Anything else answers 404, in
listings as in detail views.
"""

from django.db.models import Q
from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from calls.models import CallForProjectsPage
from projects.models import ProjectPage
from tribes.models import TribePage
from visibility.policy import (
    calls_public,
    documents_public,
    images_public,
    projects_public,
    tribes_public,
)


class PublicAPIMixin:
    # The API ignores who asks (so no session or password checks, and no CSRF): public only.
    authentication_classes = []
    permission_classes = [AllowAny]


class PublicPagesAPIViewSet(PublicAPIMixin, PagesAPIViewSet):
    def get_base_queryset(self):
        """Wagtail's live pages, less the projects, tribes and calls that are not public (calls
        hidden by the moderators, say).

        Listings, detail views, `type=`, `child_of`/`descendant_of` and `find` all start here."""
        guarded = (
            Q(pk__in=ProjectPage.objects.values("pk"))
            | Q(pk__in=TribePage.objects.values("pk"))
            | Q(pk__in=CallForProjectsPage.objects.values("pk"))
        )
        public = (
            Q(pk__in=projects_public().values("pk"))
            | Q(pk__in=tribes_public().values("pk"))
            | Q(pk__in=calls_public().values("pk"))
        )
        return super().get_base_queryset().filter(~guarded | public)


class PublicImagesAPIViewSet(PublicAPIMixin, ImagesAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_public().values("pk"))


class PublicDocumentsAPIViewSet(PublicAPIMixin, DocumentsAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=documents_public().values("pk"))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
