from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("年度报告")

    def ready(self):
        from reports import signals, stats

        signals.publication_changed.connect(stats.stats_cache_bump, dispatch_uid="stats_cache")
