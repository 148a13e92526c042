"""Data migrations run on rows, not only on the empty database the other tests start from."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import formats
from core.figureset import empty_figures

pytestmark = pytest.mark.django_db(transaction=True)

JSON_MEASURES = [("reports", "0004_publication_measures")]
MEASURE_COLUMNS = [("reports", "0006_remove_publication_measures")]


def _migrate(targets):
    """Migrate the test database to ``targets``; the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_measure_columns_are_filled_from_the_frozen_figures_of_existing_publications():
    latest = _latest()
    apps = _migrate(JSON_MEASURES)
    try:
        organ = apps.get_model("reports", "Organ").objects.create(name="紫帽镇", slug="zimao")
        report = apps.get_model("reports", "AnnualReport").objects.create(
            organ=organ, year=2023, edition=formats.EDITION_2021
        )
        figures = empty_figures(formats.EDITION_2021)
        figures[formats.SECTION3]["一"] = [10, 2, 0, 1, 0, 0, 13]
        figures[formats.SECTION3]["三.一"] = [6, 1, 0, 1, 0, 0, 8]
        # 行政复议 总计 2; 未经复议直接起诉 总计 3; 复议后起诉 总计 1.
        figures[formats.SECTION4] = [1, 0, 1, 0, 2, 2, 0, 0, 1, 3, 0, 0, 1, 0, 1]
        apps.get_model("reports", "Publication").objects.create(
            report=report,
            organ=organ,
            year=2023,
            edition=formats.EDITION_2021,
            published_on=date(2024, 1, 9),
            figures=figures,
            received=13,
        )
        # On PostgreSQL this also proves the fill and the ALTER TABLE that drops the JSON
        # field are in separate transactions ("pending trigger events" otherwise).
        apps = _migrate(MEASURE_COLUMNS)
        publication = apps.get_model("reports", "Publication").objects.get()
        assert (publication.received, publication.granted_full) == (13, 8)
        assert (publication.review_total, publication.litigation_total) == (2, 4)
        assert (publication.litigation_upheld, publication.litigation_pending) == (2, 1)
        assert publication.granted_partial is None  # blank cells stay blank, not zero
    finally:
        _migrate(latest)
