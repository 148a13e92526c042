"""Attachments on a report: upload, parse progress, review and apply parsed values."""

urlpatterns: list = []
