"""Sign-in page: Django's login view, listing the demo accounts on development servers."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.urls import reverse
from django.utils.module_loading import import_string

from organs.models import Membership

# Where the development app keeps its demo accounts; read only when that app is installed.
DEMO_ACCOUNTS = "bench.demo.DEMO_ACCOUNTS"


def demo_accounts() -> tuple:
    """The demo accounts on a development server (DEBUG and the bench app), else none."""
    if not settings.DEBUG or not apps.is_installed("bench"):
        return ()
    return tuple(import_string(DEMO_ACCOUNTS))


class PortalLoginView(LoginView):
    """The login form; with DEBUG on it also shows the demo accounts and their passwords."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read at request time: demo credentials must never show on a production server.
        context["demo_accounts"] = demo_accounts()
        return context

    def get_default_redirect_url(self):
        """Where a person lands without ?next=: the page their role works on.

        Supervisors and administrators decide on submitted reports (the review queue); a
        clerk, or anyone else, goes to the workspace.
        """
        if landing_is_review_queue(self.request.user):
            return reverse("reports:review_queue")
        return super().get_default_redirect_url()


def landing_is_review_queue(user) -> bool:
    """A supervisor or admin who is not also a clerk starts at the review queue."""
    if user.is_superuser:
        return True
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    reviewing = {Membership.Role.SUPERVISOR, Membership.Role.ADMIN}
    return bool(roles & reviewing) and Membership.Role.CLERK not in roles
