"""The admin's Content-Security-Policy: the public policy plus what Django's admin needs.

django-import-export's pages and the admin's own widgets use inline styles and a few inline
handlers; they run only for staff behind a login. Public pages keep the strict policy: this
middleware loosens the header only on paths under /admin/.
"""

from __future__ import annotations

ADMIN_PREFIX = "/admin/"
# Added to the public directives on admin pages only.
ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "script-src-attr": ["'unsafe-inline'"],
    "style-src-attr": ["'unsafe-inline'"],
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
