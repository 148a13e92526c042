"""URLs of the reports app (namespace "reports")."""

from django.urls import path

from reports import views
from reports.api import urls as api_urls
from reports.views import clerk, compliance, exports, language, public, review, stats, uploads
from reports.views import documents as document_views

app_name = "reports"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    *clerk.urlpatterns,
    *uploads.urlpatterns,
    *document_views.urlpatterns,
    *public.urlpatterns,
    *review.urlpatterns,
    *compliance.urlpatterns,
    *stats.urlpatterns,
    *api_urls.urlpatterns,
    *exports.urlpatterns,
    *language.urlpatterns,
]
