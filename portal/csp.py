"""The admin's Content-Security-Policy: the public policy plus what Django's admin needs.

django-import-export's pages and the admin's widgets use inline styles (the import preview's
diff, the export form); the export page has one inline handler. Scripts stay as strict as on
public pages: no inline script runs, and of inline handlers only that one, by its hash. Public
pages keep the strict policy: this middleware widens the header only on paths under /admin/.
"""

from __future__ import annotations

import base64
import hashlib

ADMIN_PREFIX = "/admin/"
# The inline handlers admin templates carry, verbatim (import_export/export.html's
# "select all" box). A new one is refused until listed here.
ADMIN_HANDLERS = ("onSelectToggleChange(event)",)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Added to the public directives on admin pages only.
ADMIN_UPDATE = {
    "style-src": ["'unsafe-inline'"],
    "style-src-attr": ["'unsafe-inline'"],
    "script-src-attr": ["'unsafe-hashes'", *(_hash(h) for h in ADMIN_HANDLERS)],
}


class AdminCSPMiddleware:
    """Mark admin responses so csp.middleware.CSPMiddleware (outside this one) widens them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive, sources in ADMIN_UPDATE.items():
                update[directive] = [*update.get(directive, []), *sources]
            response._csp_update = update
        return response
