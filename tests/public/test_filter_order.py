"""The keyword's condition is written after the other filters', so the database checks the
costly search only on rows the region keeps (PostgreSQL keeps the written order among
conditions its planner costs the same)."""

import pytest

from organs.models import Organ
from public.filters import PublicationFilter, PublicListFilter
from public.models import Publication

pytestmark = pytest.mark.django_db


def where(queryset) -> str:
    return str(queryset.query).split(" WHERE ", 1)[1]


@pytest.mark.parametrize("make", [
    lambda data: PublicListFilter(data, queryset=Publication.objects.current(),
                                  years=[2023], regions=[("jinjiang", "晋江市")]),
    lambda data: PublicationFilter(data, queryset=Publication.objects.current()),
], ids=["list", "api"])  # fmt: skip
def test_the_search_condition_comes_after_the_other_filters(make, town):
    Organ.objects.create(name="石狮市", slug="shishi")  # the region is not the whole tree
    clause = where(make({"q": "公开", "region": "jinjiang", "year": "2023"}).qs)
    search = clause.index("search_")
    assert clause.index('"organ_id" IN') < search and clause.index('"year"') < search
