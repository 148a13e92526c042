"""Signals filing sends; apps further up connect to them instead of being imported here."""

from django.dispatch import Signal

# Sent while a report's findings are refreshed for submission. Keyword arguments: report,
# previous (the organ's report of the year before, or None). A receiver returns a list of
# core.checks Findings to add (review: the similarity findings).
submission_findings = Signal()

# Sent once a report's submission has committed. Keyword arguments: report, acting_user.
# review connects it to tell the region's supervisors (e-mail and the header's unread count).
report_submitted = Signal()
