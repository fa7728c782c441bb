"""Settings shared by every environment. Optional services switch on through environment
variables; docs/configuration.md lists every one of them."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import database_from_url, env_bool, env_int, env_list, env_str, search_backend

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
    "visibility",
    "search",
    "notifications",
    "calls",
    "showcases",
    "stats",
    "moderation",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.UploadTooLargeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and written through to the database: no query per page view.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

WAGTAIL_SITE_NAME = "Carnet"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.CarnetImage"
WAGTAILDOCS_DOCUMENT_MODEL = "documents.CarnetDocument"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = CARNET_MAX_UPLOAD_SIZE
WAGTAILIMAGES_MAX_IMAGE_PIXELS = CARNET_MAX_IMAGE_PIXELS
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Background tasks and Wagtail's audit log are chatty at INFO.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
