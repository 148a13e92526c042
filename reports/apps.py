from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The app the portal began as: it keeps only its migrations.

    Their history built the tables that organs, filing, review and public now own (the models
    keep the table names), so an existing database moves to the new layout without copying.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "reports (migration history)"
