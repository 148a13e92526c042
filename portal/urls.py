"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from reports.views.accounts import PortalLoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reports.urls")),
]
