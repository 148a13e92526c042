from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("年度报告")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from reports import signals, stats
        from reports.models import Organ

        signals.publication_changed.connect(stats.stats_cache_bump, dispatch_uid="stats_cache")
        # Organ names and the tree show on public pages and in their filters.
        post_save.connect(stats.stats_cache_bump, sender=Organ, dispatch_uid="stats_cache_organ")
        post_delete.connect(stats.stats_cache_bump, sender=Organ, dispatch_uid="stats_cache_od")
