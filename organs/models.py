"""Organs (the city, its towns and street offices, departments) and who holds which role."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from organs.signals import organs_moved, organs_renamed

# Deeper than any real tree (country, province, city, county, town, department ...).
MAX_DEPTH = 64
# The fields copied above (public.Publication.organ_name, search text): writing one of them
# sends organs_renamed.
NAME_FIELDS = {"name", "short_name"}


class OrganQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def bulk_create(self, objs, *args, **kwargs):
        """Insert, then give the new organs their paths (their parents are saved already)."""
        created = super().bulk_create(objs, *args, **kwargs)
        ids = [o.pk for o in created if o.pk is not None]
        if ids:
            paths_rebuild(organ_ids=ids)
            paths = dict(Organ.objects.filter(pk__in=ids).values_list("pk", "path"))
            for organ in created:
                organ.path = paths.get(organ.pk, organ.path)
        return created

    def update(self, **kwargs):
        """An update that moves organs rewrites the paths below them too and says which
        organs moved (organs_moved), so kept aggregates above follow."""
        moved = {"parent", "parent_id"} & set(kwargs)
        before = dict(self.values_list("pk", "parent_id")) if moved else {}
        # Read before the update: a filter on the old name would find nothing after it.
        renamed = list(self.values_list("pk", flat=True)) if NAME_FIELDS & set(kwargs) else []
        rows = super().update(**kwargs)
        if renamed:
            organs_renamed.send(sender=Organ, organ_ids=renamed)
        if before:
            paths_rebuild(organ_ids=list(before))
            after = dict(Organ.objects.filter(pk__in=list(before)).values_list("pk", "parent_id"))
            moves = [
                (pk, old, after[pk]) for pk, old in before.items() if after.get(pk, old) != old
            ]
            if moves:
                organs_moved.send(sender=Organ, moves=moves)
        return rows

    def within(self, paths) -> OrganQuerySet:
        """The organs at or below any of these paths (the regions' roots' ``path``)."""
        return self.filter(region_q(paths))


def region_q(paths, field: str = "path") -> models.Q:
    """Organs at or below any of these paths, as a Q on ``field`` (e.g. "organ__path").

    A prefix of the materialised path: the database checks each row it reads against a
    constant, so a page that reads a few rows of a huge region never lists the region.
    """
    q = models.Q(pk__in=[])
    for path in sorted(set(paths)):
        if path:
            q |= models.Q(**{f"{field}__startswith": path})
    return q


def paths_rebuild(*, organ_ids=None) -> None:
    """Write ``path`` for these organs and everything below them (None: the whole tree).

    One statement, from what the tree says now: each seed's path is walked up from its
    ancestors, then the paths are written top down, so it holds whatever was stored before
    (a bulk load, a moved branch). Organs on a cycle (no root above them) are left as they are.
    """
    table = connection.ops.quote_name(Organ._meta.db_table)
    if organ_ids is None:
        up = ""
        seed = f"SELECT id, CAST(id AS TEXT) || '/' FROM {table} WHERE parent_id IS NULL"
        params: list = []
    else:
        params = sorted(set(organ_ids))
        if not params:
            return
        marks = ", ".join(["%s"] * len(params))
        # The depth bound stops a walk up a cycle; a real tree is a few levels deep.
        up = (
            f"up(seed, parent_id, path, depth) AS ("
            f" SELECT id, parent_id, CAST(id AS TEXT) || '/', 0 FROM {table} WHERE id IN ({marks})"
            f" UNION ALL SELECT up.seed, o.parent_id, CAST(o.id AS TEXT) || '/' || up.path,"
            f" up.depth + 1 FROM {table} o INNER JOIN up ON o.id = up.parent_id"
            f" WHERE up.depth < {MAX_DEPTH}), "
        )
        seed = "SELECT seed, path FROM up WHERE parent_id IS NULL"
    sql = (
        f"WITH RECURSIVE {up}down(id, path) AS ({seed}"
        f" UNION ALL SELECT o.id, down.path || CAST(o.id AS TEXT) || '/'"
        f" FROM {table} o INNER JOIN down ON o.parent_id = down.id)"
        f" UPDATE {table} SET path = down.path FROM down"
        f" WHERE {table}.id = down.id AND {table}.path <> down.path"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
    # The ids from the root down to this organ, "1/5/27/": a region is a prefix, so a page can
    # check the rows it reads against its region instead of listing the region first.
    # Kept by save(), bulk_create() and update(parent=...); paths_rebuild() rewrites it.
    path = models.CharField(
        _("层级路径"), max_length=255, blank=True, default="", editable=False, db_index=True
    )

    objects = OrganQuerySet.as_manager()

    class Meta:
        db_table = "reports_organ"
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["name"]
        # The compliance dashboard's order: a page is read off the index, not sorted.
        indexes = [models.Index(fields=["name", "id"], name="organ_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        if adding:
            stored, stored_names = None, None
        elif hasattr(self, "_saved_parent_id"):
            stored, stored_names = self._saved_parent_id, self._saved_names
        else:  # built by hand with a pk, not read: ask the table where it was
            row = Organ.objects.filter(pk=self.pk).values_list("parent_id", "name", "short_name")
            stored, *names = row.first() or (None, None, None)
            stored_names = tuple(names)
        fields = kwargs.get("update_fields")
        parent_written = fields is None or {"parent", "parent_id"} & set(fields)
        moved = adding or (parent_written and self.parent_id != stored)
        names_written = fields is None or NAME_FIELDS & set(fields)
        renamed = not adding and names_written and (self.name, self.short_name) != stored_names
        super().save(*args, **kwargs)
        if moved or not self.path:
            # A new organ's path needs its id; a moved one's rewrites its whole branch.
            paths_rebuild(organ_ids=[self.pk])
            self.path = Organ.objects.filter(pk=self.pk).values_list("path", flat=True).get()
        self._saved_parent_id = self.parent_id
        self._saved_names = (self.name, self.short_name)
        if moved and not adding:
            organs_moved.send(sender=Organ, moves=[(self.pk, stored, self.parent_id)])
        if renamed:
            organs_renamed.send(sender=Organ, organ_ids=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        organ = super().from_db(db, field_names, values)
        organ._saved_parent_id = organ.__dict__.get("parent_id")
        # Deferred fields read as None: save() then asks nothing and sees a rename.
        organ._saved_names = (organ.__dict__.get("name"), organ.__dict__.get("short_name"))
        # save() compares with them: only a move rewrites paths, only a rename is sent.
        return organ

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
