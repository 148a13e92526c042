"""Root URL configuration."""

from django.contrib import admin
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import include, path, re_path

from organs.views import PortalLoginView

# Admin addresses from before the models left the "reports" app for the feature apps.
MOVED_ADMIN_MODELS = {
    **dict.fromkeys(("organ", "membership"), "organs"),
    **dict.fromkeys(
        (
            "annualreport",
            "figure",
            "attachment",
            "parserun",
            "parsedvalue",
            "finding",
            "auditevent",
        ),
        "filing",
    ),
    **dict.fromkeys(("reviewcomment", "deadline"), "review"),
    **dict.fromkeys(("publication", "publishedfigure"), "public"),
}


def moved_admin_page(request, model: str, rest: str):
    """Send an old /admin/reports/<model>/… bookmark to the model's page in its app."""
    if model not in MOVED_ADMIN_MODELS:
        raise Http404(model)
    return HttpResponsePermanentRedirect(f"/admin/{MOVED_ADMIN_MODELS[model]}/{model}/{rest}")


urlpatterns = [
    re_path(r"^admin/reports/(?P<model>[a-z]+)/(?P<rest>.*)$", moved_admin_page),
    path("admin/", admin.site.urls),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls_reports")),
]
