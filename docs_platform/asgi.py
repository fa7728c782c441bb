"""ASGI entry point: live screens (the kiosk, the job banner) stream server-sent events here.
`make demo` serves this with uvicorn; production runs uvicorn workers (docs/deployment.md)."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docs_platform.settings.production")
application = get_asgi_application()

if settings.DEBUG:
    # runserver serves static files in development; under uvicorn, this does.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    application = ASGIStaticFilesHandler(application)
