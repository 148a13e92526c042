"""The portal's URLs plus the baseline: the cheapest view Django can serve."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """No database, no template: what every page is measured against."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", include("portal.urls"))]
if getattr(settings, "PORTAL_BENCH", False):
    urlpatterns.insert(0, path("bench/trivial", trivial, name="bench_trivial"))
