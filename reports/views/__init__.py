"""Views by audience: home.py (home, health), clerk.py (workspace), uploads.py (attachments)."""

from reports.views.home import HomeView, healthz

__all__ = ["HomeView", "healthz"]
