"""API routes, spliced into the "reports" namespace by reports/urls.py."""

from django.urls import path

from data.api import regions, views
from data.api.throttling import throttled
from public.pagecache import cache_public_page


def cached(view):
    """Cached for anonymous visitors, each visitor's requests counted before the cache."""
    return throttled(cache_public_page(view))


urlpatterns = [
    path("api/", views.api_root, name="api_root"),
    path("api/docs/", views.api_docs, name="api_docs"),
    path("api/organs/", cached(views.OrganList.as_view()), name="api_organs"),
    path("api/organs/<slug:slug>/", views.OrganDetail.as_view(), name="api_organ"),
    path("api/reports/", cached(views.ReportList.as_view()), name="api_reports"),
    path(
        "api/reports/<slug:slug>/<int:year>/",
        cached(views.ReportDetail.as_view()),
        name="api_report",
    ),
    path(
        "api/reports/<slug:slug>/<int:year>/figures/",
        views.ReportFigures.as_view(),
        name="api_report_figures",
    ),
    *regions.urlpatterns,
]
