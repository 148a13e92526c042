"""Organs (the city, its towns and street offices, departments) and who holds which role."""

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _


class OrganQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def subtree_ids(seed_sql: str, params=()) -> RawSQL:
    """Ids of the seed organs and every organ below them, as one recursive SQL subquery.

    ``seed_sql`` selects one column of organ ids (it may hold %s placeholders for
    ``params``). Use it as the right-hand side of an ``__in`` filter, e.g.
    ``AnnualReport.objects.filter(organ_id__in=subtree_ids(...))``: the region is walked by
    the database inside the query that uses it, so a region of thousands of organs costs no
    extra query and no list of ids sent back and forth, whatever the depth of the tree.
    UNION (not UNION ALL) stops at organs already reached, so a cycle cannot loop.
    """
    table = connection.ops.quote_name(Organ._meta.db_table)
    sql = (
        f"WITH RECURSIVE region_tree(id) AS ({seed_sql}"
        f" UNION SELECT o.id FROM {table} o INNER JOIN region_tree r ON o.parent_id = r.id"
        f") SELECT id FROM region_tree"
    )
    return RawSQL(sql, tuple(params))


def no_organs() -> RawSQL:
    """An empty subquery of organ ids (typed like one, for PostgreSQL's IN)."""
    table = connection.ops.quote_name(Organ._meta.db_table)
    return RawSQL(f"SELECT e.id FROM {table} e WHERE 1 = 0", ())


def subtree_of(root_ids) -> RawSQL:
    """subtree_ids seeded with these organs: the roots and everything below them."""
    ids = sorted(set(root_ids))
    if not ids:
        return no_organs()
    table = connection.ops.quote_name(Organ._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    return subtree_ids(f"SELECT s.id FROM {table} s WHERE s.id IN ({marks})", ids)


class Organ(models.Model):
    """A government body that publishes an annual report (or supervises those that do)."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("县")
        DISTRICT = "district", _("区")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        DEPARTMENT = "department", _("部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    code = models.CharField(_("行政区划代码"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.TOWN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrganQuerySet.as_manager()

    class Meta:
        db_table = "reports_organ"
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def region_ids(self) -> list[int]:
        """Ids of this organ and every organ below it, breadth first."""
        # Iterative, one query per level; the seen-set also guards against cycles.
        seen = {self.pk}
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            children = Organ.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            frontier = [pk for pk in children if pk not in seen]
            seen.update(frontier)
            ids.extend(frontier)
        return ids

    def descendants(self) -> OrganQuerySet:
        """This organ and everything under it, as a queryset."""
        return Organ.objects.filter(pk__in=self.region_ids())


# ---------------------------------------------------------------- roles


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
        "organs.Organ",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        db_table = "reports_membership"
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
