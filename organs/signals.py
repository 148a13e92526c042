"""Signals organs send; apps above connect to them (organs imports none of them).

``organs_moved``: sent in the transaction that re-parents organs, after their paths are
rewritten. Keyword argument ``moves``: a list of (organ id, old parent id, new parent id),
one per organ whose parent changed (a save sends one; ``update(parent=...)`` one per row).

``organs_renamed``: sent after organs' ``name`` or ``short_name`` is written, so copies kept
above (a publication's organ name and search text) can follow.
Keyword argument ``organ_ids``: the organs whose names changed (a save sends one;
``update(name=...)`` every row it wrote).
"""

from django.dispatch import Signal

organs_moved = Signal()
organs_renamed = Signal()
