"""Signals the portal sends; receivers (caches, search indexes) connect to them.

Also the receivers that keep the regions' kept sums (public/sums.py) true when an organ moves
in the tree or a current publication is deleted (a report deleted in the admin), and the
publications' organ names when an organ is renamed.
"""

from django.dispatch import Signal

# Sent after the transaction that published (or corrected) a report commits.
# Keyword argument: publication (the new current Publication).
publication_changed = Signal()

# More organs than this moved at once (a bulk update): rebuild rather than move one by one,
# since each single move walks ancestors that the same update may have changed.
MOVES_ONE_BY_ONE = 1


def organs_moved_sums(sender, moves, **kwargs):
    """Organs re-parented: their subtrees' sums leave the old ancestors, join the new."""
    from public.sums import region_sums_move, region_sums_rebuild

    if len(moves) > MOVES_ONE_BY_ONE:
        region_sums_rebuild()
        return
    for organ_id, old_parent_id, new_parent_id in moves:
        region_sums_move(
            organ_id=organ_id, old_parent_id=old_parent_id, new_parent_id=new_parent_id
        )


def organs_renamed_publications(sender, organ_ids, **kwargs):
    """Organs renamed: their publications' kept names and search text follow."""
    from public.names import publication_organ_names_refresh

    publication_organ_names_refresh(organ_ids=organ_ids)


def publication_deleted(sender, instance, **kwargs):
    """A current publication about to be deleted leaves its regions' sums (its cells are
    deleted after pre_delete, so they can still be read)."""
    if instance.is_current:
        from public.sums import region_sums_withdraw

        region_sums_withdraw(publication=instance)
