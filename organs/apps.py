from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgansConfig(AppConfig):
    """Organs, memberships and roles."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "organs"
    verbose_name = _("机关与账号")
