"""Signals the portal sends; receivers (caches, search indexes) connect to them."""

from django.dispatch import Signal

# Sent after the transaction that published (or corrected) a report commits.
# Keyword argument: publication (the new current Publication).
publication_changed = Signal()
