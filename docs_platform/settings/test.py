from .base import *

# The demo content and `manage.py load_demo_data`: not needed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

SECRET_KEY = "test-only-secret-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
LANGUAGE_CODE = "fr"
# Tasks run at once, after the commit, so tests see their effect; tests of the queue itself
# (tests/notifications, tests/search) switch to the database backend and run the worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
