from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Publications and the public pages: list, report, organ, statistics, page cache."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("公开")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from organs.models import Organ
        from organs.signals import organs_moved, organs_renamed
        from public import signals
        from public.versioning import public_version_bump

        signals.publication_changed.connect(public_version_bump, dispatch_uid="stats_cache")
        # Organ names and the tree show on public pages and in their filters.
        post_save.connect(public_version_bump, sender=Organ, dispatch_uid="stats_cache_organ")
        post_delete.connect(public_version_bump, sender=Organ, dispatch_uid="stats_cache_od")
        # The kept region sums follow organ moves and deleted publications (public/sums.py).
        organs_moved.connect(signals.organs_moved_sums, dispatch_uid="sums_organs_moved")
        # Publications keep their organ's name (the list's order, the search): renames follow,
        # then the pages showing the names are stale (a bulk update sends no post_save).
        organs_renamed.connect(signals.organs_renamed_publications, dispatch_uid="pub_renamed")
        organs_renamed.connect(public_version_bump, dispatch_uid="stats_cache_renamed")
        pre_delete.connect(
            signals.publication_deleted, sender="public.Publication", dispatch_uid="sums_pub_del"
        )
