"""Fixtures the upload and clerk tests share: a 2023 report of the town, a logged-in clerk."""

import pytest

from core import formats
from filing.models import AnnualReport


@pytest.fixture
def report(town):
    return AnnualReport.objects.create(organ=town, year=2023, edition=formats.EDITION_2021)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
