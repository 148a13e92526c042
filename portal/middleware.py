"""Small request guards for the whole portal."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

# No page serves these: TRACE echoes the request, OPTIONS would answer 200 with no body.
REFUSED_METHODS = {"TRACE", "OPTIONS", "CONNECT"}


class RefuseMethodsMiddleware:
    """Answer TRACE, OPTIONS and CONNECT with 405, like any other method a page does not serve."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.get_response(request)


def csrf_failure(request, reason: str = "", template_name: str = "403_csrf.html"):
    """The CSRF refusal page; over plain HTTP with Secure cookies it says why login fails."""
    plain_http = not request.is_secure() and settings.CSRF_COOKIE_SECURE
    context = {
        "plain_http": plain_http,
        "reason": reason,
        "title": _("请求被拒绝"),
    }
    return render(request, template_name, context, status=403)
