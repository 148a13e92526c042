"""Migration public 0007 fills the kept organ name of the publications that exist."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import formats

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("public", "0006_region_sums")
AFTER = ("public", "0007_publication_organ_name")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_publications_take_their_organs_names():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Every other app as it is now (the organs' path), publications just before 0007.
    others = [node for node in latest if node[0] != "public"]
    apps = _migrate([*others, BEFORE])
    try:
        Organ = apps.get_model("organs", "Organ")
        publications = []
        for name, slug in (("晋江市紫帽镇人民政府", "zimao"), ("晋江市英林镇人民政府", "yinglin")):
            organ = Organ.objects.create(name=name, slug=slug, path="")
            report = apps.get_model("filing", "AnnualReport").objects.create(
                organ=organ, year=2023, edition=formats.EDITION_2021
            )
            publications.append(
                apps.get_model("public", "Publication").objects.create(
                    report=report, organ=organ, year=2023, edition=formats.EDITION_2021,
                    published_on=date(2024, 1, 9),
                ).pk
            )  # fmt: skip
        apps = _migrate([*others, AFTER])
        Publication = apps.get_model("public", "Publication")
        names = dict(Publication.objects.values_list("pk", "organ_name"))
        expected = ["晋江市紫帽镇人民政府", "晋江市英林镇人民政府"]
        assert names == dict(zip(publications, expected, strict=True))
    finally:
        _migrate(latest)
