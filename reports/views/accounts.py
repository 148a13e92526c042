"""Sign-in page: Django's login view, listing the demo accounts on development servers."""

from django.conf import settings
from django.contrib.auth.views import LoginView

from reports.demo import DEMO_ACCOUNTS


class PortalLoginView(LoginView):
    """The login form; with DEBUG on it also shows the demo accounts and their passwords."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read at request time: demo credentials must never show on a production server.
        context["demo_accounts"] = DEMO_ACCOUNTS if settings.DEBUG else ()
        return context
