"""The portal's pages, gathered from the feature apps under one namespace, "reports".

One namespace keeps every URL name the templates use stable while the views live in their apps.
"""

from django.urls import path

from data.api import urls as api_urls
from data.views import documents as document_views
from data.views import exports
from data.views import regions as region_documents
from filing.views import clerk, uploads
from public.views import language, publish, regions, stats
from public.views import pages as public
from public.views.home import healthz, home
from review.views import compliance, review

app_name = "reports"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    *clerk.urlpatterns,
    *uploads.urlpatterns,
    *document_views.urlpatterns,
    *public.urlpatterns,
    *regions.urlpatterns,
    *region_documents.urlpatterns,
    *review.urlpatterns,
    *publish.urlpatterns,
    *compliance.urlpatterns,
    *stats.urlpatterns,
    *api_urls.urlpatterns,
    *exports.urlpatterns,
    *language.urlpatterns,
]
