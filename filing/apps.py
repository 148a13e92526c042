from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    """The clerk's report: figures, uploads, parse runs, findings, audit trail."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "filing"
    verbose_name = _("填报")
