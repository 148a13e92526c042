"""Signals the portal sends; receivers (caches, search indexes) connect to them.

Also the receivers that keep the regions' kept sums (public/sums.py) true when an organ moves
in the tree or a current publication is deleted (a report deleted in the admin).
"""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import Signal

# Sent after the transaction that published (or corrected) a report commits.
# Keyword argument: publication (the new current Publication).
publication_changed = Signal()

_NOT_SAVED = object()


def organ_parent_remember(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note the organ's parent as stored, before a save that may move it."""
    instance._sums_parent_was = _NOT_SAVED
    if raw or instance.pk is None or (update_fields is not None and "parent" not in update_fields):
        return
    stored = list(sender.objects.filter(pk=instance.pk).values_list("parent_id", flat=True)[:1])
    if stored:
        instance._sums_parent_was = stored[0]


def organ_moved(sender, instance, raw=False, **kwargs):
    """An organ saved under another parent: move its subtree's sums (same transaction)."""
    before = getattr(instance, "_sums_parent_was", _NOT_SAVED)
    if raw or before is _NOT_SAVED or before == instance.parent_id:
        return
    from public.sums import region_sums_move

    region_sums_move(organ_id=instance.pk, old_parent_id=before, new_parent_id=instance.parent_id)


def publication_deleted(sender, instance, **kwargs):
    """A current publication about to be deleted leaves its regions' sums (its cells are
    deleted after pre_delete, so they can still be read)."""
    if instance.is_current:
        from public.sums import region_sums_withdraw

        region_sums_withdraw(publication=instance)


pre_save.connect(organ_parent_remember, sender="organs.Organ", dispatch_uid="sums_organ_pre")
post_save.connect(organ_moved, sender="organs.Organ", dispatch_uid="sums_organ_moved")
pre_delete.connect(publication_deleted, sender="public.Publication", dispatch_uid="sums_pub_del")
