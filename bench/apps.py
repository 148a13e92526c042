from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development only: demo data, benchmark datasets, benchmarks and load tests.

    Installed by the development and test settings; the production image never loads it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"
    verbose_name = "bench"
