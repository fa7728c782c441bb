"""Content-Security-Policy on every page (django-csp; docs/security.md).

One strict policy (CONTENT_SECURITY_POLICY in the settings) for Carnet's pages; under /admin/
and in its previews, the Wagtail admin gets the few directives it was measured to need
(CARNET_ADMIN_CSP), in place of the site's. A response that already carries its own policy
keeps it: uploaded files are served with a stricter one (visibility.views).
"""

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse

# Wagtail's chooser widgets (image, page, document, snippet, workflow) start their script
# inline, one line per field: `new ImageChooser("id_cover_image", {"modalUrl": "…"});`.
# Only scripts of exactly that shape are allowed, by their hash: the admin keeps a strict
# script-src, with no 'unsafe-inline'.
CHOOSER_INIT = re.compile(r'<script>(new [A-Za-z]+Chooser\("[\w-]+", \{[^<]*\}\);)</script>')


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def chooser_script_hashes(response) -> list[str]:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode(response.charset or "utf-8", errors="replace")
    return sorted({_sha256_source(script) for script in CHOOSER_INIT.findall(html)})


def _in_admin(request) -> bool:
    # Wagtail's previews run the page's own URL through the middleware in a dummy request,
    # inside the admin's preview panel (an iframe of the admin).
    return getattr(request, "is_dummy", False) or request.path_info.startswith(
        reverse("wagtailadmin_home")
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and _in_admin(request):
            parts.replace = {**settings.CARNET_ADMIN_CSP, **(parts.replace or {})}
            hashes = chooser_script_hashes(response)
            if hashes:
                update = dict(parts.update or {})
                update["script-src"] = [*update.get("script-src", ()), *hashes]
                parts.update = update
        return parts
