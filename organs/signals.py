"""Signals organs send; apps above connect to them (organs imports none of them).

``organs_moved``: sent in the transaction that re-parents organs, after their paths are
rewritten. Keyword argument ``moves``: a list of (organ id, old parent id, new parent id),
one per organ whose parent changed (a save sends one; ``update(parent=...)`` one per row).
"""

from django.dispatch import Signal

organs_moved = Signal()
