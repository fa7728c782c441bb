from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views
from docs_platform.api import api_router
from machines.api import api as machine_events_api
from projects import feeds as project_feeds
from visibility import views as visibility_views
from visibility.sitemaps import PublicSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Uploads, in every environment, through the visibility policy (docs/media.md).
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        visibility_views.media_serve,
        name="media",
    ),
    # Wagtail's document view with our cache headers; before its URLs, so it wins.
    re_path(r"^documents/(\d+)/(.*)$", visibility_views.document_serve),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Machine events (docs/machines.md); OpenAPI schema at /api/openapi.json.
    path("api/", machine_events_api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": PublicSitemap}}, name="sitemap"),
    path("language/<str:code>/", core_views.language_switch, name="language_switch"),
    path("markdown/preview/", core_views.markdown_preview, name="markdown_preview"),
    # At the root, so that its scope covers every page (docs/projects.md, "Work is never lost").
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("accounts/", include("users.urls")),
    path("members/", include("members.urls")),
    # Feeds before the project URLs, so /projects/feed/ is not taken for a project's slug.
    path("projects/feed/", project_feeds.LatestProjectsFeed(), name="project_feed"),
    path("projects/feed/atom/", project_feeds.LatestProjectsAtomFeed(), name="project_feed_atom"),
    path("projects/<slug:slug>/journal/feed/", project_feeds.JournalFeed(), name="journal_feed"),
    path(
        "projects/<slug:slug>/journal/feed/atom/",
        project_feeds.JournalAtomFeed(),
        name="journal_feed_atom",
    ),
    path("projects/", include("projects.urls")),
    path("tribes/<slug:slug>/feed/", project_feeds.TribeActivityFeed(), name="tribe_feed"),
    path(
        "tribes/<slug:slug>/feed/atom/",
        project_feeds.TribeActivityAtomFeed(),
        name="tribe_feed_atom",
    ),
    path("tribes/", include("tribes.urls")),
    path("calls/", include("calls.urls")),
    path("machines/", include("machines.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    path("moderation/", include("moderation.urls")),
    path("stats/", include("stats.urls")),
]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
