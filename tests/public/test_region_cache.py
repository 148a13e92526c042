"""Region filters walk the organ tree once per tree version: publications leave it cached,
an organ change walks it again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.workflow import Status
from organs.models import Organ
from public import selectors
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_a_publication_leaves_the_region_cached_and_an_organ_change_refreshes_it(
    city, django_capture_on_commit_callbacks
):
    county = Organ.objects.create(name="某县", slug="rc-county", parent=city)
    town = Organ.objects.create(name="某镇", slug="rc-town", parent=county)
    ids, count = queries(lambda: selectors.region_narrows("rc-county"))
    assert sorted(ids) == sorted([county.pk, town.pk]) and count > 0
    with django_capture_on_commit_callbacks(execute=True):
        make_report(town, 2023, Status.PUBLISHED)  # bumps the public version
    assert queries(lambda: selectors.region_narrows("rc-county")) == (ids, 0)
    street = Organ.objects.create(name="某街道", slug="rc-street", parent=county)
    ids, count = queries(lambda: selectors.region_narrows("rc-county"))
    assert street.pk in ids and count > 0
