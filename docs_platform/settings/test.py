from .base import *

# The demo content and `manage.py load_demo_data`: not needed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# Wagtail purges published pages only when its frontend_cache app is installed (production:
# when CARNET_FRONTEND_CACHE_URL is set); the tests configure a recording backend themselves.
if "wagtail.contrib.frontend_cache" not in INSTALLED_APPS:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

SECRET_KEY = "test-only-secret-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
LANGUAGE_CODE = "fr"
# Tasks run at once, after the commit, so tests see their effect; tests of the queue itself
# (tests/notifications, tests/search) switch to the database backend and run the worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The tests serve Carnet in their own process (tests/real_services.py): one memory is shared.
CACHES = {
    **CACHES,
    "pages": {**CACHES["pages"], "BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
