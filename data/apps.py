from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    """API, exports, admin import/export, bulk ingest, official documents."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "data"
    verbose_name = _("数据")
