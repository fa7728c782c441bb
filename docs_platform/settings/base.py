"""Settings shared by every environment. Optional services switch on through environment
variables; docs/configuration.md lists every one of them."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    search_backend,
    task_backend,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "users",
    "images",
    "documents",
    "home",
    "machines",
    "tribes",
    "projects",
    "members",
    "visibility",
    "search",
    "notifications",
    "calls",
    "showcases",
    "stats",
    "moderation",
    "operations",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every page gets the header, error pages included (docs/security.md).
    "core.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.NulCharacterMiddleware",
    # Before the middleware that set cookies, so it sees them all (docs/deployment.md, "Caching").
    "core.http_cache.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.UploadTooLargeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "users.throttling.LoginThrottleMiddleware",
    # Last, so it is asked first when a view fails: a lost database connection answers 503.
    "core.database.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "docs_platform.urls"
WSGI_APPLICATION = "docs_platform.wsgi.application"
ASGI_APPLICATION = "docs_platform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Login throttling (docs/security.md): django-axes counts failed logins in the database, by
# account and by address; a locked one is refused, even with the right password, until
# LOGIN_COOLOFF_MINUTES after its last failure.
AUTHENTICATION_BACKENDS = [
    "users.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "users.throttling.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # users.throttling relies on this order
AXES_FAILURE_LIMIT = max(1, env_int("CARNET_LOGIN_FAILURES_PER_ACCOUNT", 5))
CARNET_LOGIN_FAILURES_PER_ADDRESS = max(1, env_int("CARNET_LOGIN_FAILURES_PER_ADDRESS", 20))
AXES_COOLOFF_TIME = timedelta(minutes=max(1, env_int("CARNET_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_CALLABLE = "users.throttling.login_locked_response"
AXES_CLIENT_IP_CALLABLE = "users.throttling.client_ip"
AXES_RESET_ON_SUCCESS = False  # or one's own account would wipe an address's failures
AXES_ENABLE_ADMIN = False  # attempts are listed by `manage.py axes_list_attempts`
AXES_DISABLE_ACCESS_LOG = True  # no record of who logged in from where: only failures count
AXES_VERBOSE = False
# Axes looks for its own middleware by name; users.throttling's subclass stands in for it.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
WAGTAILADMIN_USER_LOGIN_FORM = "users.forms.AdminLoginForm"
# One password reset door, Carnet's (rate-limited), for members and staff alike.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Sign-ups and password-reset requests, counted by django-ratelimit in the cache ("5/h", "20/d").
CARNET_SIGNUP_RATE_PER_ADDRESS = env_str("CARNET_SIGNUP_RATE_PER_ADDRESS", "20/h")
# An e-mail address is optional at sign-up (it only serves to reset a forgotten password).
CARNET_SIGNUP_EMAIL_REQUIRED = env_bool("CARNET_SIGNUP_EMAIL_REQUIRED", False)
CARNET_PASSWORD_RESET_RATE_PER_ADDRESS = env_str("CARNET_PASSWORD_RESET_RATE_PER_ADDRESS", "10/h")
CARNET_PASSWORD_RESET_RATE_PER_EMAIL = env_str("CARNET_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
# Markdown previews per member (docs/projects.md), counted the same way.
CARNET_MARKDOWN_PREVIEW_RATE = env_str("CARNET_MARKDOWN_PREVIEW_RATE", "30/m")
# Reverse proxies in front of Carnet that append the visitor's address to X-Forwarded-For (1
# behind the nginx of docs/deployment.md); 0 trusts REMOTE_ADDR alone.
CARNET_PROXY_COUNT = env_int("CARNET_PROXY_COUNT", 0)
# How long a shared cache (the proxy) may keep an anonymous page; browsers revalidate each time.
CARNET_PROXY_CACHE_SECONDS = max(0, env_int("CARNET_PROXY_CACHE_SECONDS", 300))
RATELIMIT_IP_META_KEY = "users.throttling.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: our members are French speakers; English is the second language shipped.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: one limit for every file a member sends (photos from phones, CAD files…).
CARNET_MAX_UPLOAD_SIZE = env_int("CARNET_MAX_UPLOAD_MB", 20) * 1024 * 1024
# Pillow refuses images over this many pixels (decompression bombs); 60 Mpx covers phone cameras.
CARNET_MAX_IMAGE_PIXELS = env_int("CARNET_MAX_IMAGE_PIXELS", 60_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads are served by visibility.views.media_serve, which asks the visibility policy. Set to
# an nginx `internal` location (e.g. /protected-media/) to have nginx send the bytes
# (X-Accel-Redirect); docs/media.md. Never let the web server expose MEDIA_ROOT directly.
CARNET_MEDIA_ACCEL_REDIRECT = env_str("CARNET_MEDIA_ACCEL_REDIRECT")
# The Contact button (docs/members.md): messages a member may send in any rolling 24 hours, in
# all and to the same person; counted in the database, so every process agrees. Staff: no limit.
CARNET_CONTACT_PER_DAY = env_int("CARNET_CONTACT_PER_DAY", 5)
CARNET_CONTACT_PER_RECIPIENT_PER_DAY = env_int("CARNET_CONTACT_PER_RECIPIENT_PER_DAY", 1)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Carnet <noreply@carnet.localhost>")

# Background work (docs/deployment.md): notification e-mails and search indexing are queued in
# the database and run by `manage.py db_worker`, so a slow mail server never holds a request.
# CARNET_TASKS=immediate runs them in the web process instead, after the transaction commits.
CARNET_TASKS = env_str("CARNET_TASKS", "database")
TASKS = {"default": {"BACKEND": task_backend(CARNET_TASKS)}}

# The proxy cache in front of Carnet (docs/deployment.md, "Proxy cache"): its purge address,
# e.g. http://127.0.0.1:8080. Set, every change purges the public pages that show it.
CARNET_FRONTEND_CACHE_URL = env_str("CARNET_FRONTEND_CACHE_URL")
if CARNET_FRONTEND_CACHE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "core.frontend_cache.NginxPurgeBackend",
            "LOCATION": CARNET_FRONTEND_CACHE_URL,
        }
    }

# "pages" keeps rendered page bodies (core/render_cache.py) with the versions that drop them on
# change: every process serving the site must see the same versions, so it is a folder shared by
# the processes of one machine (with REDIS_URL, Redis: docs/deployment.md).
CARNET_PAGE_CACHE_DIR = env_str("CARNET_PAGE_CACHE_DIR", str(BASE_DIR / "var" / "page-cache"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CARNET_PAGE_CACHE_DIR,
        "TIMEOUT": CARNET_PROXY_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
# Sessions are read from the cache and written through to the database: no query per page view.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

WAGTAIL_SITE_NAME = "Carnet"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.CarnetImage"
WAGTAILDOCS_DOCUMENT_MODEL = "documents.CarnetDocument"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = CARNET_MAX_UPLOAD_SIZE
WAGTAILIMAGES_MAX_IMAGE_PIXELS = CARNET_MAX_IMAGE_PIXELS
# Staff uploads are cleaned like members' (docs/media.md); HEIC is then stored as JPEG.
WAGTAILIMAGES_IMAGE_FORM_BASE = "images.forms.CarnetImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "heic"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = CARNET_MAX_UPLOAD_SIZE
# Project files: designs, fabrication files, code and documents.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "txt",
    "md",
    "csv",
    "zip",
    "odt",
    "ods",
    "docx",
    "xlsx",
    "svg",
    "dxf",
    "stl",
    "step",
    "stp",
    "obj",
    "3mf",
    "f3d",
    "fcstd",
    "scad",
    "gcode",
    "nc",
    "ngc",
    "tap",
    "lbrn",
    "lbrn2",
    "ai",
    "eps",
    "pes",
    "dst",
    "ino",
    "py",
    "c",
    "h",
    "cpp",
    "json",
    "kicad_pcb",
    "kicad_sch",
]
# Search (docs/search.md): the database (SQLite FTS5, PostgreSQL full text), or an Elasticsearch
# 8/9 or OpenSearch 3 server for sites that outgrow one database.
CARNET_SEARCH_BACKEND = env_str("CARNET_SEARCH_BACKEND", "database")
WAGTAILSEARCH_BACKENDS = {
    "default": search_backend(
        CARNET_SEARCH_BACKEND,
        urls=env_list("CARNET_SEARCH_URL"),
        index_prefix=env_str("CARNET_SEARCH_INDEX", "carnet_"),
        timeout=env_int("CARNET_SEARCH_TIMEOUT", 10),
    )
}
if (
    CARNET_SEARCH_BACKEND == "database"
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    # French stemming that ignores accents, created by search/migrations/0002 (docs/search.md).
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "carnet_french"
# Machine events (docs/machines.md). The MQTT bridge, `manage.py machine_mqtt`, subscribes on
# this broker (mqtt://user:password@host:1883, mqtts:// for TLS); the `+` in the topic is the
# machine's slug. A client id asks the broker to keep QoS 1 messages while the bridge restarts.
CARNET_MQTT_URL = env_str("CARNET_MQTT_URL", "mqtt://127.0.0.1:1883")
CARNET_MQTT_TOPIC = env_str("CARNET_MQTT_TOPIC", "carnet/machines/+/events")
CARNET_MQTT_CLIENT_ID = env_str("CARNET_MQTT_CLIENT_ID")
CARNET_MQTT_CA_FILE = env_str("CARNET_MQTT_CA_FILE")
# `manage.py machine_octoprint` asks each machine's OctoPrint for its job this often.
CARNET_OCTOPRINT_POLL_SECONDS = env_int("CARNET_OCTOPRINT_POLL_SECONDS", 2)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars in the admin come from Carnet, never from Gravatar: no third-party request per page
# (members' e-mail hashes stay here), and the admin works on an offline lab network.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TAGGIT_CASE_INSENSITIVE = True

# Content-Security-Policy of every page (core.csp, docs/security.md): everything from Carnet
# itself, no inline script without the page's nonce, no inline style, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # blob: the photo control's previews of the photos chosen (static/js/photos.js).
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],  # the Markdown preview, live screens (server-sent events)
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Where the Wagtail admin needs more: these directives replace the site's under /admin/ and in
# its previews. The preview panel frames the admin's own preview (measured in Chromium,
# tests/browser/test_csp.py); the multiple-image upload draws its previews from blob: URLs.
CARNET_ADMIN_CSP = {
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Background tasks and Wagtail's audit log are chatty at INFO.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failed logins and lockouts stay at WARNING
        "wagtail": {"level": "WARNING"},
    },
}
