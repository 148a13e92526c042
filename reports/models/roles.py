"""Who may do what where: a user's role at an organ."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Membership(models.Model):
    """A user's role: clerk of one organ, supervisor of a region, or portal admin."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("填报员")
        SUPERVISOR = "supervisor", _("审核员")
        ADMIN = "admin", _("管理员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    # For a supervisor this is the root of the region they supervise.
    organ = models.ForeignKey(
        "reports.Organ",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role="clerk"),
                name="membership_one_organ_per_clerk",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organ"], name="membership_unique_role_organ"
            ),
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(organ__isnull=False),
                name="membership_organ_required_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        where = f" @ {self.organ}" if self.organ_id else ""
        return f"{self.user} · {self.get_role_display()}{where}"
