"""URLs of the reports app (namespace "reports")."""

from django.urls import path

from reports import views
from reports.views import clerk, compliance, exports, public, review, uploads

app_name = "reports"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    *clerk.urlpatterns,
    *uploads.urlpatterns,
    *public.urlpatterns,
    *review.urlpatterns,
    *compliance.urlpatterns,
    *exports.urlpatterns,
]
