from .base import *

# The demo content and `manage.py load_demo_data`: not needed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-secret-key-never-use-in-production"
# Links in e-mails and those `make demo` prints follow the address it serves (DEMO_ADDRESS).
WAGTAILADMIN_BASE_URL = env_str(
    "WAGTAILADMIN_BASE_URL", f"http://{env_str('DEMO_ADDRESS', '127.0.0.1:8000')}"
)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
